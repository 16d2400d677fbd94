"""Signals of a real swe-mini run: three scripted agents (a fix with a reproduction script, a fix that
breaks other schedules with the same script, and one that gives up) rolled out through the agent
loop and bubblewrap sandboxes, then signals, verdicts and selection on the stored run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_signals import BUG, FIX, IID, OVERREACH, SCRIPT, say

from harness.agent.loop import Agent
from harness.agent.prompts import Prompts
from harness.agent.trajectory import Trajectory, Turn
from harness.backends import Sampling
from harness.backends.replay import ReplayBackend
from harness.benchmarks.swe_mini import SWE_MINI
from harness.pipeline import evaluate_rollouts
from harness.records import SignalRow
from harness.rollout import rollout
from harness.selectors.offline import select_run
from harness.signals.compute import compute_signals

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
RUN = "scripted-cronex-2"
WHERE = "/testbed/cronex/schedule.py"


def scripted(issue: dict, name: str, new: str | None) -> Trajectory:
    """An agent that writes the reproduction script, edits (unless `new` is None) and finishes."""
    turns = [say("file_editor", command="create", path="/testbed/reproduce_issue.py", file_text=SCRIPT)]
    if new is not None:
        turns.append(say("file_editor", command="str_replace", path=WHERE, old_str=BUG, new_str=new))
    turns += [say("execute_bash", command="rm /testbed/reproduce_issue.py"), say("finish", message=name)]
    return Trajectory(name, IID, 0, 0, name, [issue, *turns],
                      [Turn(None, None, 0, 0, "stop", 0.0) for _ in turns])


@pytest.fixture
def run(tmp_store, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    instances = SWE_MINI.load("test", [IID])
    issue = Prompts().instance(instances[0].public_view())
    agents = [scripted(issue, "fix", FIX), scripted(issue, "overreach", OVERREACH),
              scripted(issue, "give-up", None)]
    agent = Agent(ReplayBackend("scripted", agents), Sampling(temperature=0))
    rollout(instances, tmp_store, RUN, agent, 6, 0, 2, "local", {}, tmp_path / "trajectories",
            show_progress=False)
    return tmp_store


def kind(patch: str) -> str:
    return "give-up" if not patch.strip() else "fix" if "is_wildcard" in patch else "overreach"


def test_signals_verdicts_and_selection_on_a_scripted_swe_mini_run(run) -> None:
    summary = compute_signals(run, RUN, "local", 2, show_progress=False)
    assert summary.instances_executed == 1 and summary.written["regression"] == 6
    rows = run.query("SELECT r.patch, s.name, s.value FROM rollouts r "
                     "JOIN signals s USING (run_id, instance_id, sample_index) WHERE r.run_id = ?", [RUN])
    by_kind: dict[str, dict[str, set[float]]] = {}
    for patch, name, value in rows:
        by_kind.setdefault(kind(patch), {}).setdefault(name, set()).add(value)
    assert set(by_kind) == {"fix", "overreach", "give-up"}  # the seeds spread the samples over all three
    regression = {k: v["regression"] for k, v in by_kind.items()}
    n = max(max(v) for v in regression.values())
    assert regression.get("fix", {n}) == {n} and regression.get("give-up", {n}) == {n}
    assert all(0 < r < n for r in regression.get("overreach", {1}))
    # every sample wrote the same script: one distinct script, cross-run against every patch
    assert {k: v["reproduction"] for k, v in by_kind.items()} == {
        k: {0.0 if k == "give-up" else 1.0} for k in by_kind}
    assert all(v["patch_applies"] == {1.0} for v in by_kind.values())
    again = compute_signals(run, RUN, "local", 2, show_progress=False)  # resumes: nothing new
    assert again.written == {} and again.instances_executed == 0
    assert run.query("SELECT count(*) FROM signals WHERE run_id = ?", [RUN])[0][0] == 6 * 5

    eval_id = evaluate_rollouts(run, RUN, "fast", 2, "local", show_progress=False).eval_id
    resolved = dict(run.query("SELECT sample_index, resolved FROM evaluations WHERE eval_id = ?", [eval_id]))
    patches = dict(run.query("SELECT sample_index, patch FROM rollouts WHERE run_id = ?", [RUN]))
    assert all(resolved[k] == (kind(p) == "fix") for k, p in patches.items())  # the overreach breaks P2P
    # the most regression passes (the fix and the empty patch), then reproduction: the fix
    hybrid = select_run(run, RUN, "hybrid-verified", eval_id=eval_id)
    assert hybrid.resolved == 1 and kind(patches[hybrid.rows[0].sample_index]) == "fix"
    assert {r.name for r in run.rows(SignalRow, run_id=RUN)} == {
        "patch_empty", "touches_tests", "patch_applies", "regression", "reproduction"}
