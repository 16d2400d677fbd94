"""validate-benchmark's per-test rules on constructed statuses: labels must match behaviour."""

from __future__ import annotations

import pytest

from harness.evaluation.validate import InstanceCheck, _check_tests

F, P = "FAIL_TO_PASS", "PASS_TO_PASS"


def check(kind: str, tests: dict, evaluator: str = "fast") -> InstanceCheck:
    c = InstanceCheck("i")
    _check_tests(c, kind, tests, evaluator)
    return c


def test_behaving_as_labelled_is_ok():
    assert check("gold", {("t1", F): {"PASSED"}, ("t2", P): {"XFAIL"}}).ok
    assert check("empty", {("t1", F): {"FAILED"}, ("t3", F): {"ERROR"}, ("t2", P): {"PASSED"}}).ok


@pytest.mark.parametrize(("kind", "tests", "problems"), [
    ("empty", {("t1", F): {"PASSED"}}, ["FAIL_TO_PASS test passes before the fix: t1"]),
    ("empty", {("t1", F): {"XFAIL"}}, ["FAIL_TO_PASS test passes before the fix: t1"]),
    ("empty", {("t2", P): {"FAILED"}}, ["PASS_TO_PASS test fails before the fix: t2"]),
    ("empty", {("t2", P): {"MISSING"}}, ["PASS_TO_PASS test fails before the fix: t2"]),
    ("gold", {("t1", F): {"FAILED"}, ("t2", P): {"PASSED"}, ("t3", P): {"SKIPPED"}},
     ["FAIL_TO_PASS test fails with gold: t1", "PASS_TO_PASS test fails with gold: t3"]),
])
def test_mislabelled_tests_are_problems(kind, tests, problems):
    c = check(kind, tests)
    assert (c.problems, c.flaky, c.ok) == (problems, False, False)


def test_statuses_that_change_between_repeats_are_flaky():
    c = check("gold", {("t1", F): {"PASSED"}, ("t2", P): {"PASSED", "FAILED"}})
    assert (c.flaky, c.ok) == (True, False)
    assert c.problems == ["PASS_TO_PASS test fails with gold: t2"]
    c = check("empty", {("t1", F): {"FAILED", "ERROR"}})  # fails either way, but not the same way
    assert (c.flaky, c.problems) == (True, [])


def test_official_evaluator_has_no_test_output_for_empty_runs():
    c = check("empty", {("t1", F): {"PASSED"}}, evaluator="official")
    assert (c.problems, c.flaky) == ([], False)
    assert check("gold", {("t1", F): {"FAILED"}}, "official").problems == [
        "FAIL_TO_PASS test fails with gold: t1"
    ]
