"""The `ray` executor on a real two-node Ray cluster on this machine (ray.cluster_utils.Cluster): a swe-mini
rollout run (replayed turns) and its evaluation spread over both nodes with the same rows and verdicts as
the local executor; a worker node killed mid-run and a driver killed with SIGKILL still end with every
sample stored exactly once."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from conftest import HARNESS
from test_rollout import IDS, call, recording

from harness.agent.loop import AgentConfig
from harness.agent.spec import AgentSpec
from harness.backends import Sampling
from harness.benchmarks.swe_mini import SWE_MINI
from harness.demos import build_demos
from harness.evaluation.run import evaluate
from harness.executors.local import LocalExecutor
from harness.records import Prediction, RolloutRow
from harness.rollout import rollout
from harness.store import Store

ray = pytest.importorskip("ray")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")]
SLOTS = {"sandbox": 2}
BUDGET = 4


def start_cluster():
    from ray.cluster_utils import Cluster

    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "resources": SLOTS})
    worker = cluster.add_node(num_cpus=1, resources=SLOTS)
    cluster.wait_for_nodes()
    return cluster, worker


@pytest.fixture(scope="module")
def cluster():
    cluster, _ = start_cluster()
    yield cluster
    cluster.shutdown()


@pytest.fixture(scope="module")
def turns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Per instance, the expert's demonstration (it resolves) and a run that edits nothing useful:
    the replay backend picks one per sample by its seed, so a run holds both verdicts."""
    root = tmp_path_factory.mktemp("turns")
    with Store(root / "db.duckdb") as store:
        build_demos(SWE_MINI.load(None, IDS), store, "local", 2, root=root / "recs", show_progress=False)
    for inst in SWE_MINI.load(None, IDS):
        recording(inst, [call("execute_bash", command="sleep 1; echo hi > new.txt"), call("finish")]).save(
            root / "recs" / "junk" / f"{inst.instance_id}.json")
    return root / "recs"


def spec(turns: Path) -> AgentSpec:
    return AgentSpec("replay", str(turns), Sampling(), AgentConfig())


def run_and_judge(store: Store, tmp_path: Path, turns: Path, executor) -> dict:
    """(rollout rows, verdicts) of the run on `executor`, keyed by (instance, sample)."""
    agent = spec(turns) if executor.remote else spec(turns).open()
    rollout(SWE_MINI.load(None, IDS), store, "r", agent, BUDGET, seed=1, sandbox="local",
            root=tmp_path / "traj", show_progress=False, executor=executor)
    rows = {(r.instance_id, r.sample_index): (r.exit_reason, r.patch)
            for r in store.rows(RolloutRow, run_id="r")}
    predictions = [Prediction(i, patch, "r", k) for (i, k), (_, patch) in rows.items()]
    evaluate("swe-mini", predictions, store, "fast", eval_id="e", sandbox="local", show_progress=False,
             executor=executor)
    return {"rows": rows, "verdicts": store.verdicts("e"), "count": store.query(
        "SELECT count(*), count(DISTINCT (instance_id, sample_index)) FROM rollouts WHERE run_id = 'r'")[0]}


def test_a_run_and_its_evaluation_spread_over_two_nodes_as_the_local_executor_would(cluster, turns, tmp_path):
    from harness.executors.ray_cluster import RayExecutor

    executor = RayExecutor(address=cluster.address)
    try:
        with Store(tmp_path / "ray.duckdb") as store:
            remote = run_and_judge(store, tmp_path / "ray", turns, executor)
    finally:
        executor.close()
    with Store(tmp_path / "local.duckdb") as store:
        local = run_and_judge(store, tmp_path / "local", turns, LocalExecutor(2))
    samples = len(IDS) * BUDGET
    assert remote["count"] == (samples, samples)  # every sample stored, once
    assert remote["rows"] == local["rows"] and remote["verdicts"] == local["verdicts"]
    assert 0 < sum(remote["verdicts"].values()) < samples  # both outcomes occur
    # each rollout and each evaluation reported the Ray node it ran on: both nodes worked
    assert len(executor.nodes) == 2 and sum(executor.nodes.values()) == 2 * samples, executor.nodes


def test_a_worker_node_killed_mid_run_leaves_every_sample_stored_once(turns, tmp_path):
    from harness.executors.ray_cluster import RayExecutor

    cluster, worker = start_cluster()
    try:
        executor = RayExecutor(address=cluster.address, max_retries=3)
        with Store(tmp_path / "db.duckdb") as store:
            killed = threading.Event()

            def kill_worker_once_work_is_stored() -> None:
                while not store.query("SELECT count(*) FROM rollouts")[0][0]:
                    time.sleep(0.05)
                cluster.remove_node(worker, allow_graceful=False)
                killed.set()

            threading.Thread(target=kill_worker_once_work_is_stored, daemon=True).start()
            rollout(SWE_MINI.load(None, IDS), store, "r", spec(turns), 2 * BUDGET, seed=1, sandbox="local",
                    root=tmp_path / "traj", show_progress=False, executor=executor)
            count = store.query("SELECT count(*), count(DISTINCT (instance_id, sample_index)), "
                                "count(*) FILTER (exit_reason = 'finished') FROM rollouts")[0]
        executor.close()
    finally:
        cluster.shutdown()
    samples = len(IDS) * 2 * BUDGET
    assert killed.is_set() and count == (samples, samples, samples)
    assert len(list((tmp_path / "traj" / "r").glob("*/*.json"))) == samples


def test_a_driver_killed_with_sigkill_resumes_on_rerun(cluster, turns, tmp_path):
    argv = [str(HARNESS), "rollout", "-C", "swe-mini", "--backend", "replay", "--model", str(turns),
            "--sandbox", "local", "--budget", str(2 * BUDGET), "--db", "db.duckdb",
            "-c", "executor=ray", "-c", f"executor_options.address={cluster.address}",
            *(a for i in IDS for a in ("-i", i))]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(argv, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    files = lambda: list((tmp_path / "trajectories").glob("*/*/*.json"))  # noqa: E731
    deadline = time.monotonic() + 300
    while len(files()) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    samples = len(IDS) * 2 * BUDGET
    assert 2 <= len(files()) < samples  # killed mid-run
    again = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    with Store(tmp_path / "db.duckdb", read_only=True) as store:
        count = store.query("SELECT count(*), count(DISTINCT (instance_id, sample_index)) FROM rollouts")[0]
    assert count == (samples, samples) and len(files()) == samples


@pytest.mark.docker
def test_docker_sandboxes_on_the_nodes_with_the_images_they_prepare(cluster, turns, tmp_path):
    """The same run in Docker: each node's worker makes the instance images present (built here:
    swe-mini's) before its first sandbox, and every sample finishes."""
    from harness.executors.ray_cluster import RayExecutor

    executor = RayExecutor(address=cluster.address)
    try:
        with Store(tmp_path / "db.duckdb") as store:
            rollout(SWE_MINI.load(None, IDS), store, "r", spec(turns), BUDGET, seed=1, sandbox="docker",
                    root=tmp_path / "traj", show_progress=False, executor=executor)
            count = store.query("SELECT count(*), count(DISTINCT (instance_id, sample_index)), "
                                "count(*) FILTER (exit_reason = 'finished') FROM rollouts")[0]
    finally:
        executor.close()
    samples = len(IDS) * BUDGET
    assert count == (samples, samples, samples) and len(executor.nodes) == 2, executor.nodes
