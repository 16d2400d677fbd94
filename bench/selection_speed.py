"""Selection cost: offline re-selection over 500 x 16 synthetic stored trajectories for every
selector (target < 2 s each; execution signals are stored, not run), and signal computation time
per trajectory on a real swe-mini run.

    python bench/selection_speed.py [--instances 500] [--samples 16] [--sandbox local|docker]

Ratios are against `first` measured in the same run: what reading the run from DuckDB, storing
the selections and writing the predictions file cost with no ranking at all.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from harness import registry
from harness.records import EvaluationRow, RolloutRow, RunRow, SignalRow
from harness.selectors.offline import select_run
from harness.store import Store

RUN = "bench-selection"


def synthetic(store: Store, instances: int, samples: int, seed: int = 0) -> None:
    """Rollouts with patches (some repeated, some empty), stored signals and verdicts."""
    rng = random.Random(seed)
    rows: list = [RunRow(RUN, "rollout", "synthetic", {}, "h", "sha", {})]
    for i in range(instances):
        iid = f"repo__{i}"
        fixes = [f"--- a/m{i}.py\n+++ b/m{i}.py\n@@ -1 +1 @@\n-x = 1\n+x = {v}\n" for v in range(4)]
        for k in range(samples):
            patch = rng.choice([*fixes, ""])
            finished = rng.random() < 0.8
            rows.append(RolloutRow(RUN, iid, k, "finished" if finished else "max_steps", rng.randint(5, 100),
                                   patch, "", 1000, rng.randint(100, 9000), 1.0, 1.0, k))
            rows += [SignalRow(RUN, iid, k, "verifier", rng.random(), {}),
                     SignalRow(RUN, iid, k, "regression", float(rng.randint(0, 40)), {}),
                     SignalRow(RUN, iid, k, "reproduction", float(rng.randint(0, 5)), {})]
            ok = patch == fixes[0]
            rows.append(EvaluationRow(f"{RUN}.fast", iid, k, "fast", RUN, "resolved" if ok else "unresolved",
                                      ok, "", "", 0, 0, 0, 0, 0.0, ""))
    store.write(rows)


def time_selectors(store: Store) -> list[tuple[str, float, float]]:
    """(selector, seconds, resolved) for every registered selector and one chain."""
    found = []
    for name in [*registry.names("selector"), "finished>regression>reproduction>verifier:0.01>longest"]:
        select_run(store, RUN, name)  # warm-up: the first DuckDB scan of the tables
        start = time.perf_counter()
        result = select_run(store, RUN, name)
        found.append((name, time.perf_counter() - start, result.resolved))
    return found


def time_signals(sandbox: str, workers: int) -> Table:
    """Per-trajectory signal time on a replayed swe-mini test run (gold and give-up experts, budget 4)."""
    from harness.agent.loop import Agent
    from harness.backends import Sampling
    from harness.backends.replay import ReplayBackend
    from harness.benchmarks.swe_mini import SWE_MINI
    from harness.demos import build_demos
    from harness.paths import TRAJECTORIES
    from harness.rollout import rollout
    from harness.signals.compute import compute_signals
    from harness.signals.verifier import verifier_signals

    instances, run = SWE_MINI.load("test"), "bench-signals"
    with Store("signals.duckdb") as store:
        for fix in (True, False):
            build_demos(instances, store, sandbox, workers, show_progress=False, fix=fix)
        agent = Agent(ReplayBackend(str(store.workspace / TRAJECTORIES)), Sampling(temperature=0))
        rollout(instances, store, run, agent, 4, 0, workers, sandbox, {}, show_progress=False)
        n = len(instances) * 4
        start = time.perf_counter()
        compute_signals(store, run, sandbox, workers, execution=False, show_progress=False)
        static = time.perf_counter() - start
        start = time.perf_counter()
        summary = compute_signals(store, run, sandbox, workers, show_progress=False)
        executed = time.perf_counter() - start
        start = time.perf_counter()
        verifier_signals(store, run, "tiny", "hf", show_progress=False)
        scored = time.perf_counter() - start
        empty = len(store.query("SELECT 1 FROM rollouts WHERE run_id = ? AND patch = ''", [run]))
    table = Table(title=f"signal time per trajectory: swe-mini test, {n} trajectories ({empty} empty patches "
                        f"reuse their instance's base-commit run), {sandbox} sandbox, {workers} workers")
    for column in ("signals", "total s", "per trajectory s"):
        table.add_column(column, justify="right" if column != "signals" else "left")
    table.add_row("static (patch, log-probs)", f"{static:.2f}", f"{static / n:.4f}")
    executed_label = f"execution ({summary.instances_executed} instances)"
    table.add_row(executed_label, f"{executed:.2f}", f"{executed / n:.3f}")
    table.add_row("verifier (tiny model, hf, CPU; load included)", f"{scored:.2f}", f"{scored / n:.3f}")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=500)
    parser.add_argument("--samples", type=int, default=16)
    parser.add_argument("--sandbox", default="auto", help="for the swe-mini signal timing")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory(prefix="bench-selection-") as tmp:
        os.chdir(tmp)  # selections' predictions files and trajectories land here
        with Store(Path(tmp) / "bench.duckdb") as store:
            synthetic(store, args.instances, args.samples)
            timings = time_selectors(store)
        base = dict((name, seconds) for name, seconds, _ in timings)["first"]
        table = Table(title=f"re-selection over {args.instances} x {args.samples} stored trajectories "
                            "(target < 2 s each)")
        for column in ("selector", "seconds", "vs first", "resolved"):
            table.add_column(column, justify="left" if column == "selector" else "right")
        for name, seconds, resolved in timings:
            table.add_row(name, f"{seconds:.3f}", f"{seconds / base:.2f}x", f"{resolved:g}/{args.instances}")
        console.print(table)
        from harness.evaluation.run import resolve_sandbox

        console.print(time_signals(resolve_sandbox(args.sandbox), args.workers))


if __name__ == "__main__":
    main()
