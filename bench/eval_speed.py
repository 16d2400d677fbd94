"""Per-instance evaluation wall time on swe-mini gold: fast vs official vs a raw `docker run`.

    python bench/eval_speed.py [--libraries bookshelf symcalc ...] [--workers 1 2]

Every mode judges the same gold patches in one run, after one untimed warm-up of each; ratios are
against the raw run measured here (apply the gold patch and run eval.sh in a fresh `docker run
--rm` container, no grading). The official harness runs twice: on our images, which stop at once
(STOPSIGNAL SIGKILL), and on the same images with Docker's default stop signal, as SWE-bench's
published images have: its `docker stop --time=15` then waits for PID 1 to ignore SIGTERM.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rich.console import Console
from rich.table import Table

from harness.benchmarks.swe_mini import SWE_MINI, library
from harness.evaluation.run import judge_all
from harness.records import Instance, Prediction
from harness.sandbox.prepare import prepare_images

# The libraries whose tests run the way Django's, SymPy's, Sphinx's and older pytest repositories' do.
RUNNER_LIBRARIES = ["bookshelf", "symcalc", "textcase", "unitconv"]
DEFAULT_STOP = "default-stop"


def raw_run(instance: Instance) -> bool:
    script = f"cd /testbed && git apply - <<'EOF_GOLD'\n{instance.patch}EOF_GOLD\n{instance.eval_script}"
    proc = subprocess.run(
        ["docker", "run", "--rm", "-i", "--network", "none", instance.image, "bash", "-s"],
        input=script, capture_output=True, text=True,
    )
    return proc.returncode == 0


def time_raw(instances: list[Instance], workers: int) -> float:
    start = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        assert all(pool.map(raw_run, instances)), "raw run failed"
    return time.monotonic() - start


def default_stop(instance: Instance) -> Instance:
    """The instance on a copy of its image that keeps Docker's default stop signal (SIGTERM)."""
    image = f"{instance.image.split(':')[0]}:{DEFAULT_STOP}"
    subprocess.run(["docker", "build", "-q", "-t", image, "-"], check=True, capture_output=True, text=True,
                   input=f"FROM {instance.image}\nSTOPSIGNAL SIGTERM\n")
    return dataclasses.replace(instance, image=image)


def time_evaluator(evaluator: str, instances: list[Instance], workers: int, log_dir: Path) -> float:
    preds = [Prediction(i.instance_id, i.patch, "gold") for i in instances]
    verdicts = []
    log_dir.mkdir(parents=True)
    start = time.monotonic()
    judge_all(evaluator, dict(sandbox="docker"), {i.instance_id: i for i in instances}, preds, log_dir,
              verdicts.append, workers, show_progress=False)
    took = time.monotonic() - start
    assert [v.status for v in verdicts] == ["resolved"] * len(preds), [v.reason for v in verdicts]
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--libraries", nargs="+", default=RUNNER_LIBRARIES)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    instances = [i for i in SWE_MINI.load() if library(i.instance_id) in args.libraries]
    prepare_images(instances, needs_docker=True, workers=2)
    published = [default_stop(i) for i in instances]
    n = len(instances)
    table = Table(title=f"swe-mini gold on {', '.join(args.libraries)}: {n} instances (seconds per instance)")
    for col in ("workers", "raw docker run", "fast", "official", "official, SIGTERM images",
                "fast/raw", "official/fast", "SIGTERM/SIGKILL"):
        table.add_column(col, justify="right")
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # evaluation logs: keep them out of the checkout
        # Warm-up, not timed: imports (swebench pulls in `datasets`) and the docker caches.
        time_raw(instances[:1], 1)
        for evaluator in ("fast", "official"):
            time_evaluator(evaluator, instances[:1], 1, Path(tmp) / f"warm-{evaluator}")
        for w in args.workers:
            raw = time_raw(instances, w)
            fast = time_evaluator("fast", instances, w, Path(tmp) / f"fast-{w}")
            official = time_evaluator("official", instances, w, Path(tmp) / f"official-{w}")
            sigterm = time_evaluator("official", published, w, Path(tmp) / f"official-sigterm-{w}")
            table.add_row(str(w), *(f"{t / n:.2f}" for t in (raw, fast, official, sigterm)),
                          f"{fast / raw:.2f}x", f"{official / fast:.2f}x", f"{sigterm / official:.2f}x")
    Console(width=200).print(table)


if __name__ == "__main__":
    main()
