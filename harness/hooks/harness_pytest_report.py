"""A pytest plugin, registered by the pytest11 entry point of the hooks' dist-info (on PYTHONPATH or
in site-packages, so no command line changes): each test's outcome from pytest's own hooks, named as `-rA`
prints it, plus records that the session started and finished (harness_guard's report). A
tripwire reports code that replaces pytest's test-running internals (`Function.runtest = ...`).

Standard library and pytest only, no syntax newer than Python 3.5: it runs in the instance's
environment, under pytest 4 to 9.
"""

import _pytest.python
import _pytest.reports
import _pytest.runner
from harness_guard import emit, snapshot, tampered

_GUARDED = {
    "Function.runtest": (_pytest.python.Function, "runtest"),
    "pytest_pyfunc_call": (_pytest.python, "pytest_pyfunc_call"),
    "call_and_report": (_pytest.runner, "call_and_report"),
    "runtestprotocol": (_pytest.runner, "runtestprotocol"),
    "CallInfo.from_call": (_pytest.runner.CallInfo, "from_call"),
    "TestReport.from_item_and_call": (_pytest.reports.TestReport, "from_item_and_call"),
}
_ORIGINAL = snapshot(_GUARDED)
_STATUS = {}
_CONFIG = []


def _name(nodeid):
    """The id as `-rA` prints it: relative to the directory pytest was started in."""
    try:
        return _CONFIG[0].cwd_relative_nodeid(nodeid)
    except Exception:
        return nodeid


def pytest_configure(config):
    _CONFIG[:] = [config]


def pytest_sessionstart(session):
    emit({"runner": "pytest", "event": "start"})


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
        emit({"runner": "pytest", "event": "test", "test": _name(nodeid), "status": status,
              "tampered": tampered(_GUARDED, _ORIGINAL)})


def pytest_sessionfinish(session, exitstatus):
    emit({"runner": "pytest", "event": "finish", "exitstatus": int(exitstatus),
          "tampered": tampered(_GUARDED, _ORIGINAL)})
