"""`harness pretrain`: the tiny agent, trained from scratch by the harness's own SFT stage on expert
demonstrations of swe-gen's train split (replayed through the real agent loop under the compact
prompt, judged, finished and resolved only), then written to a folder with a record of the command,
the data and the code that made it, so the same command makes a model of the same quality."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from harness.provenance import git_sha

if TYPE_CHECKING:  # the CLI reads the settings' defaults: importing this module stays cheap
    from harness.config import RunConfig
    from harness.context import RunContext
    from harness.records import Instance

RECORD = "PRETRAIN.json"
SHIPPED = ("config.json", "generation_config.json", "model.safetensors", "tokenizer.json",
           "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja")


@dataclass(frozen=True)
class PretrainSettings:
    """What the run trains on and how (defaults: the latest measured run, README "The agent")."""

    size: str = "agent"
    instances: int | None = None  # of swe-gen's train split (None: all of it)
    epochs: float = 1.5
    batch: int = 4
    learning_rate: float = 2e-3
    max_length: int = 2048
    seed: int = 0
    tokens: str = "all"  # SFT's `sft_tokens`: a model from scratch learns from the observations too
    drills: int = 0  # copy drills mixed into the demonstrations (harness/benchmarks/swe_gen/drill.py)

    def config(self, sandbox: str, workers: int) -> RunConfig:
        """The `harness train --method sft` run this is: a fresh model of `size`, full fine-tuning."""
        from harness.agent.loop import AgentConfig
        from harness.backends.tiny import build_tiny_model
        from harness.config import RunConfig, SFTCorpusConfig, TrainConfig

        return RunConfig(
            method="sft", model=str(build_tiny_model(size=self.size)), benchmark="swe-gen", split="test",
            seed=self.seed, sandbox=sandbox, workers=workers, agent=AgentConfig(prompt="compact"),
            train=TrainConfig(sft=SFTCorpusConfig(benchmark="swe-gen", split="train",
                                                 instances=self.instances, drills=self.drills)),
            method_options={"lora": False, "learning_rate": self.learning_rate,
                            "num_train_epochs": self.epochs, "per_device_train_batch_size": self.batch,
                            "max_length": self.max_length, "lr_scheduler_type": "cosine",
                            "sft_tokens": self.tokens},
        )


def pretrain(ctx: RunContext, settings: PretrainSettings, out: Path) -> Path:
    """Train (or reuse the stored training of) the agent, write its files and the record to `out`."""
    from harness.benchmarks.swe_gen.generate import VERSION
    from harness.pipeline import train_stage

    began, sha = time.monotonic(), git_sha()  # the code that trains, not what is checked out at the end
    merged = Path(train_stage(ctx))
    seconds = time.monotonic() - began
    out.mkdir(parents=True, exist_ok=True)
    for name in SHIPPED:
        if (merged / name).is_file():
            shutil.copy2(merged / name, out / name)
    # this training's own run (models/<run id>/merged), not whichever SFT run sorts last in the store
    run_id, steps, first, last = ctx.store.training_steps(merged.parent.name)[0]
    record = {
        "command": ["harness", *sys.argv[1:]], "git_sha": sha, "settings": asdict(settings),
        "data": {"benchmark": "swe-gen", "generator_version": VERSION, "split": "train",
                 "demonstrations": _data_hash(ctx)},
        "training_run": run_id, "steps": steps, "loss": {"first": first, "last": last},
        "seconds": round(seconds, 1), "parameters": _parameters(out),
    }
    (out / RECORD).write_text(json.dumps(record, indent=2) + "\n")
    return out


def _data_hash(ctx: RunContext) -> dict:
    """The tasks the demonstrations replay and how many trajectories were recorded."""
    from harness.demos import demo_run_id
    from harness.records import RolloutRow
    from harness.training_data import corpus_instances

    instances = corpus_instances(ctx.config.train.sft, ctx.config.seed)
    run_id = demo_run_id("swe-gen", "train", True, "compact")
    ids = {i.instance_id for i in instances}
    recorded = sum(r.instance_id in ids for r in ctx.store.rows(RolloutRow, run_id=run_id))
    return {"run_id": run_id, "tasks": len(instances), "trajectories": recorded,
            "sha256": tasks_sha256(instances)}


def tasks_sha256(instances: Iterable[Instance]) -> str:
    """A hash of what makes the demonstrations (ids, base commits, issues, gold patches; their test
    output carries timings, so not their bytes), independent of the order given."""
    digest = hashlib.sha256()
    for i in sorted(instances, key=lambda i: i.instance_id):
        for part in (i.instance_id, i.base_commit, i.problem_statement, i.patch):
            digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def _parameters(folder: Path) -> int:
    """Parameters stored in the shipped weights (tied embeddings once)."""
    from math import prod

    from safetensors import safe_open

    with safe_open(folder / "model.safetensors", "pt") as f:
        return sum(prod(f.get_slice(k).get_shape()) for k in f.keys())
