"""The official evaluator: `python -m swebench.harness.run_evaluation`, exactly as users run it.

The official harness keys logs by (run_id, model, instance) and takes one prediction per instance,
so candidates are grouped by sample_index and each group gets its own run id `<eval>.s<k>`.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from itertools import groupby
from pathlib import Path

from swebench.harness.constants import APPLY_PATCH_FAIL, LOG_INSTANCE, LOG_REPORT, LOG_TEST_OUTPUT

from harness.errors import HarnessError
from harness.evaluation import Verdict
from harness.evaluation.grading import grade_log, why_unresolved
from harness.records import Instance, Prediction

log = logging.getLogger(__name__)


class OfficialEvaluator:
    name = "official"

    def __init__(self, timeout: float = 1800, modal: bool = False, **_fast_only: object):
        self.timeout = timeout
        self.modal = modal

    def evaluate(
        self, instances: dict[str, Instance], predictions: Sequence[Prediction], workers: int,
        log_dir: Path, on_verdict: Callable[[Verdict], None],
    ) -> None:
        for pred in predictions:
            if not pred.model_patch.strip():  # the official harness skips these
                on_verdict(Verdict(pred, "empty_patch", "empty patch"))
        todo = sorted((p for p in predictions if p.model_patch.strip()), key=lambda p: p.sample_index)
        for k, group in groupby(todo, key=lambda p: p.sample_index):
            group = list(group)
            start = time.monotonic()
            run_dir = self._run(instances, group, workers, log_dir / f"s{k}", f"{log_dir.name}.s{k}")
            per = (time.monotonic() - start) / len(group)
            for pred in group:
                on_verdict(self._verdict(instances[pred.instance_id], pred, run_dir, per))

    def _run(self, instances, group, workers, work: Path, run_id: str) -> Path:
        run_dir = work / "logs" / "run_evaluation" / run_id
        for p in group:  # the store decides what is done: never let swebench reuse an old report
            shutil.rmtree(_instance_dir(run_dir, p), ignore_errors=True)
        work.mkdir(parents=True, exist_ok=True)
        dataset, preds = work / "dataset.jsonl", work / "predictions.jsonl"
        dataset.write_text("".join(json.dumps(instances[p.instance_id].to_swebench()) + "\n" for p in group))
        preds.write_text("".join(
            json.dumps({"instance_id": p.instance_id, "model_patch": p.model_patch,
                        "model_name_or_path": p.model_name_or_path}) + "\n" for p in group
        ))
        cmd = [
            sys.executable, "-m", "swebench.harness.run_evaluation", "--dataset_name", str(dataset),
            "--predictions_path", str(preds), "--run_id", run_id, "--max_workers", str(workers),
            "--timeout", str(int(self.timeout)), "--report_dir", str(work),
        ] + (["--modal", "true"] if self.modal else [])
        with open(work / "run_evaluation.log", "w") as out:
            proc = subprocess.run(cmd, cwd=work, stdout=out, stderr=subprocess.STDOUT)
        if proc.returncode:
            # Its closing summary lists every container on the engine and dies if another process
            # removes one meanwhile; the per-instance logs, which are what we read, are then all there.
            unjudged = [p for p in group if not (_instance_dir(run_dir, p) / LOG_INSTANCE).exists()]
            if unjudged:
                raise HarnessError(f"swebench run_evaluation failed (exit {proc.returncode}) before judging "
                                   f"{unjudged[0].instance_id}; see {out.name}")
            log.warning("swebench run_evaluation exited %d after judging every prediction; see %s",
                        proc.returncode, out.name)
        return run_dir

    def _verdict(self, instance: Instance, pred: Prediction, run_dir: Path, duration: float) -> Verdict:
        d = _instance_dir(run_dir, pred)
        test_log, instance_log = d / LOG_TEST_OUTPUT, d / LOG_INSTANCE
        tests: tuple = ()
        grade = grade_log(instance, pred, test_log) if test_log.exists() else None
        if grade:
            tests = tuple((t, e, s) for t, (e, s) in grade.tests.items())
        if (d / LOG_REPORT).exists():
            report = json.loads((d / LOG_REPORT).read_text())[pred.instance_id]
            if report["resolved"]:
                return Verdict(pred, "resolved", "", tests, duration, str(test_log))
            reason = why_unresolved(grade) if grade else "not resolved"
            return Verdict(pred, "unresolved", reason, tests, duration, str(test_log))
        text = instance_log.read_text(errors="replace") if instance_log.exists() else ""
        if APPLY_PATCH_FAIL in text:
            return Verdict(pred, "patch_failed", "patch does not apply", tests, duration, str(instance_log))
        if "timed out" in text.lower():
            reason = f"tests exceeded {self.timeout:g} s"
            return Verdict(pred, "timeout", reason, tests, duration, str(instance_log))
        last = text.strip().splitlines()[-1][:200] if text.strip() else "no log written"
        return Verdict(pred, "error", last, tests, duration, str(instance_log))


def _instance_dir(run_dir: Path, pred: Prediction) -> Path:
    """Where swebench's run_instance logs a prediction (it replaces / in the model name)."""
    return run_dir / pred.model_name_or_path.replace("/", "__") / pred.instance_id
