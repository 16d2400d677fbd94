"""`harness pretrain`: the tiny agent, trained from scratch by the harness's own SFT stage: copy drills,
then recall drills (harness/benchmarks/swe_gen/drill.py), then expert demonstrations of swe-gen's train
split (replayed through the real agent loop under the compact prompt, judged, finished and resolved
only; a share of them recovering from a misnamed module or file, harness/demos.py); written to a
folder with a record of the command, the data and the code that made it, so the same command makes a
model of the same quality."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from harness.errors import BadInput
from harness.files import share
from harness.provenance import git_sha, versions

if TYPE_CHECKING:  # the CLI reads the settings' defaults: importing this module stays cheap
    from harness.config import RunConfig
    from harness.records import Instance
    from harness.store import Store

RECORD = "PRETRAIN.json"
SHIPPED = ("config.json", "generation_config.json", "model.safetensors", "tokenizer.json",
           "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja")


STAGES = ("copy", "recall", "demos")  # the curriculum, in order (README, "The agent")
SCHEDULES = ("constant_with_warmup", "linear", "cosine")  # transformers' names, warm-up first in each
WARMUP = 50  # steps of linear warm-up at the start of each stage; then constant (demonstrations: `schedule`)
LEARNED = 0.95  # a drill is learned when its last steps' mean token accuracy reaches this (plateau: ~0.70)


@dataclass(frozen=True)
class PretrainSettings:
    """What each stage trains on and how (defaults: the latest measured run, README "The agent"): copy
    drills alone, then recall drills alone, then the demonstrations; a stage with no data is skipped."""

    size: str = "agent"
    instances: int | None = None  # of swe-gen's train split (None: all of it)
    epochs: float = 1.5
    batch: int = 4
    learning_rate: float = 1e-3
    max_length: int = 2048
    seed: int = 0
    tokens: str = "all"  # SFT's `sft_tokens`: a model from scratch learns from the observations too
    drills: int = 0  # recall drills mixed into the demonstrations (harness/benchmarks/swe_gen/drill.py)
    copy_drills: int = 24_000  # stage 1, at `drill_batch` a step
    recall_drills: int = 6_400  # stage 2, at `drill_batch` a step
    drill_batch: int = 16
    copy_learning_rate: float = 2e-3
    held_out: int = 250  # swe-gen test tasks whose demonstrations measure the agent's copying (0: none)
    # "agent": keep the shipped agent's tokenizer, so its token ids, and the seeded weights each token
    # starts from, stay those of the shipped run whatever the corpus's files became; "build": train one
    vocabulary: str = "agent"
    recoveries: float = 0.3  # of the demonstrations, those recovering from a misnamed module or file first
    schedule: str = "linear"  # the demonstrations' learning rate after warm-up: decayed to 0 (transformers')
    edit_recoveries: float = 0.3  # of the demonstrations, those first editing a line the file does not have
    format_recoveries: float = 0.3  # of the demonstrations, those first writing a turn without its call's tag
    # Copying forms in a sudden jump whose step varies with the draw (measured: seed 2 sat at 0.70 token
    # accuracy from step 650 to the end of its 1,500, then jumped within 180 steps of a second pass), so a
    # drill stage runs its drills again, from where it ended, until learned: at most this many passes.
    drill_passes: int = 3

    def __post_init__(self) -> None:
        if self.schedule not in SCHEDULES:
            raise BadInput(f"unknown schedule {self.schedule!r}; use one of {', '.join(SCHEDULES)}")

    def kept(self) -> Path | None:
        """The model folder whose tokenizer the agent keeps (the shipped agent's, or any folder given, so
        an experiment's token ids stay put while the files a built tokenizer reads change), or None to
        train a tokenizer."""
        from harness.backends.tiny import AGENT, VOCABULARIES

        if self.vocabulary not in VOCABULARIES:
            if (Path(self.vocabulary) / "tokenizer.json").is_file():
                return Path(self.vocabulary)
            raise BadInput(f"unknown vocabulary {self.vocabulary!r}; use one of {', '.join(VOCABULARIES)}, "
                           "or a model folder holding a tokenizer.json")
        if self.vocabulary == "build":
            return None
        if not (AGENT / "tokenizer.json").is_file():
            raise BadInput(f"the shipped agent's tokenizer is missing from {AGENT}: pass --vocabulary build")
        return AGENT

    def stages(self) -> list[str]:
        """The stages of STAGES to train: the drill stages that have drills, and the demonstrations."""
        drills = {"copy": self.copy_drills, "recall": self.recall_drills}
        return [stage for stage in STAGES if drills.get(stage, 1)]

    def config(self, stage: str, model: str, sandbox: str, workers: int) -> RunConfig:
        """The `harness train --method sft` run of `stage` from `model`, full fine-tuning."""
        from harness.agent.loop import AgentConfig
        from harness.config import RunConfig, SFTCorpusConfig, TrainConfig

        if stage == "demos":
            corpus = SFTCorpusConfig(benchmark="swe-gen", split="train", instances=self.instances,
                                     drills=self.drills, recoveries=self.recoveries,
                                     edit_recoveries=self.edit_recoveries,
                                     format_recoveries=self.format_recoveries)
            batch, epochs, lr, schedule = self.batch, self.epochs, self.learning_rate, self.schedule
        else:
            count = self.copy_drills if stage == "copy" else self.recall_drills
            corpus = SFTCorpusConfig(benchmark="swe-gen", split="train", instances=0, drills=count,
                                     drill_kind=stage)
            batch, epochs = self.drill_batch, 1
            lr = self.copy_learning_rate if stage == "copy" else self.learning_rate
            schedule = "constant_with_warmup"  # a drill stage hands its weights on: no decay
        return RunConfig(
            method="sft", model=model, benchmark="swe-gen", split="test", seed=self.seed, sandbox=sandbox,
            workers=workers, agent=AgentConfig(prompt="compact"), train=TrainConfig(sft=corpus),
            method_options={"lora": False, "learning_rate": lr, "num_train_epochs": epochs,
                            "per_device_train_batch_size": batch, "max_length": self.max_length,
                            "lr_scheduler_type": schedule, "warmup_steps": WARMUP,
                            "sft_tokens": self.tokens},
        )


def pretrain(store: Store, settings: PretrainSettings, out: Path, sandbox: str, workers: int,
             notify: Callable[[str], None]) -> Path:
    """Train (or reuse the stored trainings of) each stage from the last, write the agent's files and the
    record to `out`."""
    import torch

    from harness.backends.tiny import build_tiny_model
    from harness.benchmarks.swe_gen.generate import VERSION

    began, sha = time.monotonic(), git_sha()  # the code that trains, not what is checked out at the end
    sandbox = recording_sandbox(sandbox)
    model, stages, configs = str(build_tiny_model(size=settings.size, vocabulary=settings.kept())), {}, {}
    for stage in settings.stages():
        model, stages[stage], configs[stage] = train_pretrain_stage(store, settings, stage, model, sandbox,
                                                                    workers, notify)
    seconds = time.monotonic() - began
    out.mkdir(parents=True, exist_ok=True)
    for name in SHIPPED:
        if (Path(model) / name).is_file():
            shutil.copy2(Path(model) / name, out / name)
    share(out)  # a stage stored before its weights were made readable keeps them 0600
    record = {
        "command": ["harness", *sys.argv[1:]], "git_sha": sha, "settings": asdict(settings),
        # the libraries and threads that trained: a newer trl or torch moves the losses of the same data
        "versions": versions(), "threads": torch.get_num_threads(),
        "data": {"benchmark": "swe-gen", "generator_version": VERSION, "split": "train",
                 "demonstrations": _data_hash(store, configs["demos"])},
        "stages": stages, "steps": sum(s["steps"] for s in stages.values()),
        "seconds": round(seconds, 1), "parameters": _parameters(out),
        "held_out": _copying(store, model, settings.held_out, sandbox, workers),
    }
    (out / RECORD).write_text(json.dumps(record, indent=2) + "\n")
    return out


def train_pretrain_stage(store: Store, settings: PretrainSettings, stage: str, model: str, sandbox: str,
                         workers: int, notify: Callable[[str], None]) -> tuple[str, dict, RunConfig]:
    """Train `stage` from `model` (a drill stage again from where it ended until LEARNED, at most
    `drill_passes` times): (the model it hands on, its record, its last config)."""
    from harness.context import RunContext
    from harness.pipeline import train_stage

    runs = []
    for attempt in range(1, 1 + (1 if stage == "demos" else settings.drill_passes)):
        config = settings.config(stage, model, sandbox, workers)
        notify(f"pretrain stage {stage}{f' pass {attempt}' if attempt > 1 else ''}: {config.run_id()}")
        model = str(train_stage(RunContext(config, store, notify=notify)))
        # this training's own run (models/<run id>/merged), not whichever SFT run sorts last in the store
        runs.append(store.training_steps(Path(model).parent.name)[0])
        accuracy = store.tail_metric(runs[-1][0], "mean_token_accuracy")
        if accuracy is None or accuracy >= LEARNED:  # a trainer that logs no accuracy: one pass, as before
            break
    return model, {"training_run": runs[-1][0], "passes": [run[0] for run in runs],
                   "steps": sum(run[1] for run in runs), "accuracy": accuracy,
                   "loss": {"first": runs[0][2], "last": runs[-1][3], "last_100_mean": runs[-1][4]}}, config


def recording_sandbox(kind: str) -> str:
    """`auto` records in bubblewrap when it is installed: swe-gen's tasks need no image, and Docker first
    builds one per task (17 min for the 3,000 demonstrations), then starts a container for each."""
    from harness.evaluation.run import resolve_sandbox

    return "local" if kind == "auto" and shutil.which("bwrap") else resolve_sandbox(kind)


def _copying(store: Store, model: str, tasks: int, sandbox: str, workers: int) -> dict | None:
    """The trained agent's copying (harness/copying.py) on the demonstrations of the first `tasks`
    tasks of swe-gen's test split: what tells two runs apart whose losses agree."""
    if not tasks:
        return None
    from harness.benchmarks import get_benchmark
    from harness.copying import copying, model_predict
    from harness.demos import build_demos
    from harness.records import RolloutRow
    from harness.trajectory import Trajectory
    from methods.data.tokens import training_tokenizer

    family = get_benchmark("swe-gen")
    instances = {i.instance_id: i for i in family.load("test")[:tasks]}
    run_id = build_demos(list(instances.values()), store, sandbox, workers, show_progress=False,
                         prompt="compact").run_id
    episodes = []
    for row in store.rows(RolloutRow, run_id=run_id):
        if (instance := instances.get(row.instance_id)) is None:
            continue  # recorded for a larger check before
        messages = Trajectory.load_stored(store.artifact(row.trajectory_path)).messages  # as SFT renders them
        shown = family.reproduction(instance)
        episodes.append((messages, shown.function, shown.module))
    return asdict(copying(training_tokenizer(model), model_predict(model), episodes))


def _data_hash(store: Store, config: RunConfig) -> dict:
    """The tasks the demonstrations replay and how many trajectories were recorded."""
    from harness.demos import Recoveries, demo_run_id
    from harness.records import RolloutRow
    from harness.training_data import corpus_instances

    sft = config.train.sft
    instances = corpus_instances(sft, config.seed)
    run_id = demo_run_id("swe-gen", "train", True, "compact", Recoveries.of(sft))
    ids = {i.instance_id for i in instances}
    recorded = sum(r.instance_id in ids for r in store.rows(RolloutRow, run_id=run_id))
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
