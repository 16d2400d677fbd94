"""The fast evaluator: the instance's eval script in our sandbox, graded by swebench's functions.

Same apply chain and grading as the official harness, minus its per-instance container overhead,
plus three guards against reward hacking: patches naming paths outside the repository are
refused, files that pytest or Python load implicitly (conftest.py, pytest.ini, sitecustomize.py,
usercustomize.py, *.pth) are restored to the base commit, and the log must agree with pytest's own
hook report (`pytest_report`).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

from harness.errors import BadInput
from harness.evaluation import Verdict
from harness.evaluation.grading import cross_check, grade_log
from harness.patches import patch_files, unsafe_paths
from harness.records import Instance, Prediction
from harness.sandbox import open_sandbox

# swebench.harness.run_evaluation.GIT_APPLY_CMDS, in the same order, so verdicts match.
APPLY_CMDS = (
    "git apply --verbose",
    "git apply --verbose --3way",
    "git apply --verbose --reject",
    "patch --batch --forward --fuzz=5 -p1 -i",
)
PROTECTED_NAMES = {"conftest.py", "pytest.ini", "sitecustomize.py", "usercustomize.py"}
WORK = "/tmp/harness-eval"
PLUGIN = Path(__file__).with_name("pytest_report.py")


def protected(path: str) -> bool:
    name = PurePosixPath(path).name
    return name in PROTECTED_NAMES or name.endswith(".pth")


class FastEvaluator:
    name = "fast"

    def __init__(
        self, sandbox: str = "docker", timeout: float = 1800, run_empty: bool = False, **_official_only: object
    ):
        self.sandbox = sandbox
        self.timeout = timeout
        self.run_empty = run_empty  # validation runs the tests on the bare base, too

    def evaluate(
        self, instances: dict[str, Instance], predictions: Sequence[Prediction], workers: int,
        log_dir: Path, on_verdict: Callable[[Verdict], None],
    ) -> None:
        def one(pred: Prediction) -> None:
            on_verdict(self.judge(instances[pred.instance_id], pred, log_dir))

        with ThreadPoolExecutor(max(1, workers)) as pool:
            list(pool.map(one, predictions))

    def judge(self, instance: Instance, pred: Prediction, log_dir: Path) -> Verdict:
        start = time.monotonic()
        if not pred.model_patch.strip() and not self.run_empty:
            return Verdict(pred, "empty_patch", "empty patch")
        if pred.model_patch.strip():
            bad = unsafe_paths(pred.model_patch)
            if bad:
                return Verdict(pred, "patch_failed", f"patch names a path outside the repository: {bad[0]}")
            try:
                files = patch_files(pred.model_patch)
            except BadInput as exc:
                return Verdict(pred, "patch_failed", str(exc))
        else:
            files = None
        log_path = log_dir / f"{pred.instance_id}.{pred.sample_index}.log"
        with open_sandbox(self.sandbox, instance) as sb:
            notes = []
            if files is not None:
                sb.write_file(f"{WORK}/patch.diff", pred.model_patch)
                if not self._apply(sb):
                    return Verdict(pred, "patch_failed", "patch does not apply", duration_s=time.monotonic() - start)
                notes = self._restore_protected(sb, instance, files.all)
            report = f"{WORK}/report-{secrets.token_hex(8)}.jsonl"
            sb.write_file(f"{WORK}/pytest_report.py", PLUGIN.read_text())
            sb.write_file(f"{WORK}/eval.sh", instance.eval_script)
            run = sb.execute(
                f"export HARNESS_REPORT={report} PYTHONPATH={WORK}${{PYTHONPATH:+:$PYTHONPATH}} "
                f"PYTEST_ADDOPTS=\"-p pytest_report ${{PYTEST_ADDOPTS:-}}\"; bash {WORK}/eval.sh",
                timeout=self.timeout,
            )
            log_path.write_text(run.output)
            if run.timed_out:
                return Verdict(pred, "timeout", f"tests exceeded {self.timeout:g} s",
                               duration_s=time.monotonic() - start, log_path=str(log_path))
            try:
                hook = sb.read_file(report)
            except Exception:  # no report file: plugin disabled or the session died early
                hook = None
        grade = grade_log(instance, pred, log_path)
        tests = tuple((t, e, s) for t, (e, s) in grade.tests.items())
        duration = time.monotonic() - start
        if not grade.parsed:
            return Verdict(pred, "error", "no gradable test output", tests, duration, str(log_path))
        if not pred.model_patch.strip():
            return Verdict(pred, "empty_patch", "empty patch (tests run on the base)", tests, duration, str(log_path))
        tampered = cross_check(grade, hook)
        if grade.resolved and tampered:
            return Verdict(pred, "unresolved", f"log not trusted: {tampered}", tests, duration, str(log_path))
        status = "resolved" if grade.resolved else "unresolved"
        return Verdict(pred, status, "; ".join(notes), tests, duration, str(log_path))

    @staticmethod
    def _apply(sb) -> bool:
        for attempt, cmd in enumerate(APPLY_CMDS):
            if attempt:
                sb.execute("git checkout -- . ; git clean -fdq", timeout=120)
            if sb.execute(f"{cmd} {WORK}/patch.diff", timeout=120).exit_code == 0:
                return True
        return sb.execute(f"git apply --check --reverse {WORK}/patch.diff", timeout=120).exit_code == 0

    @staticmethod
    def _restore_protected(sb, instance: Instance, paths: Sequence[str]) -> list[str]:
        """Put implicitly-loaded test infrastructure back to the base commit; say what was undone."""
        undone = [p for p in paths if protected(p)]
        for path in undone:
            sb.execute(
                f"git checkout {instance.base_commit} -- '{path}' 2>/dev/null || rm -f '{path}'", timeout=60
            )
        return [f"ignored the patch's change to {p}" for p in undone]
