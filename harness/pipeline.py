"""`harness run`, in order: training data -> training (when the method trains) -> rollout ->
evaluation -> signals -> selection -> the stored result; and `reselect`, which re-runs selection on
a stored run. Each stage is a function of its own module; this one only orders them."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from harness import registry
from harness.config import RunConfig
from harness.records import RolloutRow
from harness.selectors import get_selector
from harness.selectors.offline import SelectionResult, select_run
from harness.signals.compute import compute_signals
from harness.stages import evaluate_rollouts, rollout_stage
from harness.store import Store
from harness.training_data import contamination, training_examples

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunResult:
    run_id: str
    eval_id: str
    model: str  # what was rolled out: the trained model when the method trains
    instances: int
    budget: int
    exit_reasons: dict[str, int]
    patches: int  # rollouts with a non-empty patch
    resolved: int  # rollouts whose patch resolves
    solved_any: int  # instances with at least one resolving rollout (pass@budget)
    selected_resolved: int  # instances whose selected rollout resolves


def reselect(store: Store, run_id: str, selectors: Sequence[str], budget: int | None = None, seeds: int = 1,
             evaluator: str | None = None, workers: int = 2, sandbox: str = "auto",
             show_progress: bool = True) -> list[SelectionResult]:
    """`harness select`: every selector over the stored run, evaluating only chosen samples that
    have no verdict yet (none when `harness evaluate --run R --all-samples` ran)."""
    eval_id = store.run_eval_id(run_id, evaluator)
    chosen = [get_selector(name) for name in selectors]  # unknown names fail before any work
    results = [select_run(store, run_id, s, budget, seeds, eval_id) for s in chosen]
    missing = {(r.instance_id, r.sample_index) for res in results if res.resolved is None for r in res.rows}
    if missing:
        evaluate_rollouts(store, run_id, evaluator, workers, sandbox, missing, show_progress)
        results = [select_run(store, run_id, s, budget, seeds, eval_id) for s in chosen]
    return results


def run(config: RunConfig, store: Store, show_progress: bool = True) -> RunResult:
    for kind, name in (("method", config.method), ("backend", config.backend),
                       ("evaluator", config.evaluator)):
        registry.target(kind, name)  # unknown names fail before any work
    get_selector(config.selector)
    method = registry.load("method", config.method)
    if getattr(method, "stages", ()):
        for line in contamination(config):
            log.warning("contamination: %s", line)
    model = method.train(config, store, training_examples(config, store))
    summary = rollout_stage(config, store, model, show_progress)
    eval_id = evaluate_rollouts(store, summary.run_id, config.evaluator, config.workers, config.sandbox,
                                show_progress=show_progress).eval_id
    rollouts = store.rows(RolloutRow, run_id=summary.run_id)
    if config.signals != "none":
        compute_signals(store, summary.run_id, config.sandbox, config.workers, config.signals == "execution",
                        show_progress)
    resolved = {key for key, ok in store.verdicts(eval_id).items() if ok}
    selected = select_run(store, summary.run_id, config.selector, config.budget, eval_id=eval_id)
    return RunResult(
        summary.run_id, eval_id, model, selected.instances, config.budget,
        summary.exit_reasons, sum(bool(r.patch.strip()) for r in rollouts), len(resolved),
        len({i for i, _ in resolved}), int(selected.resolved or 0),
    )
