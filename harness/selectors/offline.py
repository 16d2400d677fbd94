"""Offline re-selection: run any selector over a stored rollout run, for any budget k <= N.

Budget k takes samples 0..k-1 with seed 0 (per-sample seeds do not depend on the budget, so that is
exactly what a budget-k run would have sampled) and a seeded random k-subset for seeds >= 1.
Selections are stored, each with its predictions file, and scored from stored evaluations.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from harness import paths
from harness.errors import BadInput
from harness.files import write_atomic
from harness.records import RolloutRow, SelectionRow, SignalRow
from harness.selectors import Candidate, Selector, get_selector
from harness.store import Store


@dataclass(frozen=True)
class SelectionResult:
    selector: str
    oracle: bool
    budget: int
    seeds: int
    rows: tuple[SelectionRow, ...]
    resolved: float | None  # resolved instances, mean over seeds; None while a choice is unevaluated
    instances: int


def load_candidates(store: Store, run_id: str) -> dict[str, list[Candidate]]:
    """Every stored trajectory of `run_id` as candidates with their signals, per instance."""
    signals: dict[tuple[str, int], dict[str, float]] = {}
    for s in store.rows(SignalRow, run_id=run_id):
        signals.setdefault((s.instance_id, s.sample_index), {})[s.name] = s.value
    groups: dict[str, list[Candidate]] = {}
    for r in store.rows(RolloutRow, run_id=run_id):  # in (instance, sample) order
        key = (r.instance_id, r.sample_index)
        facts = {"tokens": float(r.completion_tokens), **signals.get(key, {})}
        groups.setdefault(r.instance_id, []).append(
            Candidate(*key, r.exit_reason == "finished", r.patch, r.steps, facts))
    if not groups:
        raise BadInput(f"run {run_id!r} has no stored rollouts")
    return groups


def subsample(candidates: Sequence[Candidate], budget: int, seed: int) -> list[Candidate]:
    """The `budget` candidates seen at `seed`: the first ones for seed 0, a seeded subset otherwise."""
    if seed == 0 or budget >= len(candidates):
        return list(candidates[:budget])
    rng = random.Random(f"subsample:{seed}:{candidates[0].instance_id}")
    return sorted(rng.sample(list(candidates), budget), key=lambda c: c.sample_index)


def select_run(store: Store, run_id: str, selector: str | Selector, budget: int | None = None,
               seeds: int = 1, eval_id: str | None = None) -> SelectionResult:
    """Select one candidate per instance of `run_id` for seeds 0..seeds-1, store the selections and
    their predictions files; `eval_id` (default: the run's own evaluator's) scores them where evaluated."""
    chosen_by = get_selector(selector) if isinstance(selector, str) else selector
    groups = load_candidates(store, run_id)
    fewest = min(len(c) for c in groups.values())
    budget = budget or fewest
    if budget > fewest:
        short = min(groups, key=lambda i: len(groups[i]))
        raise BadInput(f"budget {budget} is more than the {fewest} samples stored for {short} "
                       f"in run {run_id}")
    judged = store.verdicts(eval_id or store.run_eval_id(run_id))
    if chosen_by.oracle and any((c.instance_id, c.sample_index) not in judged
                                for cands in groups.values() for c in cands):
        raise BadInput(f"the oracle needs every sample judged: harness evaluate --run {run_id} --all-samples")
    rows, oracle = [], chosen_by.oracle
    for seed in range(seeds):
        for iid, cands in groups.items():
            pool = subsample(cands, budget, seed)
            labels = {c.sample_index: judged[(iid, c.sample_index)] for c in pool} if oracle else None
            pick = chosen_by.pick(pool, random.Random(f"select:{seed}:{iid}"), labels)
            rows.append(SelectionRow(run_id, chosen_by.name, budget, seed, iid, pick.sample_index))
    store.write(rows)
    patches = {(c.instance_id, c.sample_index): c.model_patch for cands in groups.values() for c in cands}
    for seed in range(seeds):
        _write_predictions(predictions_path(store.workspace, run_id, chosen_by.name, budget, seed), run_id,
                           [r for r in rows if r.seed == seed], patches)
    scored = [judged.get((r.instance_id, r.sample_index)) for r in rows]
    resolved_mean = None if None in scored else sum(map(bool, scored)) / seeds
    return SelectionResult(chosen_by.name, chosen_by.oracle, budget, seeds, tuple(rows), resolved_mean,
                           len(groups))


def predictions_path(workspace: Path, run_id: str, selector: str, budget: int, seed: int) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", selector)
    return workspace / paths.RUNS / run_id / "selections" / f"{safe}.k{budget}.s{seed}.jsonl"


def _write_predictions(path: Path, run_id: str, rows: Sequence[SelectionRow],
                       patches: Mapping[tuple[str, int], str]) -> None:
    """The SWE-bench predictions of one selection."""
    write_atomic(path, "".join(json.dumps({
        "instance_id": r.instance_id, "model_name_or_path": run_id,
        "model_patch": patches[(r.instance_id, r.sample_index)]}) + "\n" for r in rows))
