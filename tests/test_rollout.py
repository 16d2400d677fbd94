"""The rollout runner: every (instance, sample) stored once, resume after a kill -9, rows rebuilt
from trajectory files, and faults (backend, model output, sandbox, hanging command) ending only
their own sample."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import HARNESS

from harness import registry
from harness.agent.actions import Action, render_text
from harness.agent.loop import Agent, AgentConfig
from harness.agent.prompts import Prompts
from harness.backends import Sampling
from harness.backends.replay import ReplayBackend
from harness.benchmarks.swe_mini import SWE_MINI
from harness.records import RolloutRow
from harness.rollout import reindex, rollout, sample_seed
from harness.sandbox.local import LocalSandbox
from harness.store import Store
from harness.trajectory import Trajectory, Turn

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
IDS = ["swe-mini__cronex-2", "swe-mini__verspec-1"]


def call(name: str, **params: str) -> str:
    return render_text(Action(name, params))


def recording(instance, texts: list[str]) -> Trajectory:
    issue = Prompts().instance(instance.public_view())
    return Trajectory("rec", instance.instance_id, 0, 0, "rec",
                      [issue, *({"role": "assistant", "content": t} for t in texts)],
                      [Turn([5, 6], [-0.1, -0.2], 100, 2, "stop", 0.0) for _ in texts])


def agent_for(texts: list[str], **config) -> Agent:
    recs = [recording(i, texts) for i in SWE_MINI.load(None, IDS)]
    return Agent(ReplayBackend("rec", recs), Sampling(), AgentConfig(**config))


def run(store: Store, tmp_path: Path, agent: Agent, budget: int = 2, sandbox: str = "local", **kw):
    return rollout(SWE_MINI.load(None, IDS), store, "r1", agent, budget, seed=3, workers=2,
                   sandbox=sandbox, root=tmp_path / "traj", show_progress=False, **kw)


def test_every_sample_once_with_its_file_and_row(tmp_store: Store, tmp_path: Path):
    agent = agent_for([call("execute_bash", command="echo hi > new.txt"), call("finish")])
    summary = run(tmp_store, tmp_path, agent)
    assert (summary.total, summary.skipped, summary.exit_reasons) == (4, 0, {"finished": 4})
    rows = tmp_store.rows(RolloutRow, run_id="r1")
    assert [(r.instance_id, r.sample_index) for r in rows] == [(i, k) for i in IDS for k in (0, 1)]
    for r in rows:
        traj = Trajectory.load(tmp_store.artifact(r.trajectory_path))
        assert (traj.instance_id, traj.sample_index, traj.seed) == (r.instance_id, r.sample_index, r.seed)
        assert r.seed == sample_seed(3, r.instance_id, r.sample_index)
        assert "+hi" in r.patch and r.steps == 2 and r.prompt_tokens == 200 and r.completion_tokens == 4
        assert traj.turns[0].token_ids == [5, 6]  # token-in, token-out kept
    again = run(tmp_store, tmp_path, agent)
    assert (again.skipped, len(tmp_store.rows(RolloutRow, run_id="r1"))) == (4, 4)
    bigger = run(tmp_store, tmp_path, agent, budget=3)  # a larger budget adds only the new samples
    assert (bigger.total, bigger.skipped) == (6, 4)


def test_rows_are_rebuilt_from_files(tmp_store: Store, tmp_path: Path):
    agent = agent_for([call("finish")])
    run(tmp_store, tmp_path, agent)
    before = tmp_store.rows(RolloutRow, run_id="r1")
    tmp_store.query("DELETE FROM rollouts WHERE run_id = 'r1' AND sample_index = 1")
    assert reindex(tmp_store, "r1", tmp_path / "traj") == 2
    after = tmp_store.rows(RolloutRow, run_id="r1")
    assert [(r.instance_id, r.sample_index, r.patch, r.seed) for r in after] == [
        (r.instance_id, r.sample_index, r.patch, r.seed) for r in before]


def test_faults_end_only_their_sample(tmp_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    class Flaky(LocalSandbox):
        def __enter__(self):
            if self.instance.instance_id == IDS[1]:
                raise RuntimeError("container died on start")
            return super().__enter__()

    monkeypatch.setitem(registry._REGISTRY["sandbox"], "flaky", f"{__name__}:_Flaky")
    monkeypatch.setitem(globals(), "_Flaky", Flaky)
    agent = agent_for(["no action here", call("execute_bash", command="sleep 60"), call("finish")],
                      command_timeout=1, max_format_errors=2)
    summary = run(tmp_store, tmp_path, agent, sandbox="flaky")
    assert summary.exit_reasons == {"finished": 2, "sandbox_error": 2}
    rows = {(r.instance_id, r.sample_index): r for r in tmp_store.rows(RolloutRow, run_id="r1")}
    traj = Trajectory.load(tmp_store.artifact(rows[IDS[0], 0].trajectory_path))
    assert traj.turns[0].error and "timed out" in traj.messages[5]["content"]  # the hang was killed
    died = Trajectory.load(tmp_store.artifact(rows[IDS[1], 0].trajectory_path))
    assert died.exit_detail == "container died on start"
    redo = run(tmp_store, tmp_path, agent, sandbox="local", retry_errors=True)
    assert (redo.skipped, redo.exit_reasons) == (2, {"finished": 4})


def test_unparseable_output_and_unreachable_backend(tmp_store: Store, tmp_path: Path):
    summary = run(tmp_store, tmp_path, agent_for(["garbage"] * 5), budget=1)
    assert summary.exit_reasons == {"format_errors": 2}
    from harness.backends.openai_api import OpenAIBackend

    dead = Agent(OpenAIBackend("m", base_url="http://127.0.0.1:9/v1", retries=0, timeout=2), Sampling())
    summary = rollout(SWE_MINI.load(None, IDS), tmp_store, "r2", dead, 2, sandbox="local",
                      root=tmp_path / "traj", show_progress=False)
    assert summary.exit_reasons == {"backend_error": 4}


@pytest.mark.slow
def test_kill_9_mid_run_then_resume(tmp_path: Path):
    """SIGKILL the rollout process while samples are in flight; the restart completes the budget
    with exactly instances x budget rows and files, none duplicated."""
    recs = tmp_path / "recs"
    for inst in SWE_MINI.load(None, IDS):
        recording(inst, [call("execute_bash", command="sleep 0.4"), call("finish")]).save(
            recs / f"{inst.instance_id}.json")
    argv = [str(HARNESS), "rollout", "-C", "swe-mini", "--backend", "replay", "--model", str(recs),
            "--sandbox", "local", "--budget", "4", "-w", "2", "--db", "db.duckdb",
            *(a for i in IDS for a in ("-i", i))]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(argv, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    files = lambda: list((tmp_path / "trajectories").glob("*/*/*.json"))  # noqa: E731
    deadline = time.monotonic() + 60
    while len(files()) < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = len(files())
    assert 3 <= killed_at < 8
    done = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "8 samples" in done.stdout
    with Store(tmp_path / "db.duckdb") as store:
        keys = store.query("SELECT instance_id, sample_index, count(*) FROM rollouts GROUP BY ALL")
        assert sorted(keys) == [(i, k, 1) for i in IDS for k in range(4)]
        assert store.query("SELECT count(*) FROM rollouts WHERE exit_reason = 'finished'") == [(8,)]
    assert len(files()) == 8
    assert not list((tmp_path / "trajectories").rglob("*.tmp"))


@pytest.mark.docker
def test_a_container_that_dies_mid_rollout_ends_only_its_sample(tmp_store: Store, tmp_path: Path):
    import threading

    from harness.images import LABEL, client

    agent = agent_for([call("execute_bash", command="sleep 5"), call("execute_bash", command="echo alive"),
                       call("finish")])
    victim = IDS[0]

    def kill_victim() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = client().containers.list(filters={"label": f"{LABEL}.instance_id={victim}"})
            if found:
                time.sleep(1)  # inside `sleep 5`
                found[0].remove(force=True)
                return
            time.sleep(0.1)

    killer = threading.Thread(target=kill_victim)
    killer.start()
    summary = run(tmp_store, tmp_path, agent, budget=1, sandbox="docker")
    killer.join()
    rows = {r.instance_id: r for r in tmp_store.rows(RolloutRow, run_id="r1")}
    assert (rows[victim].exit_reason, rows[IDS[1]].exit_reason) == ("sandbox_error", "finished")
    assert summary.exit_reasons == {"sandbox_error": 1, "finished": 1}
    detail = Trajectory.load(tmp_store.artifact(rows[victim].trajectory_path)).exit_detail
    assert "stopped during a command" in detail or "not running" in detail, detail
