"""Signals: static facts, reproduction scripts read back from trajectories, and execution signals in
real (bubblewrap) sandboxes on swe-mini's cronex-2 (the day-of-month / day-of-week "or" rule), with
a fix, a fix that breaks other schedules, an empty patch and a patch that does not apply."""

from __future__ import annotations

import pytest
from scripted import BUG, FIX, IID, OVERREACH, SCRIPT, bwrap, say

from harness.benchmarks.swe_mini import SWE_MINI
from harness.records import HIDDEN_FIELDS, PublicInstance, RolloutRow
from harness.sandbox import open_sandbox
from harness.signals.execution import execution_signals
from harness.signals.reproduction import reproduction_scripts
from harness.signals.static import is_test_file, static_signals
from harness.trajectory import Trajectory, Turn


def test_test_files_are_recognised_by_pytest_conventions() -> None:
    assert all(map(is_test_file, ["tests/test_a.py", "pkg/a_test.py", "conftest.py", "src/tests/x.py",
                                  "test/util.py"]))
    assert not any(map(is_test_file, ["pkg/a.py", "pkg/testing_utils.py", "reproduce_issue.py"]))


def test_static_signals() -> None:
    patch = "--- a/tests/test_a.py\n+++ b/tests/test_a.py\n@@ -1 +1 @@\n-x\n+y\n"
    row = RolloutRow("r", "i", 3, "finished", 4, patch, "", 10, 6, 0.0, 0.0, 0)
    traj = Trajectory("r", "i", 3, 0, "m", turns=[Turn([1, 2], [-1.0, -2.0], 5, 2, "stop", 0.1),
                                                   Turn(None, None, 5, 2, "stop", 0.1),
                                                   Turn([3], [-0.5], 5, 1, "stop", 0.1)])
    got = {s.name: s.value for s in static_signals(row, traj)}
    assert got == {"patch_empty": 0, "touches_tests": 1, "mean_logprob": pytest.approx(-3.5 / 3)}
    empty = RolloutRow("r", "i", 4, "max_steps", 4, "", "", 10, 6, 0.0, 0.0, 0)
    assert {s.name: s.value for s in static_signals(empty, None)} == {"patch_empty": 1, "touches_tests": 0}


SCRIPT_PATH = "/testbed/reproduce_issue.py"


def test_reproduction_scripts_are_replayed_from_the_actions_of_either_format() -> None:
    arguments = '{"command": "create", "path": "/testbed/repro_bug.py", "file_text": "print(1)\\n"}'
    native = {"role": "assistant", "content": "", "tool_calls": [
        {"id": "c1", "type": "function", "function": {"name": "file_editor", "arguments": arguments}}]}
    messages = [
        {"role": "user", "content": "issue"},
        say("file_editor", command="create", path=SCRIPT_PATH, file_text="assert f() == 1\n"),
        say("file_editor", command="str_replace", path=SCRIPT_PATH, old_str="1", new_str="2"),
        say("file_editor", command="create", path="/testbed/pkg/util.py", file_text="x = 1\n"),  # no script
        {"role": "assistant", "content": "no tool call at all"},
        say("execute_bash", command="rm /testbed/reproduce_issue.py"),  # deleted: still counts
        native,
    ]
    assert reproduction_scripts(messages) == {SCRIPT_PATH: "assert f() == 2\n",
                                              "/testbed/repro_bug.py": "print(1)\n"}


def _patch(instance: PublicInstance, new: str) -> str:
    with open_sandbox("local", instance) as box:
        source = box.read_file("cronex/schedule.py")
        assert source.count(BUG) == 1
        box.write_file("cronex/schedule.py", source.replace(BUG, new))
        return box.diff()


@bwrap
def test_execution_signals_in_real_sandboxes() -> None:
    (instance,) = SWE_MINI.load("test", [IID])
    public = instance.public_view()
    patches = {0: _patch(public, FIX), 1: _patch(public, OVERREACH), 2: "",
               3: "--- a/cronex/nothere.py\n+++ b/cronex/nothere.py\n@@ -1 +1 @@\n-a\n+b\n"}
    base, got = execution_signals(public, patches, [SCRIPT, "import sys\nsys.exit(3)\n"], "local")
    assert "tests/test_schedule.py" in base.test_files
    hidden = "tests/test_schedule.py::test_day_of_month_or_day_of_week"  # FAIL_TO_PASS: not in the repo
    assert len(base.passing) == 24 and hidden not in base.passing
    assert base.outcome.reproduction == 0  # the bug is there at the base commit
    n = len(base.passing)
    fix = got[0]
    assert (fix.applies, fix.regression, fix.reproduction, fix.scripts_passing) == (True, n, 1, (0,))
    assert got[1].applies and got[1].reproduction == 1 and 0 < got[1].regression < n and got[1].broken
    assert (got[2].applies, got[2].regression, got[2].reproduction) == (True, n, 0)
    assert (got[3].applies, got[3].regression, got[3].reproduction) == (False, 0, 0)


@pytest.mark.parametrize("field", HIDDEN_FIELDS)
def test_signals_get_an_instance_view_without_hidden_fields(field: str) -> None:
    (instance,) = SWE_MINI.load("test", [IID])
    with pytest.raises(PermissionError, match=f"^{field} is hidden from selectors and signals$"):
        getattr(instance.public_view(), field)
