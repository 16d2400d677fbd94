"""Grading with swebench's own functions: `grade_log` is the official verdict rule
(`get_eval_report` on the test log), with each graded test's status for the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from swebench.harness.constants import FAIL_TO_PASS, PASS_TO_PASS
from swebench.harness.grading import get_eval_report, get_logs_eval, test_maintained, test_passed
from swebench.harness.utils import make_test_spec

from harness.records import Instance, Prediction


@dataclass(frozen=True)
class Grade:
    """What the log says: applied/parsed at all, resolved, and each graded test's status."""

    parsed: bool
    resolved: bool
    tests: dict[str, tuple[str, str]] = field(default_factory=dict)  # test -> (expected, status)


def grade_log(instance: Instance, prediction: Prediction, log_path: Path) -> Grade:
    """swebench's verdict on a test log, with per-test statuses for the store."""
    spec = make_test_spec(instance.to_swebench())
    pred = {"instance_id": prediction.instance_id, "model_patch": prediction.model_patch,
            "model_name_or_path": prediction.model_name_or_path}
    report = get_eval_report(spec, pred, str(log_path), include_tests_status=True)[instance.instance_id]
    status_map, _ = get_logs_eval(spec, str(log_path))
    tests = {
        t: (expected, status_map.get(t, "MISSING"))
        for expected, names in ((FAIL_TO_PASS, instance.FAIL_TO_PASS), (PASS_TO_PASS, instance.PASS_TO_PASS))
        for t in names
    }
    return Grade(bool(report["patch_successfully_applied"]), bool(report["resolved"]), tests)


def holds(expected: str, test: str, statuses: dict[str, str]) -> bool:
    """swebench's rule for one graded test: a FAIL_TO_PASS test must pass (or xfail); a
    PASS_TO_PASS test must pass or skip."""
    return (test_passed if expected == FAIL_TO_PASS else test_maintained)(test, statuses)


def why_unresolved(grade: Grade, show: int = 3) -> str:
    """The graded tests that keep a log from resolving, by swebench's rules (a FAIL_TO_PASS test
    must pass; a PASS_TO_PASS test must pass or skip), e.g. `2/2 FAIL_TO_PASS failing: t FAILED`."""
    parts = []
    for expected in (FAIL_TO_PASS, PASS_TO_PASS):
        graded = [(t, s) for t, (e, s) in grade.tests.items() if e == expected]
        bad = [f"{t} {s}" for t, s in graded if not holds(expected, t, {t: s})]
        if bad:
            more = f" (+{len(bad) - show} more)" if len(bad) > show else ""
            parts.append(f"{len(bad)}/{len(graded)} {expected} failing: {', '.join(bad[:show])}{more}")
    return "; ".join(parts) or "not resolved"
