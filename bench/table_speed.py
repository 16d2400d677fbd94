"""Rendering the paper's table from a big store: 12 `main` cells (6 methods x Verified and Lite), each
a run of 500 tasks x 16 stored rollouts with verdicts and signals (target < 10 s for the table).

    python bench/table_speed.py [--instances 500] [--samples 16]

The baseline measured in the same run is reading every cell's rollouts once (`samples`), the least
any table must do; the table adds pass@1, best-of-16 selection, bootstrap intervals and cost.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

from rich.console import Console

from analysis.grid import load_grid
from analysis.runs import samples
from analysis.tables import main_rows, write_tables
from harness.records import EvaluationRow, RolloutRow, RunRow, SignalRow
from harness.store import Store

GRID = """name: bench
blocks:
  - {name: main, method: [base, sft, dpo, kto, entropo-dpo, entropo], benchmark: [swebench-verified],
     budget: [16], selector: [hybrid-verified]}
  - {name: main, method: [base, sft, dpo, kto, entropo-dpo, entropo], benchmark: [swebench-lite],
     budget: [16], selector: [hybrid-lite]}
"""


def fill(store: Store, run_id: str, instances: int, samples_per: int, rng: random.Random) -> None:
    rows: list = [RunRow(run_id, "rollout", "synthetic", {}, "h", "sha", {})]
    for i in range(instances):
        iid = f"repo__{i}"
        for k in range(samples_per):
            ok = rng.random() < 0.3
            rows += [
                RolloutRow(run_id, iid, k, "finished", rng.randint(5, 100), f"--- a/m{i}\n+++ b/m{i}\n", "",
                           20_000, 2_000, 30.0, 20.0, k),
                SignalRow(run_id, iid, k, "verifier", rng.random(), {"tokens": 8_000}),
                SignalRow(run_id, iid, k, "regression", float(rng.randint(0, 30)), {"seconds": 12.0}),
                EvaluationRow(f"{run_id}.fast", iid, k, "fast", run_id, "resolved" if ok else "unresolved",
                              ok, "", "", 0, 0, 0, 0, 0.0, ""),
            ]
    store.write(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=500)
    parser.add_argument("--samples", type=int, default=16)
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory(prefix="bench-table-") as tmp:
        os.chdir(tmp)
        Path("grid.yaml").write_text(GRID)
        _, cells = load_grid("grid.yaml")
        with Store("bench.duckdb") as store:
            start = time.perf_counter()
            rng = random.Random(0)
            for run_id in dict.fromkeys(c.run_id for c in cells):
                fill(store, run_id, args.instances, args.samples, rng)
            filled = time.perf_counter() - start
            start = time.perf_counter()
            for cell in cells:
                samples(store, cell.run_id)
            read = time.perf_counter() - start
            start = time.perf_counter()
            rows = main_rows(store, cells)
            write_tables(rows, Path("tables"))
            table = time.perf_counter() - start
    n = len(cells) * args.instances * args.samples
    console.print(f"store: {len(cells)} cells x {args.instances} x {args.samples} = {n:,} rollouts "
                  f"(filled in {filled:.1f} s)")
    console.print(f"baseline, reading every cell's rollouts once: {read:.2f} s")
    console.print(f"the table ({len(rows)} rows: pass@1, best-of-{args.samples} selection, bootstrap, cost; "
                  f"Markdown/CSV/LaTeX written): {table:.2f} s = {table / read:.1f}x the baseline "
                  f"(target < 10 s)")


if __name__ == "__main__":
    main()
