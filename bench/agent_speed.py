"""Agent and rollout speed on swe-mini with the replay backend (no model time at all).

    python bench/agent_speed.py [--workers 1 2] [--execs 200]

1. harness overhead per agent step: wall time of the agent loop minus model and sandbox time
   (prompt rendering, parsing, bookkeeping), from the trajectories of a replayed run;
2. docker exec round trip of `true` in one sandbox (median, p95), against a bare docker exec;
3. rollout throughput (rollouts/minute, sandbox start and teardown included) replaying the test
   split's demonstrations with 1 vs 2 workers; the ratio is against 1 worker measured here.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from harness.agent.loop import Agent, AgentConfig
from harness.backends import Sampling
from harness.backends.replay import ReplayBackend
from harness.benchmarks.swe_mini import SWE_MINI
from harness.demos import build_demos
from harness.images import client
from harness.rollout import rollout
from harness.sandbox import open_sandbox
from harness.sandbox.prepare import prepare_images
from harness.store import Store
from harness.trajectory import Trajectory


def exec_round_trips(n: int) -> tuple[list[float], list[float]]:
    """Seconds per `true` through our sandbox (kill-timeout, output cap) and through a bare
    docker exec in the same container (the baseline)."""
    instance = SWE_MINI.load("test")[0]
    with open_sandbox("docker", instance.public_view()) as box:
        api = client().api

        def bare() -> None:
            exec_id = api.exec_create(box.container.id, ["true"])["Id"]
            b"".join(api.exec_start(exec_id, stream=True))
            api.exec_inspect(exec_id)

        timed: tuple[list[float], list[float]] = ([], [])
        for fn, times in ((lambda: box.execute("true"), timed[0]), (bare, timed[1])):
            fn()  # warm-up
            for _ in range(n):
                start = time.perf_counter()
                fn()
                times.append(time.perf_counter() - start)
    return sorted(timed[0]), sorted(timed[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--execs", type=int, default=200)
    args = parser.parse_args()
    instances = SWE_MINI.load("test")
    prepare_images(instances, needs_docker=True, workers=2)
    console = Console()
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.duckdb") as store:
        root = Path(tmp) / "trajectories"
        build_demos(instances, store, "docker", 2, root=root, show_progress=False)
        demos = root / "demos-swe-mini-test-e2"
        agent = Agent(ReplayBackend(str(demos)), Sampling(temperature=0), AgentConfig())
        rates, steps, overheads = {}, 0, []
        for w in args.workers:
            start = time.monotonic()
            rollout(instances, store, f"bench-w{w}", agent, 1, 0, w, "docker", root=root, show_progress=False)
            rates[w] = len(instances) / (time.monotonic() - start) * 60
            for path in (root / f"bench-w{w}").glob("*/*.json"):
                traj = Trajectory.load(path)
                assert traj.exit_reason == "finished", (path, traj.exit_reason)
                steps += traj.steps
                overheads.append(traj.harness_seconds)
    per_step_ms = 1000 * sum(overheads) / steps
    ours, bare = exec_round_trips(args.execs)
    median, p95 = statistics.median, lambda t: t[int(0.95 * len(t)) - 1]
    table = Table(title="agent and rollout speed (swe-mini test split, replay backend, docker)")
    for col in ("measure", "value", "ratio"):
        table.add_column(col, justify="right" if col != "measure" else "left")
    table.add_row("harness overhead per agent step", f"{per_step_ms:.2f} ms", f"{steps} steps")
    for name, stat in (("median", median), ("p95", p95)):
        table.add_row(f"docker exec round trip, {name}", f"{1000 * stat(ours):.1f} ms",
                      f"{stat(ours) / stat(bare):.2f}x bare exec ({1000 * stat(bare):.1f} ms)")
    first = args.workers[0]
    for w, rate in rates.items():
        label = f"rollouts/minute, {w} worker{'s' * (w > 1)}"
        table.add_row(label, f"{rate:.1f}", f"{rate / rates[first]:.2f}x")
    console.print(table)


if __name__ == "__main__":
    main()
