"""Helpers of the signal tests on swe-mini's cronex-2 (cron's day-of-month / day-of-week "or" rule):
the bug, a fix, a fix that breaks other schedules, a reproduction script, and scripted agents that
write the script, edit (or give up) and finish (conftest.py rolls them out: `scripted_run`)."""

from __future__ import annotations

import shutil

import pytest

from harness.agent.actions import Action, render_text
from harness.agent.trajectory import Trajectory, Turn

bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
IID = "swe-mini__cronex-2"
BUG = "        return in_month and in_week\n"
FIX = ("        if self.day.is_wildcard or self.weekday.is_wildcard:\n"
       "            return in_month and in_week\n        return in_month or in_week\n")
OVERREACH = "        return in_month or in_week\n"  # fixes the issue, breaks `0 0 * * FRI`
SCRIPT = ("from datetime import datetime\nfrom cronex import CronExpression\n"
          "assert CronExpression('0 0 1 * MON').matches(datetime(2024, 5, 6))\n")
RUN = "scripted-cronex-2"
WHERE = "/testbed/cronex/schedule.py"


def say(name: str, **params: str) -> dict:
    return {"role": "assistant", "content": "Next.\n\n" + render_text(Action(name, params))}


def scripted(issue: dict, name: str, new: str | None) -> Trajectory:
    """An agent that writes the reproduction script, edits (unless `new` is None) and finishes."""
    turns = [say("file_editor", command="create", path="/testbed/reproduce_issue.py", file_text=SCRIPT)]
    if new is not None:
        turns.append(say("file_editor", command="str_replace", path=WHERE, old_str=BUG, new_str=new))
    turns += [say("execute_bash", command="rm /testbed/reproduce_issue.py"), say("finish", message=name)]
    return Trajectory(name, IID, 0, 0, name, [issue, *turns],
                      [Turn(None, None, 0, 0, "stop", 0.0) for _ in turns])
