"""Agent and rollout speed on swe-mini with the replay backend (no model time at all).

    python bench/agent_speed.py [--workers 1 2] [--execs 200]

1. harness overhead per agent step: wall time of the agent loop minus model and sandbox time
   (prompt rendering, parsing, bookkeeping), from the trajectories of a replayed run;
2. docker exec round trip of `true` in one sandbox (median, p95);
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
from harness.agent.trajectory import Trajectory
from harness.backends import Sampling
from harness.backends.replay import ReplayBackend
from harness.benchmarks.swe_mini import SWE_MINI
from harness.demos import build_demos
from harness.evaluation.run import prepare_images
from harness.rollout import rollout
from harness.sandbox import open_sandbox
from harness.store import Store


def exec_round_trips(n: int) -> list[float]:
    instance = SWE_MINI.load("test")[0]
    with open_sandbox("docker", instance.public_view()) as box:
        box.execute("true")  # warm-up
        times = []
        for _ in range(n):
            start = time.perf_counter()
            box.execute("true")
            times.append(time.perf_counter() - start)
    return times


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
        demos = root / "demos-swe-mini-test"
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
    execs = sorted(exec_round_trips(args.execs))
    table = Table(title="agent and rollout speed (swe-mini test split, replay backend, docker)")
    for col in ("measure", "value", "ratio"):
        table.add_column(col, justify="right" if col != "measure" else "left")
    table.add_row("harness overhead per agent step", f"{per_step_ms:.2f} ms", f"{steps} steps")
    table.add_row("docker exec round trip, median", f"{1000 * statistics.median(execs):.1f} ms", "")
    table.add_row("docker exec round trip, p95", f"{1000 * execs[int(0.95 * len(execs)) - 1]:.1f} ms", "")
    first = args.workers[0]
    for w, rate in rates.items():
        label = f"rollouts/minute, {w} worker{'s' * (w > 1)}"
        table.add_row(label, f"{rate:.1f}", f"{rate / rates[first]:.2f}x")
    console.print(table)


if __name__ == "__main__":
    main()
