"""Leaderboard submissions from a stored run and a selector.

The folder follows the SWE-bench experiments repository (github.com/SWE-bench/experiments, README
"How is this repository organized?" and checklist.md, read 2026-12): `evaluation/<split>/<YYYYMMDD>_
<name>/` holding `all_preds.jsonl`, `metadata.yaml` (info: name, report, ...; tags: model, org,
os_model, os_system, system.attempts, checked), `README.md` with the checklist, `logs/<instance_id>/`
(patch.diff, report.json, test_output.txt), `trajs/` and `results/results.json` (resolved,
no_generation, no_logs). Best-of-N is accepted as one submitted attempt chosen without SWE-bench
evaluation or hidden tests (checklist.md, "Best@k"), and each trajectory file shows every candidate
and the choice; the oracle, which reads verdicts, is refused. `preds.json` is the sb-cli
predictions file (instance id -> instance_id, model_name_or_path, model_patch).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import yaml

from harness.agent.trajectory import Trajectory
from harness.benchmarks import get_benchmark
from harness.errors import BadInput
from harness.patches import patch_files
from harness.records import EvaluationRow, RolloutRow
from harness.selectors import get_selector
from harness.selectors.offline import load_candidates, select_run, subsample
from harness.store import Store

SPLITS = {"verified": "swebench-verified", "lite": "swebench-lite"}
SUBMISSIONS_ROOT = Path("results") / "submissions"
CHECKLIST = """- [x] Is a pass@1 submission: one prediction per task instance (best-of-{n} picked by
  `{selector}`, which never saw SWE-bench evaluation, PASS_TO_PASS or FAIL_TO_PASS; every candidate
  is in trajs/)
- [x] Does not use SWE-bench test knowledge (`PASS_TO_PASS`, `FAIL_TO_PASS`)
- [x] Does not use the `hints` field in SWE-bench
- [x] Does not have web-browsing (the agent's sandbox has no network)
"""


def submission_problems(predictions: Sequence[dict], expected: set[str]) -> list[str]:
    """What makes these predictions unfit to submit for a split of `expected` ids (empty: fine)."""
    ids = [p["instance_id"] for p in predictions]
    problems = []
    if missing := sorted(expected - set(ids)):
        more = ", ..." if len(missing) > 3 else ""
        problems.append(f"{len(missing)} of {len(expected)} instances have no prediction "
                        f"({', '.join(missing[:3])}{more})")
    if unknown := sorted(set(ids) - expected):
        problems.append(f"{len(unknown)} predictions are not in the split ({', '.join(unknown[:3])})")
    if repeated := sorted(i for i, n in Counter(ids).items() if n > 1):
        problems.append(f"repeated instance ids: {', '.join(repeated[:3])}")
    for p in predictions:
        try:
            patch_files(p["model_patch"])
        except BadInput as exc:
            problems.append(f"{p['instance_id']}: {exc}")
    return problems


def submit(store: Store, run_id: str, selector: str, split: str, name: str, budget: int | None = None,
           root: Path = SUBMISSIONS_ROOT, report: str = "https://arxiv.org/abs/2509.12434") -> Path:
    """Write the submission folder of `run_id` as chosen by `selector`; BadInput listing every problem
    (and nothing written) when it cannot be submitted."""
    if get_selector(selector).oracle:
        raise BadInput(f"{selector} reads the evaluations: it is an upper bound, not a submission")
    benchmark = SPLITS.get(split, split)
    found = store.query("SELECT benchmark, config->>'policy' FROM runs WHERE run_id = ?", [run_id])
    if not found:
        raise BadInput(f"unknown run {run_id!r} in {store.path}")
    if found[0][0] != benchmark:
        raise BadInput(f"run {run_id} is on {found[0][0]}, not {benchmark}")
    chosen = select_run(store, run_id, selector, budget)
    rollouts = {(r.instance_id, r.sample_index): r for r in store.rows(RolloutRow, run_id=run_id)}
    predictions = [{"instance_id": s.instance_id, "model_name_or_path": name,
                    "model_patch": rollouts[(s.instance_id, s.sample_index)].patch} for s in chosen.rows]
    expected = {i.instance_id for i in get_benchmark(benchmark).load("test")}
    if problems := submission_problems(predictions, expected):
        raise BadInput(f"refusing to write the submission: {'; '.join(problems)}")
    folder = root / "evaluation" / split / f"{datetime.now(UTC):%Y%m%d}_{name}"
    with tempfile.TemporaryDirectory(dir=_parent(root)) as tmp:  # all or nothing
        draft = Path(tmp) / "submission"
        _write(draft, store, run_id, chosen.rows, rollouts, predictions, selector, chosen.budget, name,
               found[0][1] or run_id, report)
        if folder.exists():
            shutil.rmtree(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        draft.rename(folder)
    return folder


def _parent(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    return root


def _write(out: Path, store: Store, run_id: str, rows, rollouts: dict, predictions: list[dict],
           selector: str, budget: int, name: str, model: str, report: str) -> None:
    verdicts = {(e.instance_id, e.sample_index): e
                for e in store.rows(EvaluationRow, eval_id=f"{run_id}.fast")}
    candidates = load_candidates(store, run_id)
    (out / "logs").mkdir(parents=True)
    (out / "trajs").mkdir()
    (out / "results").mkdir()
    (out / "all_preds.jsonl").write_text("".join(json.dumps(p) + "\n" for p in predictions))
    (out / "preds.json").write_text(json.dumps({p["instance_id"]: p for p in predictions}, indent=1))
    resolved, no_logs = [], []
    for row in rows:
        key = (row.instance_id, row.sample_index)
        logs = out / "logs" / row.instance_id
        logs.mkdir()
        (logs / "patch.diff").write_text(rollouts[key].patch)
        verdict = verdicts.get(key)
        if verdict is None:
            no_logs.append(row.instance_id)
        else:
            resolved += [row.instance_id] if verdict.resolved else []
            (logs / "report.json").write_text(json.dumps({row.instance_id: {
                "resolved": verdict.resolved, "status": verdict.status, "reason": verdict.reason}}, indent=1))
            if verdict.log_path and Path(verdict.log_path).is_file():
                shutil.copy(verdict.log_path, logs / "test_output.txt")
        pool = subsample(candidates[row.instance_id], budget, 0)  # what the selector saw
        (out / "trajs" / f"{row.instance_id}.json").write_text(json.dumps({
            "instance_id": row.instance_id, "selector": selector, "budget": budget,
            "chosen_sample": row.sample_index,
            "candidates": [{
                "sample_index": c.sample_index, "chosen": c.sample_index == row.sample_index,
                "finished": c.finished, "steps": c.steps, "signals": dict(c.signals), "patch": c.model_patch,
                "messages": _messages(rollouts[(row.instance_id, c.sample_index)].trajectory_path)}
                for c in pool],
        }, indent=1))
    empty = [p["instance_id"] for p in predictions if not p["model_patch"].strip()]
    (out / "results" / "results.json").write_text(json.dumps(
        {"resolved": sorted(resolved), "no_generation": sorted(empty), "no_logs": sorted(no_logs)}, indent=1))
    (out / "metadata.yaml").write_text(yaml.safe_dump({
        "info": {"name": name, "report": report, "authors": "", "site": "", "logo": ""},
        "tags": {"checked": False, "model": [model], "org": [], "os_model": True, "os_system": True,
                 "system": {"attempts": "1" if budget == 1 else "2+"}},
    }, sort_keys=False))
    (out / "README.md").write_text(
        f"# {name}\n\nRun `{run_id}`: {budget} rollouts per task of `{model}`, one submitted per task, "
        f"chosen by the `{selector}` selector from the trajectories and their signals (never from "
        f"evaluations or hidden tests). Report: {report}\n\nResolved {len(resolved)} of {len(predictions)} "
        f"by our own evaluation (results/results.json); the leaderboard's is authoritative.\n\n"
        "## Checklist\n\n" + CHECKLIST.format(n=budget, selector=selector))


def _messages(trajectory_path: str) -> list[dict]:
    trajectory = Trajectory.load_stored(trajectory_path)
    return trajectory.messages if trajectory else []
