"""A submission's `logs/<instance_id>/`, as swebench's run_instance writes it, whatever judged the pick.

swebench 5.0.2's run_instance leaves, per prediction, under `logs/run_evaluation/<run>/<model>/<id>/`:
patch.diff, eval.sh, test_output.txt, report.json (`get_eval_report(..., include_tests_status=True)`)
and run_instance.log; a patch that fails to apply leaves patch.diff and run_instance.log only, and an
empty patch is not run at all. The experiments repository's analysis/get_results.py reads
patch.diff (absent: no_generation) and test_output.txt (absent: no_logs) and re-grades the latter.
So: an `official` verdict's folder is copied; a `fast` verdict's is rebuilt from what it stored (the
test log, the instance's eval script, swebench's own report on that log); and every folder gets a
report.json in swebench's shape and a run_instance.log saying who judged it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from swebench.harness.grading import get_eval_report
from swebench.harness.utils import make_test_spec

from harness.records import EvaluationRow, Instance
from harness.store import Store, eval_id

LOG_FILES = ("patch.diff", "report.json", "test_output.txt", "eval.sh", "run_instance.log")
EVALUATORS = ("official", "fast")  # a pick judged by both reads the leaderboard's own harness first
Key = tuple[str, int]  # (instance_id, sample_index)


def picked_verdicts(store: Store, run_id: str, keys: set[Key]) -> dict[Key, EvaluationRow]:
    """The stored verdict on each picked (instance, sample), from `<run_id>.<evaluator>`."""
    found: dict[Key, EvaluationRow] = {}
    for evaluator in reversed(EVALUATORS):
        for row in store.rows(EvaluationRow, eval_id=eval_id(run_id, evaluator)):
            if (row.instance_id, row.sample_index) in keys:
                found[(row.instance_id, row.sample_index)] = row
    return found


def verdict_problems(run_id: str, patches: dict[Key, str], verdicts: dict[Key, EvaluationRow]) -> list[str]:
    """Why the picks' logs cannot be written: unjudged, judged on another patch, or log gone."""
    problems = []
    if unjudged := sorted(set(patches) - set(verdicts)):
        iid, k = unjudged[0]
        problems.append(f"{len(unjudged)} chosen samples have no evaluation (e.g. {iid} sample {k}): run "
                        f"`harness evaluate --run {run_id} [-e official]`")
    judged = [v for _, v in sorted(verdicts.items())]
    if stale := [v for v in judged if v.patch_sha256 != _sha256(patches[(v.instance_id, v.sample_index)])]:
        v = stale[0]
        problems.append(f"{len(stale)} chosen samples were evaluated on another patch than the rollout "
                        f"holds (e.g. {v.instance_id} sample {v.sample_index} in {v.eval_id})")
    if gone := [v.log_path for v in judged if v.log_path and not Path(v.log_path).is_file()]:
        problems.append(f"{len(gone)} evaluation logs are gone (e.g. {gone[0]})")
    return problems


def needs_instance(verdict: EvaluationRow) -> bool:
    """A fast verdict with a test log: its eval.sh and report.json come from the instance."""
    return verdict.evaluator != "official" and bool(verdict.log_path)


def write_logs(out: Path, verdict: EvaluationRow, patch: str, instance: Instance | None) -> bool:
    """Fill `out` (logs/<instance_id>/) for `verdict` on `patch`; True when swebench's grading of the
    test log alone says resolved and the verdict does not (the leaderboard re-grades that log)."""
    out.mkdir(parents=True)
    overruled = False
    if verdict.evaluator == "official" and verdict.log_path:
        source = Path(verdict.log_path).parent  # swebench's folder for this prediction
        for name in LOG_FILES:
            if (source / name).is_file():
                shutil.copyfile(source / name, out / name)
    elif verdict.log_path:
        assert instance is not None, "needs_instance(verdict) holds: load it"
        shutil.copyfile(verdict.log_path, out / "test_output.txt")
        (out / "eval.sh").write_text(instance.eval_script)
        report = _graded(instance, patch, out / "test_output.txt")
        # our verdict can be stricter than the log (fast refuses a log pytest's own hooks contradict)
        overruled = report[verdict.instance_id]["resolved"] and not verdict.resolved
        report[verdict.instance_id]["resolved"] = verdict.resolved
        (out / "report.json").write_text(json.dumps(report, indent=4))
    if patch.strip():  # swebench runs no empty patch; get_results counts a missing patch.diff no_generation
        (out / "patch.diff").write_text(patch)
    if not (out / "report.json").exists():
        (out / "report.json").write_text(json.dumps(outcome_report(verdict.instance_id, patch), indent=4))
    if not (out / "run_instance.log").exists():
        (out / "run_instance.log").write_text(_note(verdict))
    return overruled


def outcome_report(instance_id: str, patch: str) -> dict:
    """swebench's report for a prediction whose tests gave no gradable log (empty patch, patch that
    does not apply, timeout, error): its keys, from its own function, nothing applied or resolved."""
    report = get_eval_report(None, {"instance_id": instance_id, "model_patch": None}, "", True)
    report[instance_id].update(patch_is_None=False, patch_exists=bool(patch.strip()))
    return report


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _graded(instance: Instance, patch: str, log: Path) -> dict:
    prediction = {"instance_id": instance.instance_id, "model_patch": patch, "model_name_or_path": "harness"}
    return get_eval_report(make_test_spec(instance.to_swebench()), prediction, str(log), True)


def _note(v: EvaluationRow) -> str:
    how = ("swebench's run_instance left no log for it" if v.evaluator == "official"
           else "judged in the harness's own sandbox, not by swebench's run_instance")
    return (f"{v.instance_id} sample {v.sample_index}: evaluator `{v.evaluator}` (eval id {v.eval_id}); "
            f"{how}.\nstatus: {v.status}\nresolved: {str(v.resolved).lower()}\nreason: {v.reason or '-'}\n")
