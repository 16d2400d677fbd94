"""Rollouts: `budget` trajectories per instance, in bounded parallel sandboxes (threads here or
tasks on a Ray cluster), resumable.

Each finished sample is a trajectory file written atomically, then its row in DuckDB; on start the
rows of files that lack one are rebuilt, and stored keys are skipped, so a kill -9 loses at most
the samples in flight and never duplicates one (DESIGN.md contract 4).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from harness import paths
from harness.agent.loop import Agent
from harness.agent.spec import AgentSpec
from harness.evaluation.run import instance_rows
from harness.executors import Executor
from harness.executors.local import LocalExecutor
from harness.provenance import run_row
from harness.records import Instance, RolloutRow
from harness.sandbox import open_sandbox
from harness.sandbox.prepare import ensure_images, prepare_images
from harness.store import Store
from harness.trajectory import Trajectory

log = logging.getLogger(__name__)
INFRA_ERRORS = ("sandbox_error", "backend_error")


@dataclass(frozen=True)
class RolloutSummary:
    run_id: str
    total: int
    skipped: int
    exit_reasons: dict[str, int]


def sample_seed(seed: int, instance_id: str, sample_index: int) -> int:
    """A per-sample seed that does not depend on scheduling order."""
    digest = hashlib.sha256(f"{seed}:{instance_id}:{sample_index}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def trajectory_path(root: Path, run_id: str, instance_id: str, sample_index: int) -> Path:
    return root / run_id / instance_id / f"{sample_index}.json"


def reindex(store: Store, run_id: str, root: Path | None = None) -> int:
    """Add the rows of trajectory files that have none (a crash between file and row), and remove
    the temporary files of writes a crash interrupted (one process writes a run: DuckDB's lock)."""
    root = root or store.workspace / paths.TRAJECTORIES
    for partial in (root / run_id).glob("*/.*.tmp"):
        partial.unlink(missing_ok=True)
    have = store.keys(RolloutRow, run_id=run_id)
    rows = []
    for path in sorted((root / run_id).glob("*/*.json")):
        traj = Trajectory.load(path)
        if (run_id, traj.instance_id, traj.sample_index) not in have:
            rows.append(traj.to_row(store.stored_path(path)))
    store.write(rows)
    return len(rows)


@dataclass(frozen=True)
class Sampler:
    """One rollout sample as a unit of work, in a thread here or in a Ray task on a node (where
    `agent` is a spec the node builds once and the node prepares the instance's image first)."""

    run_id: str
    seed: int
    sandbox: str
    agent: Agent | AgentSpec

    def __call__(self, job: tuple[Instance, int]) -> Trajectory:
        inst, k = job
        agent = self.agent
        if isinstance(agent, AgentSpec):  # on a node
            ensure_images([inst], self.sandbox)
            agent = agent.build()
        traj = Trajectory(self.run_id, inst.instance_id, k, sample_seed(self.seed, inst.instance_id, k),
                          agent.backend.model)
        public = inst.public_view()  # the agent never sees the gold patch or the hidden tests
        with ExitStack() as stack:
            try:
                box = stack.enter_context(open_sandbox(self.sandbox, public))
            except Exception as exc:  # could not start: this sample ends, the run goes on
                log.warning("sandbox for %s sample %d failed to start: %s", inst.instance_id, k, exc)
                traj.exit_reason, traj.exit_detail = "sandbox_error", _one_line(exc)
            else:
                agent.run(public, box, traj)
        return traj


def rollout(
    instances: Sequence[Instance], store: Store, run_id: str, agent: Agent | AgentSpec, budget: int,
    seed: int = 0, workers: int = 2, sandbox: str = "docker", config: dict | None = None,
    root: Path | None = None, retry_errors: bool = False, show_progress: bool = True,
    executor: Executor | None = None,
) -> RolloutSummary:
    """Sample `budget` trajectories of every instance with `agent` on `executor` (default: `workers`
    threads here; a remote one needs an AgentSpec), skipping stored samples; this thread alone writes
    the files, under `root` (default: the store's workspace's trajectories/), and the rows."""
    executor = executor or LocalExecutor(workers)
    if executor.remote and not isinstance(agent, AgentSpec):
        raise TypeError("a remote executor rolls out an AgentSpec, not a live agent")
    root = root or store.workspace / paths.TRAJECTORIES
    benchmark = instances[0].benchmark if instances else ""
    store.write([run_row(run_id, "rollout", benchmark, config or {}), *instance_rows(instances)])
    reindex(store, run_id, root)
    done = {key for key, reason in store.exit_reasons(run_id).items()
            if not (retry_errors and reason in INFRA_ERRORS)}
    todo = [(inst, k) for inst in instances for k in range(budget) if (inst.instance_id, k) not in done]
    if todo and not executor.remote:  # a remote node prepares its own
        prepare_images([inst for inst, _ in todo], sandbox == "docker", workers)
    for (inst, k), traj in executor.map(Sampler(run_id, seed, sandbox, agent), todo, f"rollouts {run_id}",
                                        show_progress):
        path = trajectory_path(root, run_id, inst.instance_id, k)
        traj.save(path)
        store.write([traj.to_row(store.stored_path(path))])
    reasons = store.count_by("rollouts", "exit_reason", run_id=run_id)
    return RolloutSummary(run_id, len(instances) * budget, len(instances) * budget - len(todo), reasons)


def _one_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
