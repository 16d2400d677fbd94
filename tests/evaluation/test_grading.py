"""Grading: swebench's verdict on hand-written logs, and stored row counts."""

from __future__ import annotations

import hashlib

import pytest

from harness.benchmarks.swe_mini import SWE_MINI
from harness.evaluation import Verdict
from harness.evaluation.grading import Grade, grade_log
from harness.records import EvalTestRow, EvaluationRow, Prediction

INSTANCE = SWE_MINI.load(instance_ids=["swe-mini__verspec-1"])[0]
F2P, P2P = INSTANCE.FAIL_TO_PASS, INSTANCE.PASS_TO_PASS
PRED = Prediction(INSTANCE.instance_id, "diff --git a/x b/x\n", "m", 2)


def pytest_log(statuses: dict[str, str], tail: str = "") -> str:
    """What the eval script prints under `set -x`: markers, then pytest -rA's summary lines."""
    lines = ["+ git apply --verbose -", "Applied patch tests/test_version.py cleanly.",
             "+ : '>>>>> Start Test Output'", "+ python3 -m pytest -rA -p no:cacheprovider tests",
             "=========================== short test summary info ============================"]
    lines += [f"{s} {t}" + (" - AssertionError" if s == "FAILED" else "") for t, s in statuses.items()]
    lines += ["======================== 1 failed, 47 passed in 0.31s =========================",
              "+ : '>>>>> End Test Output'", "+ git checkout abc -- tests/test_version.py"]
    return "\n".join(lines) + "\n" + tail


ALL_PASSED = {t: "PASSED" for t in F2P + P2P}


def grade(tmp_path, text: str) -> Grade:
    (tmp_path / "test_output.txt").write_text(text)
    return grade_log(INSTANCE, PRED, tmp_path / "test_output.txt")


def test_all_passing_log_resolves(tmp_path):
    g = grade(tmp_path, pytest_log(ALL_PASSED))
    assert (g.parsed, g.resolved) == (True, True)
    assert g.tests == {**{t: ("FAIL_TO_PASS", "PASSED") for t in F2P},
                       **{t: ("PASS_TO_PASS", "PASSED") for t in P2P}}


def test_one_failing_f2p_and_one_missing_p2p(tmp_path):
    statuses = {t: "PASSED" for t in F2P + P2P[1:]} | {F2P[0]: "FAILED"}
    g = grade(tmp_path, pytest_log(statuses))
    assert (g.parsed, g.resolved) == (True, False)
    assert g.tests[F2P[0]] == ("FAIL_TO_PASS", "FAILED")
    assert g.tests[F2P[1]] == ("FAIL_TO_PASS", "PASSED")
    assert g.tests[P2P[0]] == ("PASS_TO_PASS", "MISSING")
    assert len(g.tests) == len(F2P) + len(P2P)


@pytest.mark.parametrize("text", [
    ">>>>> Patch Apply Failed\n",
    "no markers at all\nPASSED tests/test_version.py::test_bump_major\n",
    # a non-zero test exit with no failure in the log: swebench does not trust it
    pytest_log(ALL_PASSED, tail=">>>>> Test Exit Code: 1\n"),
], ids=["apply failed", "no markers", "exit code contradicts log"])
def test_unparseable_logs(tmp_path, text):
    g = grade(tmp_path, text)
    assert (g.parsed, g.resolved) == (False, False)
    assert set(g.tests.values()) == {("FAIL_TO_PASS", "MISSING"), ("PASS_TO_PASS", "MISSING")}


# ---------------------------------------------------------------- Verdict.rows


def test_verdict_rows():
    tests = (("f1", "FAIL_TO_PASS", "PASSED"), ("f2", "FAIL_TO_PASS", "FAILED"),
             ("p1", "PASS_TO_PASS", "XFAIL"), ("p2", "PASS_TO_PASS", "SKIPPED"),
             ("p3", "PASS_TO_PASS", "PASSED"))
    verdict = Verdict(PRED, "unresolved", "why", tests, duration_s=1.23456, log_path="l.log")
    head, *children = verdict.rows("ev", "fast")
    assert head == EvaluationRow(
        eval_id="ev", instance_id=INSTANCE.instance_id, sample_index=2, evaluator="fast",
        model_name_or_path="m", status="unresolved", resolved=False, reason="why",
        patch_sha256=hashlib.sha256(PRED.model_patch.encode()).hexdigest(), f2p_passed=1,
        f2p_total=2, p2p_passed=2, p2p_total=3, duration_s=1.235, log_path="l.log",
        created_at=head.created_at,
    )
    assert children == [EvalTestRow("ev", INSTANCE.instance_id, 2, *t) for t in tests]
    empty_head, *none = Verdict(PRED, "empty_patch").rows("ev", "official")
    assert (empty_head.f2p_total, empty_head.p2p_total, empty_head.resolved, none) == (0, 0, False, [])
    assert Verdict(PRED, "resolved").rows("ev", "fast")[0].resolved is True
