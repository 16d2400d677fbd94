"""Run one training stage: turn the examples it is given (by the pipeline's training-data stage) into
rows, build the TRL trainer with the paper's defaults plus the run's overrides, train with every
logged step stored, and save the merged model under a folder named by the stage's config hash (a
second run with the same config reuses it). Nothing here makes data: methods go from examples to a
model folder."""

from __future__ import annotations

import importlib
import logging
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness import paths
from harness.backends.tiny import model_key
from harness.config import RunConfig
from harness.errors import BadInput
from harness.provenance import config_hash, run_row
from harness.records import TrainingStepRow
from harness.store import Store
from methods.distributed import launched, share

if TYPE_CHECKING:
    from methods.data.examples import ExampleSet

log = logging.getLogger(__name__)
# (stage data kind: sft | dpo | kto | verifier, path of the model being trained) -> its examples
ExampleSource = Callable[[str, str], "ExampleSet"]
# method_options read here; every other key is a field of the stage's TRL config (e.g. alpha, beta).
# What the stages train on is the config's `train:` section (harness/training_data.py).
# `sft_tokens`: "assistant" (the paper: only the model's own turns) or "all" (observations too: how
# `harness pretrain` trains the tiny agent from scratch, a language model of whole episodes).
DATA_OPTIONS = {"lora": True, "lora_rank": 8, "sft_tokens": "assistant"}
# TRL config fields that only say where logs go or how often to checkpoint: left out of the model's
# identity (no retraining).
RUN_OPTIONS = {"report_to", "logging_dir", "run_name", "logging_steps", "save_strategy", "save_steps",
               "save_total_limit"}
# A stage saves its trainer state every this many steps (the last save kept), and a run of the same
# identity resumes from it: a killed hour-long stage loses minutes, not the hour.
CHECKPOINT_STEPS = 200


@dataclass(frozen=True)
class Stage:
    """One trainer run: which rows it trains on (`data`: sft | dpo | kto | verifier) and its TRL pair."""

    name: str
    data: str
    config: str  # "module:Class" of the TRL config dataclass
    trainer: str  # "module:Class" of the trainer
    defaults: dict[str, Any] = field(default_factory=dict)

    def config_class(self) -> type:
        return _load(self.config)


PREFERENCE = "preference"  # the scope of every stage that trains on pairs or labelled rows


def _scopes(stage: Stage) -> list[str]:
    """The `method_options` sub-tables that apply to `stage`, weakest first."""
    return [*([PREFERENCE] if stage.data in ("dpo", "kto") else []), stage.name]


def _flat(stage: Stage, method_options: dict) -> dict:
    """`method_options` as `stage` sees them: top-level keys, then its scopes' tables over them
    (`preference: {learning_rate: 2e-5}` leaves the SFT stage, and so its model, alone)."""
    options = {k: v for k, v in method_options.items() if not isinstance(v, dict)}
    for scope in _scopes(stage):
        options.update(method_options.get(scope, {}))
    return options


def stage_options(stage: Stage, config: RunConfig) -> tuple[dict, dict]:
    """(data options, TRL config options) of `stage`: a `method_options` key that is a field of
    another stage's config (alpha for SFT within `entropo`) is not this stage's, and does not enter
    its model's identity."""
    options = {**DATA_OPTIONS, **_flat(stage, config.method_options)}
    known = {f.name for f in fields(stage.config_class())}
    return ({k: options[k] for k in DATA_OPTIONS},
            {k: v for k, v in options.items() if k not in DATA_OPTIONS and k in known})


def check_options(stages: Sequence[Stage], config: RunConfig) -> None:
    """BadInput for a `method_options` key or scope no stage of the method knows (a typo, not a knob).
    `preference` is a scope of every method, so one config serves them all: SFT alone leaves it unused."""
    given = config.method_options
    tables = {k: v for k, v in given.items() if isinstance(v, dict)}
    scopes = {PREFERENCE}.union(*(_scopes(s) for s in stages))
    if set(tables) - scopes:
        raise BadInput(f"unknown option scope(s) for {', '.join(s.name for s in stages)}: "
                       f"{', '.join(sorted(set(tables) - scopes))} (scopes: {', '.join(sorted(scopes))})")
    _refuse_unknown(set(given) - set(tables), stages)
    for scope, table in sorted(tables.items()):
        if scoped := [s for s in stages if scope in _scopes(s)]:
            _refuse_unknown(set(table), scoped)


def _refuse_unknown(keys: set[str], stages: Sequence[Stage]) -> None:
    """BadInput for the `keys` that are neither data options nor a field of any of `stages`' configs."""
    known = set(DATA_OPTIONS).union(*({f.name for f in fields(s.config_class())} for s in stages))
    if keys - known:
        names = ", ".join(s.config_class().__name__ for s in stages)
        raise BadInput(f"unknown option(s) for {', '.join(s.name for s in stages)}: "
                       f"{', '.join(sorted(keys - known))} (fields of {names}, or {', '.join(DATA_OPTIONS)})")


def stage_identity(stage: Stage, model: str, config: RunConfig) -> tuple[str, dict]:
    """(run id, identity) of training `model` with `stage`: what it starts from, learns from, its seed
    and options. No method name: methods that begin with the same stage (SFT before DPO, KTO,
    ENTROPO-*) share its model, and so the policy rollouts of it their preference data comes from."""
    data_options, trl_options = stage_options(stage, config)
    trained_by = {k: v for k, v in {**data_options, **trl_options}.items() if k not in RUN_OPTIONS}
    corpora = config.train.model_dump(mode="json")  # what it learns from, not what it is judged on
    identity = dict(stage=stage.name, model=model_key(model), data=_stage_data(stage, corpora),
                    seed=config.seed, options=trained_by, defaults=stage.defaults)
    return f"train-{stage.name}-{config_hash(identity)[:10]}", identity


def train_stage(stage: Stage, model: str, config: RunConfig, store: Store,
                examples_for: ExampleSource) -> str:
    """Train `model` with `stage` on the examples `examples_for` gives (options checked by the caller:
    `check_options`); return the folder of the merged result."""
    run_id, identity = stage_identity(stage, model, config)
    out = store.workspace / paths.MODELS / run_id
    if (out / "merged" / "config.json").is_file():
        log.info("reusing %s", out / "merged")
        return str(out / "merged")
    from harness.backends.tiny import resolve_model
    from methods.data.tokens import training_tokenizer

    data_options, trl_options = stage_options(stage, config)
    path = resolve_model(model)
    args = trainer_args(out / "trainer", config.seed, {**stage.defaults, **trl_options})
    rows = _rows(stage, training_tokenizer(path), examples_for(stage.data, path), config.seed,
                 stage.config_class()(**args).max_length, data_options["sft_tokens"])
    store.write([run_row(run_id, "training", config.benchmark, {**identity, "rows": len(rows)})])
    job = FitJob(run_id, stage, path, rows, args, {**data_options, **trl_options}, out)
    if launched():  # under `accelerate launch`: the other processes fit the same job with this one
        share(job)
    fit(job, store)
    return str(out / "merged")


def _stage_data(stage: Stage, corpora: dict) -> dict:
    """The part of the `train:` section a stage's examples depend on (its model's identity)."""
    teacher = corpora["teacher"]
    used = corpora["sft"] if stage.data == "sft" else corpora["preference"]
    return {**used, **({"teacher": teacher} if used["source"] == "teacher" else {})}


def lineage(store: Store, model: str) -> list[str]:
    """The training runs that made `model`, first stage first: each stage's merged folder is
    `models/<run>/merged`, and its run's stored config names the model it started from."""
    runs: list[str] = []
    path = Path(model)
    while path.name == "merged" and path.parent.name.startswith("train-"):
        runs.insert(0, path.parent.name)
        path = Path(store.run(path.parent.name).config["model"])
    return runs


def _rows(stage: Stage, tokenizer: Any, examples: ExampleSet, seed: int, max_length: int | None,
          sft_tokens: str) -> list:
    """Pre-tokenized rows of the stage's kind, none over the trainer's `max_length` (TRL would cut them);
    BadInput (with the drop counts) when none are left."""
    from methods.data import build_dpo, build_kto, build_sft, build_verifier

    if stage.data == "sft":
        rows, report = build_sft(examples, tokenizer, max_length, tokens=sft_tokens)
    elif stage.data == "dpo":
        rows, report = build_dpo(examples, tokenizer, max_length, seed=seed)
    elif stage.data == "kto":
        rows, report = build_kto(examples, tokenizer, max_length, seed=seed)
    else:
        rows, report = build_verifier(examples, tokenizer, max_length)
    log.info("%s", report.summary())
    return rows


def trainer_args(output_dir: Path, seed: int, options: dict) -> dict:
    """Keyword arguments of a TRL config: the harness's run settings (log every step, bf16 and
    gradient checkpointing on GPU only, the last of the checkpoints every CHECKPOINT_STEPS kept) under
    the stage's `options`."""
    import torch

    gpu = torch.cuda.is_available()
    return {
        "output_dir": str(output_dir), "report_to": "none", "logging_steps": 1, "save_strategy": "steps",
        "save_steps": CHECKPOINT_STEPS, "save_total_limit": 1,
        "disable_tqdm": True, "dataloader_pin_memory": gpu, "seed": seed,
        "use_cpu": not gpu,  # under `accelerate launch` on CPU: the processes join with gloo
        "bf16": gpu and torch.cuda.is_bf16_supported(), "gradient_checkpointing": gpu, **options,
    }


@dataclass(frozen=True)
class FitJob:
    """One trainer run as every process of a launch runs it: the stage, its model, rows and options."""

    run_id: str
    stage: Stage
    path: str  # the model it starts from
    rows: list
    args: dict  # the TRL config's keyword arguments
    options: dict
    out: Path


def fit(job: FitJob, store: Store | None = None) -> None:
    """Train `job`, from its last checkpoint when a killed run left one; the main process (the only one
    with `store`) stores each logged step (a resumed step overwrites its row) and saves the merged model
    (and the adapter under LoRA), then drops the trainer's folder of checkpoints."""
    from transformers import TrainerCallback
    from transformers.trainer_utils import get_last_checkpoint

    from harness.files import share
    from harness.progress import progress_bar
    from methods.data.tokens import training_tokenizer

    class StoreSteps(TrainerCallback):
        """Every logged step (loss, rewards, margins, log-probs, entropy) into `training_runs`, and a
        rich progress bar in place of the Trainer's tqdm."""

        def on_train_begin(self, _args, state, _control, **_):
            resumed = f" from step {state.global_step}" if state.global_step else ""
            self._bar = progress_bar(f"training {job.run_id}{resumed}", state.max_steps - state.global_step)
            self._advance = self._bar.__enter__()

        def on_step_end(self, *_, **__):
            self._advance()

        def on_train_end(self, *_, **__):
            self._bar.__exit__(None, None, None)

        def on_log(self, _args, state, _control, logs=None, **_):
            if logs and "loss" in logs:
                metrics = {k: float(v) for k, v in logs.items() if isinstance(v, int | float)}
                loss = metrics.pop("loss")
                store.write([TrainingStepRow(job.run_id, state.global_step, job.stage.name, loss, metrics)])

    options, tokenizer = job.options, training_tokenizer(job.path)
    peft_config = None
    if options["lora"]:
        from peft import LoraConfig

        peft_config = LoraConfig(r=options["lora_rank"], lora_alpha=2 * options["lora_rank"],
                                 target_modules="all-linear", task_type="CAUSAL_LM")
    trainer = build_trainer(_load(job.stage.trainer), job.stage.config_class()(**job.args), job.path,
                            tokenizer, job.rows, with_reference=job.stage.data in ("dpo", "kto"),
                            peft_config=peft_config, callbacks=[StoreSteps()] if store else [])
    saves = Path(job.args["output_dir"])
    trainer.train(resume_from_checkpoint=get_last_checkpoint(saves) if saves.is_dir() else None)
    if not trainer.accelerator.is_main_process:
        return
    trained = trainer.model
    if peft_config is not None:
        trained.save_pretrained(job.out / "adapter")
        trained = trained.merge_and_unload()
    trained.save_pretrained(job.out / "merged")
    tokenizer.save_pretrained(job.out / "merged")
    share(job.out / "merged")
    shutil.rmtree(saves, ignore_errors=True)  # the checkpoints and the model card TRL writes beside them


def build_trainer(trainer_cls: type, args: Any, path: str, tokenizer: Any, rows: list, with_reference: bool,
                  peft_config: Any = None, callbacks: list | None = None) -> Any:
    """A trainer on the model at `path` and pre-tokenized `rows`; with full fine-tuning a preference
    trainer gets a frozen copy as π_ref (under LoRA TRL disables the adapter instead)."""
    import torch
    from transformers import AutoModelForCausalLM, PrinterCallback

    from methods.attention import skip_right_padding_mask
    from methods.data import to_dataset
    from methods.head import small_cpu_tiles

    small_cpu_tiles("cuda" if torch.cuda.is_available() else "cpu")
    model = skip_right_padding_mask(AutoModelForCausalLM.from_pretrained(path))
    kwargs = {"peft_config": peft_config, "processing_class": tokenizer, "callbacks": callbacks}
    if with_reference and peft_config is None:
        import copy

        kwargs["ref_model"] = copy.deepcopy(model)
    trainer = trainer_cls(model=model, args=args, train_dataset=to_dataset(rows), **kwargs)
    trainer.remove_callback(PrinterCallback)  # with tqdm off it prints every log dict; ours is the bar
    return trainer


def _load(target: str) -> Any:
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)
