"""Per-instance evaluation wall time on swe-mini gold: fast vs official vs a raw `docker run`.

    python bench/eval_speed.py [--instances N] [--workers 1 2]

All three modes judge the same gold patches in one run, after one untimed warm-up of each;
ratios are against the raw run measured here (apply the gold patch and run eval.sh in a fresh
`docker run --rm` container, no grading).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rich.console import Console
from rich.table import Table

from harness.benchmarks.swe_mini import SWE_MINI
from harness.evaluation.run import evaluate, prepare_images
from harness.records import Instance, Prediction
from harness.store import Store


def raw_run(instance: Instance) -> bool:
    script = f"cd /testbed && git apply - <<'EOF_GOLD'\n{instance.patch}EOF_GOLD\n{instance.eval_script}"
    proc = subprocess.run(
        ["docker", "run", "--rm", "-i", "--network", "none", instance.image, "bash", "-s"],
        input=script, capture_output=True, text=True,
    )
    return "PASSED" in proc.stdout


def time_raw(instances: list[Instance], workers: int) -> float:
    start = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        assert all(pool.map(raw_run, instances)), "raw run failed"
    return time.monotonic() - start


def time_evaluator(evaluator: str, preds: list[Prediction], workers: int, db: Path, tag: str = "") -> float:
    start = time.monotonic()
    with Store(db) as store:
        s = evaluate("swe-mini", preds, store, evaluator, workers, f"bench-{evaluator}-{workers}{tag}",
                     sandbox="docker", show_progress=False)
    assert s.resolved == len(preds), s.statuses
    return time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=12)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    instances = SWE_MINI.load()[: args.instances]
    prepare_images(instances, needs_docker=True, workers=2)
    preds = [Prediction(i.instance_id, i.patch, "gold") for i in instances]
    table = Table(title=f"swe-mini gold, {len(instances)} instances (seconds per instance)")
    for col in ("workers", "raw docker run", "fast", "official", "fast/raw", "official/fast"):
        table.add_column(col, justify="right")
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # evaluation logs go to ./results/logs: keep them out of the checkout
        # Warm-up, not timed: imports (swebench pulls in `datasets`) and the docker caches.
        time_raw(instances[:1], 1)
        for evaluator in ("fast", "official"):
            time_evaluator(evaluator, preds[:1], 1, Path(tmp) / f"warm-{evaluator}.duckdb", "warm")
        for w in args.workers:
            raw = time_raw(instances, w)
            fast = time_evaluator("fast", preds, w, Path(tmp) / f"fast-{w}.duckdb")
            official = time_evaluator("official", preds, w, Path(tmp) / f"official-{w}.duckdb")
            n = len(instances)
            table.add_row(str(w), f"{raw / n:.2f}", f"{fast / n:.2f}", f"{official / n:.2f}",
                          f"{fast / raw:.2f}x", f"{official / fast:.2f}x")
    Console().print(table)


if __name__ == "__main__":
    main()
