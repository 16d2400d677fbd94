"""Rollouts: `budget` trajectories per instance, in bounded parallel sandboxes, resumable.

Each finished sample is a trajectory file written atomically, then its row in DuckDB; on start the
rows of files that lack one are rebuilt, and stored keys are skipped, so a kill -9 loses at most
the samples in flight and never duplicates one (DESIGN.md contract 4).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from harness import paths
from harness.agent.loop import Agent
from harness.evaluation.run import instance_rows, prepare_images
from harness.progress import progress_bar
from harness.provenance import run_row
from harness.records import Instance, RolloutRow
from harness.sandbox import open_sandbox
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


def rollout(
    instances: Sequence[Instance], store: Store, run_id: str, agent: Agent, budget: int,
    seed: int = 0, workers: int = 2, sandbox: str = "docker", config: dict | None = None,
    root: Path | None = None, retry_errors: bool = False, show_progress: bool = True,
) -> RolloutSummary:
    """Sample `budget` trajectories of every instance with `agent`, skipping stored samples; files go
    under `root` (default: the store's workspace's trajectories/)."""
    root = root or store.workspace / paths.TRAJECTORIES
    benchmark = instances[0].benchmark if instances else ""
    store.write([run_row(run_id, "rollout", benchmark, config or {}), *instance_rows(instances)])
    reindex(store, run_id, root)
    done = {key for key, reason in store.exit_reasons(run_id).items()
            if not (retry_errors and reason in INFRA_ERRORS)}
    todo = [(inst, k) for inst in instances for k in range(budget) if (inst.instance_id, k) not in done]
    if todo:
        prepare_images([inst for inst, _ in todo], sandbox == "docker", workers)

    def one(inst: Instance, k: int) -> None:
        traj = Trajectory(run_id, inst.instance_id, k, sample_seed(seed, inst.instance_id, k),
                          agent.backend.model)
        public = inst.public_view()  # the agent never sees the gold patch or the hidden tests
        with ExitStack() as stack:
            try:
                box = stack.enter_context(open_sandbox(sandbox, public))
            except Exception as exc:  # could not start: this sample ends, the run goes on
                log.warning("sandbox for %s sample %d failed to start: %s", inst.instance_id, k, exc)
                traj.exit_reason, traj.exit_detail = "sandbox_error", _one_line(exc)
            else:
                agent.run(public, box, traj)
        path = trajectory_path(root, run_id, inst.instance_id, k)
        traj.save(path)
        store.write([traj.to_row(store.stored_path(path))])

    with progress_bar(f"rollouts {run_id}", len(todo), show_progress) as advance, \
            ThreadPoolExecutor(max(1, workers)) as pool:
        futures = [pool.submit(one, inst, k) for inst, k in todo]
        try:
            for future in as_completed(futures):
                future.result()
                advance()
        except BaseException:  # a bug (not a model or sandbox fault): stop scheduling, keep what is stored
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    reasons = store.count_by("rollouts", "exit_reason", run_id=run_id)
    return RolloutSummary(run_id, len(instances) * budget, len(instances) * budget - len(todo), reasons)


def _one_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
