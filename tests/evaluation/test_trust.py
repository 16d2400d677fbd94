"""The log's verdicts must be backed by the runner's own hooks: constructed reports per runner."""

from __future__ import annotations

import json

import pytest

from harness.evaluation.grading import Grade
from harness.evaluation.trust import check, hooks_for, outcomes, read_report, render

DJANGO_DOC = "test_due (lending.tests.LoanTests.test_due)\nA loan is due after 14 days."


def report(runner: str, tests: dict[str, str], started: int = 1, finished: int = 1,
           tampered: tuple[str, ...] = (), pid: int = 7) -> str:
    lines = [json.dumps({"runner": runner, "event": "start", "pid": pid})] * started
    lines += [json.dumps({"runner": runner, "event": "test", "test": t, "status": s, "pid": pid})
              for t, s in tests.items()]
    end = {"runner": runner, "event": "finish", "tampered": list(tampered), "pid": pid}
    lines += [json.dumps(end)] * finished
    return "\n".join([*lines, "not json, ignored"]) + "\n"


def test_hooks_follow_the_log_parser():
    assert [hooks_for(p) for p in ("parse_log_pytest", "parse_log_sphinx", "parse_log_xarray",
                                   "parse_log_matplotlib", "parse_log_django", "parse_log_sympy",
                                   "parse_log_go_test", "no_such_parser")] == [
        "pytest", "pytest", "pytest", "pytest", "unittest", "sympy", None, None]


def test_rendered_hooks_get_the_logs_names():
    """Django keys a test with a docstring by the docstring's line; pytest ids are cut at a space."""
    from swebench.harness.log_parsers.python import parse_log_django, parse_log_pytest

    django = render("unittest", {DJANGO_DOC: "PASSED", "test_x (a.T.test_x)": "FAILED"})
    assert parse_log_django(django, None) == {"A loan is due after 14 days.": "PASSED",
                                              "test_x (a.T.test_x)": "FAILED"}
    pytest_ = render("pytest", {"tests/t.py::test_s[hello world]": "PASSED"})
    assert parse_log_pytest(pytest_, None) == {"tests/t.py::test_s[hello": "PASSED"}


def test_a_failure_in_any_phase_sticks():
    records = read_report(report("unittest", {"t": "PASSED"}) + report("unittest", {"t": "FAILED"})
                          + report("unittest", {"t": "PASSED"}))
    assert outcomes(records) == {"t": "FAILED"}


@pytest.mark.parametrize(("parser", "runner", "hooked", "graded"), [
    ("parse_log_pytest", "pytest",
     {"tests/t.py::test_s[hello world]": "PASSED", "tests/t.py::b": "SKIPPED"},
     {"tests/t.py::test_s[hello": ("FAIL_TO_PASS", "PASSED"), "tests/t.py::b": ("PASS_TO_PASS", "SKIPPED")}),
    ("parse_log_django", "unittest", {DJANGO_DOC: "PASSED"},
     {"A loan is due after 14 days.": ("FAIL_TO_PASS", "PASSED")}),
    ("parse_log_sympy", "sympy", {"test_units": "PASSED", "test_other": "XFAIL"},
     {"test_units": ("FAIL_TO_PASS", "PASSED")}),
])
def test_backed_logs_are_trusted(parser, runner, hooked, graded):
    trust = check(parser, Grade(True, True, graded), report(runner, hooked))
    assert (trust.hooks, trust.problem) == (runner, "")


GRADED = Grade(True, True, {"A loan is due after 14 days.": ("FAIL_TO_PASS", "PASSED"),
                            "test_y (a.T.test_y)": ("PASS_TO_PASS", "SKIPPED")})
BOTH = {DJANGO_DOC: "PASSED", "test_y (a.T.test_y)": "SKIPPED"}


NO_RUN = "no unittest run started under the result hooks (a stubbed runner?)"


@pytest.mark.parametrize(("text", "problem"), [
    ("", NO_RUN),
    (report("pytest", {"x::y": "PASSED"}), NO_RUN),
    (report("unittest", BOTH, finished=0), "the unittest run did not finish (exited early)"),
    (report("unittest", BOTH, started=2, finished=1), "the unittest run did not finish (exited early)"),
    (report("unittest", BOTH, tampered=("TestCase.run",)),
     "unittest internals were replaced during the run: TestCase.run"),
    (report("unittest", {DJANGO_DOC: "FAILED", "test_y (a.T.test_y)": "SKIPPED"}),
     "log says A loan is due after 14 days. PASSED, the unittest hooks say FAILED"),
    (report("unittest", {DJANGO_DOC: "PASSED"}),
     "log says test_y (a.T.test_y) SKIPPED, the unittest hooks say not run"),
])
def test_unbacked_logs_are_not_trusted(text, problem):
    assert check("parse_log_django", GRADED, text).problem == problem


def test_pytest_ids_back_r2e_gym_names_and_a_shared_name_keeps_a_failure():
    """R2E-Gym's eval script logs `Class.test` for `r2e_tests/test_1.py::Class::test`."""
    hooked = {"r2e_tests/test_1.py::TestA::test_x": "PASSED", "r2e_tests/test_1.py::test_y": "PASSED",
              "r2e_tests/test_2.py::test_y": "FAILED", "r2e_tests/test_2.py::test_z": "PASSED"}
    backed = check("parse_log_pytest", Grade(True, True, {"TestA.test_x": ("FAIL_TO_PASS", "PASSED"),
                                                         "test_z": ("FAIL_TO_PASS", "PASSED")}),
                   report("pytest", hooked))
    assert backed.problem == ""
    shared = check("parse_log_pytest", Grade(True, True, {"test_y": ("FAIL_TO_PASS", "PASSED")}),
                   report("pytest", hooked))
    assert shared.problem == "log says test_y PASSED, the pytest hooks say FAILED"
    unrun = check("parse_log_pytest", Grade(True, True, {"test_w": ("FAIL_TO_PASS", "PASSED")}),
                  report("pytest", hooked))
    assert unrun.problem == "log says test_w PASSED, the pytest hooks say not run"


def test_every_process_that_started_must_finish():
    two = report("unittest", BOTH, pid=1) + report("unittest", {}, finished=0, pid=2)
    assert check("parse_log_django", GRADED, two).problem == "the unittest run did not finish (exited early)"
    both_finished = report("unittest", BOTH, pid=1) + report("unittest", {}, pid=2)
    assert check("parse_log_django", GRADED, both_finished).problem == ""


def test_a_runner_without_hooks_is_graded_as_official():
    trust = check("parse_log_go_test", Grade(True, True, {"TestX": ("FAIL_TO_PASS", "PASSED")}), "")
    assert (trust.hooks, trust.problem) == (None, "")
