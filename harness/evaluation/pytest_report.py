"""A pytest plugin the fast evaluator loads (`-p pytest_report`): each test's outcome, written by
pytest's own hooks to a file the patch under test does not know, plus a record that the session
really finished. Grading compares it with the printed log, so fake PASSED lines are caught.

Standard library only: it runs inside the instance's environment.
"""

import json
import os

_PATH = os.environ.get("HARNESS_REPORT")
_OUT = open(_PATH, "a", buffering=1) if _PATH else None  # noqa: SIM115 - lives for the session
_STATUS: dict = {}


def _emit(record):
    if _OUT is not None:
        _OUT.write(json.dumps(record) + "\n")


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
        _emit({"test": nodeid, "status": status})


def pytest_sessionfinish(session, exitstatus):
    _emit({"finished": True, "exitstatus": int(exitstatus), "tests": len(_STATUS)})
