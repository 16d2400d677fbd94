"""The agent loop with a scripted backend over the fake sandbox: every exit reason, the patch,
the recorded turns (token ids, log-probs, seeds) and both action formats."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from fakes import FakeSandbox

from harness.agent.actions import Action, render_text
from harness.agent.loop import Agent, AgentConfig
from harness.backends import BackendError, Completion, ContextExceeded, Sampling
from harness.records import PublicInstance
from harness.trajectory import Trajectory


class Scripted:
    """Plays `script` in order: a str or Completion is returned, an exception raised."""

    model = "scripted"

    def __init__(self, script):
        self.script, self.seeds, self.tools = list(script), [], []

    def chat(self, messages, n, sampling, tools=None):
        self.seeds.append(sampling.seed)
        self.tools.append(tools)
        item = self.script.pop(0) if self.script else "nothing left"
        if isinstance(item, Exception):
            raise item
        if isinstance(item, str):
            item = Completion(item, (1, 2), (-0.5, -0.25), prompt_tokens=10, completion_tokens=2)
        return [item]


def call(name: str, **params: str) -> str:
    return "thinking...\n" + render_text(Action(name, params))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "mod.py").write_text("def f():\n    return 1\n")
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"],
                ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base"]):
        subprocess.run(cmd, cwd=root, check=True)
    return root


def run(repo: Path, script, fail=(), **config) -> tuple[Trajectory, Scripted]:
    backend = Scripted(script)
    instance = PublicInstance("x__y-1", "x/y", "HEAD", "f() must return 2", "img", "test", "t", str(repo))
    traj = Trajectory("run", instance.instance_id, 0, 7, backend.model)
    agent = Agent(backend, Sampling(), AgentConfig(**{"command_timeout": 5, **config}))
    return agent.run(instance, FakeSandbox(repo, fail=fail), traj), backend


def test_finished_with_the_sandbox_diff_as_patch(repo: Path):
    traj, backend = run(repo, [
        call("file_editor", command="view", path=f"{repo}/mod.py"),
        call("file_editor", command="str_replace", path=f"{repo}/mod.py",
             old_str="return 1", new_str="return 2"),
        call("finish"),
    ])
    assert (traj.exit_reason, traj.steps) == ("finished", 3)
    assert "-    return 1\n+    return 2" in traj.patch
    roles = [m["role"] for m in traj.messages]
    assert roles == ["system", "user"] + ["assistant", "user"] * 3
    assert "Execution output of [file_editor]" in traj.messages[3]["content"]
    assert [t.action for t in traj.turns] == ["file_editor", "file_editor", "finish"]
    assert traj.turns[0].token_ids == [1, 2] and traj.turns[0].logprobs == [-0.5, -0.25]
    assert (traj.prompt_tokens, traj.completion_tokens) == (30, 6)
    assert backend.seeds == [7 * 1009, 7 * 1009 + 1, 7 * 1009 + 2]  # reproducible, distinct per turn
    assert backend.tools == [None] * 3  # the text format passes no native tools


def test_consecutive_format_errors_end_the_sample(repo: Path):
    traj, _ = run(repo, ["no call", "still none", call("execute_bash", command="true"),
                         "a", "b", "c", call("finish")])
    assert (traj.exit_reason, traj.steps) == ("format_errors", 6)  # the good turn reset the count
    assert [t.action for t in traj.turns] == [None, None, "execute_bash", None, None, None]
    assert traj.turns[0].error and traj.messages[3]["content"].startswith("ERROR:")


def test_max_steps(repo: Path):
    traj, _ = run(repo, [call("execute_bash", command="true")] * 10, max_steps=4)
    assert (traj.exit_reason, traj.steps) == ("max_steps", 4)


def test_context_exceeded_by_usage_and_by_the_backend(repo: Path):
    big = Completion(call("execute_bash", command="true"), prompt_tokens=90, completion_tokens=10)
    traj, _ = run(repo, [big, call("finish")], max_context=100)
    assert (traj.exit_reason, traj.steps) == ("context_exceeded", 1)
    traj, _ = run(repo, [ContextExceeded("prompt of 70000 tokens")])
    assert (traj.exit_reason, traj.steps) == ("context_exceeded", 0)
    assert traj.exit_detail == "prompt of 70000 tokens"


def test_backend_error_keeps_the_work_done(repo: Path):
    edit = call("file_editor", command="create", path=f"{repo}/new.py", file_text="x = 1\n")
    traj, _ = run(repo, [edit, BackendError("server unreachable")])
    assert (traj.exit_reason, traj.exit_detail, traj.steps) == ("backend_error", "server unreachable", 1)
    assert traj.patch == ""  # the fake's plain `git diff` ignores untracked files; the real diff does not


def test_sandbox_failure_ends_the_sample(repo: Path):
    traj, _ = run(repo, [call("execute_bash", command="true"), call("finish")], fail=("execute",))
    assert (traj.exit_reason, traj.steps) == ("sandbox_error", 1)
    assert "container gone" in traj.exit_detail


def test_a_hanging_command_is_killed_and_the_agent_goes_on(repo: Path):
    traj, _ = run(repo, [call("execute_bash", command="sleep 60"), call("finish")], command_timeout=1)
    assert (traj.exit_reason, traj.steps) == ("finished", 2)
    assert "timed out" in traj.messages[3]["content"]
    assert traj.turns[0].sandbox_seconds < 10


def test_native_tool_calls(repo: Path):
    echo = {"id": "c1", "name": "execute_bash", "arguments": {"command": "echo hi"}}
    calls = [Completion("", tool_calls=(echo,)),
             Completion("", tool_calls=({"id": "c2", "name": "finish", "arguments": {}},))]
    traj, backend = run(repo, calls, action_format="native")
    assert traj.exit_reason == "finished"
    assert traj.messages[2]["tool_calls"][0]["function"]["name"] == "execute_bash"
    assert traj.messages[3]["role"] == "tool" and traj.messages[3]["tool_call_id"] == "c1"
    assert "hi" in traj.messages[3]["content"]
    names = {t["function"]["name"] for t in backend.tools[0]}
    assert names == {"file_editor", "search", "execute_bash", "finish"}


def test_trajectory_file_round_trip(repo: Path, tmp_path: Path):
    traj, _ = run(repo, [call("finish")])
    traj.save(tmp_path / "t" / "0.json")
    back = Trajectory.load(tmp_path / "t" / "0.json")
    assert back == traj and back.harness_seconds == traj.harness_seconds
    assert (tmp_path / "t" / "0.json").stat().st_mode & 0o777 == 0o644  # others of a shared store read it
    row = back.to_row(tmp_path / "t" / "0.json")
    assert (row.exit_reason, row.steps, row.prompt_tokens, row.seed) == ("finished", 1, 10, 7)
