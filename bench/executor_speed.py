"""Executor speed: the local executor against Ray on this machine, with one node and with two.

    python bench/executor_speed.py [--slots 2] [--budget 4] [--tasks 400] [--sandbox local]

1. rollout throughput (rollouts/minute) replaying the swe-mini test split's demonstrations, each
   sample in its own sandbox: local threads (`--slots` workers) vs a Ray cluster of one node and of
   two nodes (each node `--slots` sandbox slots, its worker processes started first); ratios against
   the local executor measured here;
2. Ray's overhead per task: `--tasks` units of work that do nothing, through each executor; the
   overhead is (Ray's wall time - the local executor's) per task, in milliseconds.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from harness.agent.loop import AgentConfig
from harness.agent.spec import AgentSpec
from harness.backends import Sampling
from harness.benchmarks.swe_mini import SWE_MINI
from harness.demos import build_demos
from harness.executors.local import LocalExecutor
from harness.executors.nodes import SLOT
from harness.executors.ray_cluster import RayExecutor
from harness.rollout import rollout
from harness.sandbox.prepare import prepare_images
from harness.store import Store


def nothing(item: int) -> int:
    return item


def timed_map(executor, n: int) -> float:
    """Seconds to run `n` units of work that do nothing."""
    start = time.monotonic()
    assert len(list(executor.map(nothing, list(range(n)), "noop", show_progress=False))) == n
    return time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slots", type=int, default=2, help="local workers; sandbox slots per Ray node")
    parser.add_argument("--budget", type=int, default=4)
    parser.add_argument("--tasks", type=int, default=400)
    parser.add_argument("--sandbox", default="local", choices=["local", "docker"])
    args = parser.parse_args()
    import ray
    from ray.cluster_utils import Cluster

    instances = SWE_MINI.load("test")
    prepare_images(instances, args.sandbox == "docker", 2)
    samples = len(instances) * args.budget
    rates, noop = {}, {}
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.duckdb") as store:
        root = Path(tmp) / "trajectories"
        build_demos(instances, store, args.sandbox, 2, root=root, show_progress=False)
        demos = root / "demos-swe-mini-test-e2"
        spec = AgentSpec("replay", str(demos), Sampling(temperature=0), AgentConfig())

        def measure(name: str, executor) -> None:
            agent = spec if executor.remote else spec.open()
            timed_map(executor, 20)  # warm: Ray starts its worker processes
            start = time.monotonic()
            summary = rollout(instances, store, f"bench-{len(rates)}", agent, args.budget, 0, args.slots,
                              args.sandbox, root=root, show_progress=False, executor=executor)
            rates[name] = samples / (time.monotonic() - start) * 60
            assert summary.exit_reasons == {"finished": samples}, summary.exit_reasons
            noop[name] = timed_map(executor, args.tasks)

        measure("local", LocalExecutor(args.slots))
        for nodes in (1, 2):
            cluster = Cluster(initialize_head=True,
                              head_node_args={"num_cpus": 1, "resources": {SLOT: args.slots}})
            for _ in range(nodes - 1):
                cluster.add_node(num_cpus=1, resources={SLOT: args.slots})
            cluster.wait_for_nodes()
            executor = RayExecutor(address=cluster.address)
            try:
                measure(f"ray, {nodes} node{'s' * (nodes > 1)}", executor)
            finally:
                executor.close()
                ray.shutdown()
                cluster.shutdown()
    table = Table(title=f"executors: swe-mini test split x {args.budget} (replay backend, {args.sandbox} "
                        f"sandbox), {args.slots} slots a node")
    for col in ("executor", "rollouts/minute", "ratio", f"{args.tasks} no-op tasks", "overhead/task"):
        table.add_column(col, justify="left" if col == "executor" else "right")
    for name, rate in rates.items():
        overhead = 1000 * (noop[name] - noop["local"]) / args.tasks
        table.add_row(name, f"{rate:.1f}", f"{rate / rates['local']:.2f}x", f"{noop[name]:.2f} s",
                      "-" if name == "local" else f"{overhead:.1f} ms")
    Console().print(table)


if __name__ == "__main__":
    main()
