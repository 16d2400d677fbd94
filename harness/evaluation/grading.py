"""Grading with swebench's own functions, plus the fast evaluator's integrity check.

`grade_log` is the official verdict rule (`get_eval_report` on the test log); `cross_check`
refuses a log whose verdicts on the graded tests disagree with pytest's own hook report.
"""

from __future__ import annotations

import json
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


def why_unresolved(grade: Grade, show: int = 3) -> str:
    """The graded tests that keep a log from resolving, by swebench's rules (a FAIL_TO_PASS test
    must pass; a PASS_TO_PASS test must pass or skip), e.g. `2/2 FAIL_TO_PASS failing: t FAILED`."""
    parts = []
    for expected, ok in ((FAIL_TO_PASS, test_passed), (PASS_TO_PASS, test_maintained)):
        graded = [(t, s) for t, (e, s) in grade.tests.items() if e == expected]
        bad = [f"{t} {s}" for t, s in graded if not ok(t, {t: s})]
        if bad:
            more = f" (+{len(bad) - show} more)" if len(bad) > show else ""
            parts.append(f"{len(bad)}/{len(graded)} {expected} failing: {', '.join(bad[:show])}{more}")
    return "; ".join(parts) or "not resolved"


def read_hook_report(text: str | None) -> tuple[dict[str, str], bool, set[str]]:
    """(test -> status, session finished, replaced pytest internals) from the plugin's JSON lines."""
    statuses, finished, tampered = {}, False, set()
    for line in (text or "").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        tampered.update(record.get("tampered") or ())
        if record.get("finished"):
            finished = True
        elif "test" in record:
            statuses[record["test"]] = record["status"]
    return statuses, finished, tampered


def cross_check(grade: Grade, hook_text: str | None) -> str:
    """Empty when the hook report backs every graded test's verdict, else the reason it does not."""
    statuses, finished, tampered = read_hook_report(hook_text)
    if hook_text is None:
        return "pytest's own report is missing (plugin disabled or the run was cut short)"
    if tampered:
        return f"pytest internals were replaced during the run: {', '.join(sorted(tampered))}"
    if not finished:
        return "the test session did not finish (exited early)"
    for test, (_, logged) in grade.tests.items():
        if test_passed(test, {test: logged}) != test_passed(test, statuses):
            return f"log says {test} {logged}, pytest's hooks say {statuses.get(test, 'not run')}"
    return ""
