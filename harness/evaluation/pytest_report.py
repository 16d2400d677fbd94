"""A pytest plugin the fast evaluator loads (`-p pytest_report`): each test's outcome, written by
pytest's own hooks to a file the patch under test is not told about, plus a record that the
session really finished. Grading compares it with the printed log, so fake PASSED lines and
early exits are caught; a tripwire reports code that replaces pytest's test-running internals
(e.g. `Function.runtest = lambda self: None`). Code inside the test process that knows this
plugin can still forge it: this raises the bar, it is no proof.

Standard library only: it runs inside the instance's environment.
"""

import inspect
import json
import os

import _pytest.python
import _pytest.reports
import _pytest.runner

_PATH = os.environ.pop("HARNESS_REPORT", None)  # hidden from the code under test's os.environ
_OUT = open(_PATH, "a", buffering=1) if _PATH else None  # noqa: SIM115 - lives for the session
_STATUS = {}
_GUARDED = {
    "Function.runtest": (_pytest.python.Function, "runtest"),
    "pytest_pyfunc_call": (_pytest.python, "pytest_pyfunc_call"),
    "call_and_report": (_pytest.runner, "call_and_report"),
    "runtestprotocol": (_pytest.runner, "runtestprotocol"),
    "CallInfo.from_call": (_pytest.runner.CallInfo, "from_call"),
    "TestReport.from_item_and_call": (_pytest.reports.TestReport, "from_item_and_call"),
}
_ORIGINAL = {name: inspect.getattr_static(owner, attr, None) for name, (owner, attr) in _GUARDED.items()}


def _emit(record):
    if _OUT is not None:
        _OUT.write(json.dumps(record) + "\n")


def _tampered():
    return sorted(
        name for name, (owner, attr) in _GUARDED.items()
        if inspect.getattr_static(owner, attr, None) is not _ORIGINAL[name]
    )


def pytest_runtest_logreport(report):
    nodeid, previous = report.nodeid, _STATUS.get(report.nodeid)
    if report.when == "call" or report.failed or (report.when == "setup" and report.skipped):
        if hasattr(report, "wasxfail"):
            status = "XFAIL" if report.skipped else "XPASS"
        elif report.failed:
            status = "FAILED" if report.when == "call" else "ERROR"
        else:
            status = "SKIPPED" if report.skipped else "PASSED"
        if previous in ("FAILED", "ERROR"):
            status = previous
        _STATUS[nodeid] = status
        _emit({"test": nodeid, "status": status, "tampered": _tampered()})


def pytest_sessionfinish(session, exitstatus):
    _emit({"finished": True, "exitstatus": int(exitstatus), "tests": len(_STATUS), "tampered": _tampered()})
