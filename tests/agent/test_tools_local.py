"""The Toolbox in the real local (bubblewrap) sandbox on a swe-mini instance: view, search, edit,
run the tests, and the edit shows in the sandbox's diff."""

from __future__ import annotations

import shutil

import pytest

from harness.agent.actions import Action
from harness.agent.tools import Toolbox
from harness.benchmarks.swe_mini import SWE_MINI
from harness.sandbox import open_sandbox

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")

FILE = "/testbed/cronex/schedule.py"
OLD = "        return in_month and in_week\n"
NEW = (  # the gold patch
    "        if self.day.is_wildcard or self.weekday.is_wildcard:\n"
    "            return in_month and in_week\n"
    "        return in_month or in_week\n"
)


def editor(command: str, path: str, **params: str) -> Action:
    return Action("file_editor", {"command": command, "path": path, **params})


def test_toolbox_in_the_local_sandbox():
    instance = SWE_MINI.load("test", ["swe-mini__cronex-2"])[0].public_view()
    with open_sandbox("local", instance) as sandbox:
        box = Toolbox(sandbox, instance.workdir, command_timeout=60)
        found = box.run(Action("search", {"search_term": "in_month and in_week"})).text
        assert found.splitlines()[1] == f"{FILE}:79:{OLD.rstrip()}"
        view = box.run(editor("view", "cronex/schedule.py", view_range="[79, -1]")).text
        assert view.splitlines()[1] == f"    79\t{OLD.rstrip()}"
        missing = box.run(editor("view", "/testbed/nope.py")).text
        assert missing == "ERROR: The path /testbed/nope.py does not exist. Please provide a valid path."
        outside = box.run(editor("create", "/etc/x.py", file_text="x")).text
        assert outside.startswith("ERROR:") and "can only touch" in outside

        edited = box.run(editor("str_replace", FILE, old_str=OLD, new_str=NEW)).text
        assert edited.startswith(f"The file {FILE} has been edited.")
        tests = box.run(Action("execute_bash", {"command": "python3 -m pytest -q tests"})).text
        assert tests.endswith("[Exit code: 0]") and " passed" in tests
        assert "+        return in_month or in_week\n" in sandbox.diff()
        box.run(editor("undo_edit", "cronex/schedule.py"))
        assert sandbox.diff() == ""
