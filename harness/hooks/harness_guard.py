"""Loaded at interpreter start in the fast evaluator's sandbox (sitecustomize or a .pth file): the
test runners' own result hooks write each test's outcome to a report the printed log cannot
touch, plus a record that a run started and one that it finished. Grading compares the two, so
fake result lines, early exits and runner stubs never count.

Hooked here: unittest's TestResult (Django's runtests.py and other unittest runners) and SymPy's
PyTestReporter (bin/test), patched when its module is imported. pytest has its own plugin
(harness_pytest_report). Tripwires report code that replaces the hooked methods. Code in the test
process that knows this module can still forge its report: this raises the bar, it is no proof.

Standard library only, and no syntax newer than Python 3.5: it runs in the instance's environment.
"""

import inspect
import json
import os
import sys

ACTIVE = "/tmp/harness-eval/guard-active"  # written by the fast evaluator; absent: do nothing
REPORT = "/tmp/harness-eval/guard-report.jsonl"
SYMPY_MODULES = ("sympy.testing.runtests", "sympy.utilities.runtests")
_out = []


def emit(record):
    """Append one JSON line to the report (opened lazily, line-buffered, shared by processes)."""
    if not getattr(sys, "_harness_guard", False):
        return
    if not _out:
        _out.append(open(REPORT, "a", buffering=1))
    record["pid"] = os.getpid()
    _out[0].write(json.dumps(record) + "\n")


def tampered(guarded, original):
    return sorted(name for name, (owner, attr) in guarded.items()
                  if inspect.getattr_static(owner, attr, None) is not original[name])


def snapshot(guarded):
    return dict((name, inspect.getattr_static(owner, attr, None)) for name, (owner, attr) in guarded.items())


# ---------------------------------------------------------------- unittest (Django and others)

def _describe(test):
    """What TextTestResult prints for a test at verbosity 2: str(test), then the docstring's line."""
    try:
        doc = test.shortDescription()
    except Exception:
        doc = None
    return str(test) + ("\n" + doc if doc else "")


def _hook_unittest():
    import unittest.result

    result = unittest.result.TestResult
    outcomes = {"addSuccess": "PASSED", "addFailure": "FAILED", "addError": "ERROR",
                "addSkip": "SKIPPED", "addExpectedFailure": "XFAIL", "addUnexpectedSuccess": "XPASS"}
    guarded = dict(("TestResult." + n, (result, n)) for n in list(outcomes) + ["addSubTest"])
    guarded["TestCase.run"] = (unittest.TestCase, "run")

    def wrap_outcome(name, status):
        method = getattr(result, name)

        def hooked(self, test, *args):
            emit({"runner": "unittest", "event": "test", "test": _describe(test), "status": status})
            return method(self, test, *args)
        return hooked

    def wrap_subtest(method):
        def hooked(self, test, subtest, err):
            if err is not None:
                failed = issubclass(err[0], test.failureException)
                emit({"runner": "unittest", "event": "test", "test": _describe(test),
                      "status": "FAILED" if failed else "ERROR"})
            return method(self, test, subtest, err)
        return hooked

    def wrap_run(method, event):
        def hooked(self):
            record = {"runner": "unittest", "event": event}
            if event == "finish":
                record["tampered"] = tampered(guarded, original)
            emit(record)
            return method(self)
        return hooked

    for name, status in outcomes.items():
        setattr(result, name, wrap_outcome(name, status))
    result.addSubTest = wrap_subtest(result.addSubTest)
    original = snapshot(guarded)
    result.startTestRun = wrap_run(result.startTestRun, "start")
    result.stopTestRun = wrap_run(result.stopTestRun, "finish")


# ---------------------------------------------------------------- SymPy's bin/test

def _hook_sympy(module):
    reporter, tests = module.PyTestReporter, module.SymPyTests
    outcomes = {"test_pass": "PASSED", "test_fail": "FAILED", "test_exception": "ERROR",
                "test_skip": "SKIPPED", "test_xfail": "XFAIL", "test_xpass": "XPASS"}
    guarded = dict(("PyTestReporter." + n, (reporter, n)) for n in list(outcomes) + ["entering_test"])
    guarded["SymPyTests.test_file"] = (tests, "test_file")
    current = {}

    def wrap_entering(method):
        def hooked(self, f):
            current["test"] = getattr(f, "__name__", str(f))
            return method(self, f)
        return hooked

    def wrap_outcome(method, status):
        def hooked(self, *args, **kwargs):
            emit({"runner": "sympy", "event": "test", "test": current.get("test", "?"), "status": status})
            return method(self, *args, **kwargs)
        return hooked

    def wrap_event(method, event):
        def hooked(self, *args, **kwargs):
            record = {"runner": "sympy", "event": event}
            if event == "finish":
                record["tampered"] = tampered(guarded, original)
            emit(record)
            return method(self, *args, **kwargs)
        return hooked

    reporter.entering_test = wrap_entering(reporter.entering_test)
    for name, status in outcomes.items():
        setattr(reporter, name, wrap_outcome(getattr(reporter, name), status))
    original = snapshot(guarded)
    reporter.start = wrap_event(reporter.start, "start")
    reporter.finish = wrap_event(reporter.finish, "finish")


class _SympyWatcher:
    """A meta-path finder that lets SymPy's runner module load as usual, then hooks it."""

    def find_spec(self, name, path=None, target=None):
        if name not in SYMPY_MODULES:
            return None
        import importlib.machinery

        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            load = spec.loader.exec_module

            def exec_module(module):
                load(module)
                _hook_sympy(module)
            spec.loader.exec_module = exec_module
        return spec


def activate():
    if getattr(sys, "_harness_guard", False) or not os.path.exists(ACTIVE):
        return
    sys._harness_guard = True
    _hook_unittest()
    sys.meta_path.insert(0, _SympyWatcher())


activate()
