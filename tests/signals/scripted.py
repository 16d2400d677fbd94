"""Helpers of the signal tests on swe-mini's cronex-2 (cron's day-of-month / day-of-week "or" rule):
the bug, a fix, a fix that breaks other schedules, a reproduction script, and scripted agents that
write the script, edit (or give up) and finish, and the `scripted_run` fixture that rolls them out
(import it into a test module; a conftest here would shadow tests/conftest.py's imports)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.agent.actions import Action, render_text
from harness.agent.loop import Agent
from harness.agent.prompts import Prompts
from harness.backends import Sampling
from harness.backends.replay import ReplayBackend
from harness.benchmarks.swe_mini import SWE_MINI
from harness.rollout import rollout
from harness.trajectory import Trajectory, Turn

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


@pytest.fixture(name="scripted_run")
def scripted_run_fixture(tmp_store, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    instances = SWE_MINI.load("test", [IID])
    issue = Prompts().instance(instances[0].public_view())
    agents = [scripted(issue, "fix", FIX), scripted(issue, "overreach", OVERREACH),
              scripted(issue, "give-up", None)]
    agent = Agent(ReplayBackend("scripted", agents), Sampling(temperature=0))
    rollout(instances, tmp_store, RUN, agent, 6, 0, 2, "local", {}, tmp_path / "trajectories",
            show_progress=False)
    return tmp_store
