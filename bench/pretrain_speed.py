"""Pretraining throughput of the tiny agent: SFT steps on swe-gen demonstrations (compact prompt),
trained tokens per second for each model size on this machine, against the 0.3M "tiny" model
measured in the same run.

    python bench/pretrain_speed.py [--demos 16] [--batch 4] [--steps 5] [--sizes tiny agent]

The demonstrations are recorded through the real agent loop (local sandbox) and judged by `fast`,
as the training-data stage does; a step is forward + backward + AdamW on full fine-tuning; 1 untimed
warm-up step, then the median of --steps timed steps. Tokens are the batch's non-padding tokens.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import torch
from rich.console import Console
from rich.table import Table
from transformers import AutoTokenizer, TrainerCallback

from harness.backends.tiny import build_tiny_model
from harness.benchmarks import get_benchmark
from harness.config import RunConfig
from harness.context import RunContext
from harness.demos import build_demos, demo_run_id
from harness.stages import evaluate_rollouts
from harness.store import Store
from methods.data import build_sft, examples_from_store
from methods.sft import MultiTurnSFTConfig, MultiTurnSFTTrainer
from methods.train import build_trainer


class StepClock(TrainerCallback):
    """Wall time of every optimizer step."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def on_step_begin(self, args, state, control, **kwargs):
        self.began = time.perf_counter()

    def on_step_end(self, args, state, control, **kwargs):
        self.times.append(time.perf_counter() - self.began)


def rows_of_demos(n: int, root: Path, tok) -> list[dict]:
    instances = get_benchmark("swe-gen").load("train")[:n]
    with Store(root / "db.duckdb") as store:
        build_demos(instances, store, "local", 2, show_progress=False, prompt="compact")
        run_id = demo_run_id("swe-gen", "train", True, "compact")
        eval_id = evaluate_rollouts(RunContext(RunConfig(sandbox="local"), store, show_progress=False),
                                    run_id, "fast").eval_id
        rows, _ = build_sft(examples_from_store(store, run_id, eval_id), tok)
    return rows


def measure(size: str, rows: list[dict], batch: int, steps: int, root: Path) -> tuple[int, float, float]:
    """(parameters, median seconds per step, tokens per step)."""
    path = build_tiny_model(size=size)
    tok = AutoTokenizer.from_pretrained(path)
    config = MultiTurnSFTConfig(
        output_dir=str(root / size), bf16=False, gradient_checkpointing=False, report_to="none",
        save_strategy="no", logging_steps=1, disable_tqdm=True, seed=0, per_device_train_batch_size=batch,
        max_steps=steps + 1, learning_rate=1e-3, lr_scheduler_type="constant", warmup_steps=0,
        train_sampling_strategy="sequential")
    clock = StepClock()
    trainer = build_trainer(MultiTurnSFTTrainer, config, str(path), tok, rows, with_reference=False,
                            callbacks=[clock])
    trainer.train()
    params = sum(p.numel() for p in trainer.model.parameters())
    tokens = statistics.mean(sum(len(r["input_ids"]) for r in rows[i:i + batch])
                             for i in range(0, batch * (steps + 1), batch) if rows[i:i + batch])
    return params, statistics.median(clock.times[1:]), tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demos", type=int, default=16)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--sizes", nargs="+", default=["tiny", "agent"])
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory(prefix="pretrain-speed-") as tmp:
        root = Path(tmp)
        tok = AutoTokenizer.from_pretrained(build_tiny_model())
        rows = rows_of_demos(args.demos, root, tok)
        rows = (rows * (1 + args.batch * (args.steps + 1) // len(rows)))[: args.batch * (args.steps + 1)]
        lengths = [len(r["input_ids"]) for r in rows]
        threads = torch.get_num_threads()
        table = Table(title=f"SFT on swe-gen demonstrations (compact prompt), batch {args.batch}, "
                            f"{threads} CPU threads, rows {min(lengths)}-{max(lengths)} tokens")
        for column in ("size", "parameters", "s/step", "tokens/step", "tokens/s", "vs tiny"):
            table.add_column(column, justify="left" if column == "size" else "right")
        base = None
        for size in args.sizes:
            params, seconds, tokens = measure(size, rows, args.batch, args.steps, root)
            rate = tokens / seconds
            base = base or rate
            table.add_row(size, f"{params / 1e6:.2f}M", f"{seconds:.3f}", f"{tokens:.0f}", f"{rate:,.0f}",
                          f"{rate / base:.2f}x")
        console.print(table)


if __name__ == "__main__":
    main()
