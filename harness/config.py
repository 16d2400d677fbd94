"""What to run: one pydantic model per run, from a YAML file plus `-c key=value` overrides.

A misspelt key is an error (extra="forbid"); the resolved config is written with the run before any
work starts and hashed into the run id, so the same config resumes the same run.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_serializer, model_validator

from harness.agent.loop import AgentConfig
from harness.backends import Sampling
from harness.benchmarks import run_name
from harness.errors import BadInput
from harness.provenance import config_hash

CONFIG_DIR = Path(__file__).parent / "configs"
DEFAULT_CONFIG = CONFIG_DIR / "default.yaml"
# Knobs that change neither the trained model nor the rollouts (speed, what is computed afterwards):
# left out of the run id, so a resumed run, or a grid cell differing only in them, reuses the rollouts.
_NOT_HASHED = ("workers", "executor", "executor_options", "signals", "selector")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+")


class SamplingConfig(BaseModel):
    """Sampling of every turn (PAPER.md test-time scaling: T 0.7, top-p 0.8, top-k 20)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    temperature: float = Field(0.7, ge=0)
    top_p: float = Field(0.8, gt=0, le=1)
    top_k: int = 20
    max_tokens: int = Field(4096, ge=1)

    def to_sampling(self) -> Sampling:
        return Sampling(self.temperature, self.top_p, self.top_k, self.max_tokens)


class CorpusConfig(BaseModel):
    """A training corpus: a benchmark's split (any registered name or local file), all of it or a
    seeded subset of `instances`, and where its teacher trajectories come from: `gold` (demonstrations
    replaying the gold patch, the offline stand-in) or `teacher` (the teacher model's rollouts)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    benchmark: str = "swe-mini"
    split: str | None = "train"
    instances: int | None = Field(None, ge=1)
    source: Literal["gold", "teacher"] = "gold"


class SFTCorpusConfig(CorpusConfig):
    """The SFT corpus, with `drills` made-up copy drills of `drill_kind` mixed in (harness/benchmarks/
    swe_gen/drill.py: how `harness pretrain` teaches a model from scratch to copy names); with
    `instances: 0`, the drills alone. `recoveries`: the share of gold demonstrations that make a small
    agent's mistake first and recover from it (harness/demos.py; the mistaken turn is not trained);
    `edit_recoveries`: the share, drawn apart, whose first edit replaces a line the file does not have;
    `format_recoveries`: the share, drawn apart, that first write one turn without its call's opening tag."""

    instances: int | None = Field(None, ge=0)
    drills: int = Field(0, ge=0)
    drill_kind: Literal["copy", "recall"] = "recall"
    recoveries: float = Field(0.0, ge=0, le=1)
    edit_recoveries: float = Field(0.0, ge=0, le=1)
    format_recoveries: float = Field(0.0, ge=0, le=1)

    @model_serializer(mode="wrap")
    def _dump(self, handler: Any) -> dict:
        data = handler(self)
        # left out at 0: stored corpora keep their run ids
        for field in ("recoveries", "edit_recoveries", "format_recoveries"):
            if not data[field]:
                data.pop(field)
        return data

    @model_validator(mode="after")
    def _has_data(self) -> SFTCorpusConfig:
        if self.instances == 0 and not self.drills:
            raise ValueError("train.sft has instances 0 and no drills: nothing to train on")
        return self


class PreferenceCorpusConfig(CorpusConfig):
    """The preference corpus, with how many trajectories per instance each side rolls out (a gold
    source has one demonstration per instance) and whether the expert's no-fix demonstrations join
    as failures (swe-mini: the tiny model's own rollouts never finish)."""

    rollouts: dict[Literal["teacher", "policy"], int] = {"teacher": 1, "policy": 2}
    nofix: bool = False

    @model_validator(mode="after")
    def _counts(self) -> PreferenceCorpusConfig:
        if any(n < 0 for n in self.rollouts.values()):
            raise ValueError("rollouts per instance cannot be negative")
        if self.source == "gold" and self.rollouts.get("teacher", 0) > 1:
            raise ValueError("a gold source has one demonstration per instance: rollouts.teacher <= 1")
        return self


class TeacherConfig(BaseModel):
    """The teacher model a `teacher` source rolls out (PAPER.md: GLM-4.5), through any backend."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    model: str = ""
    backend: str = "openai"
    backend_options: dict[str, Any] = {}
    sampling: SamplingConfig = SamplingConfig()


class TrainConfig(BaseModel):
    """Where each training stage's data comes from, apart from the benchmark the run evaluates on."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    sft: SFTCorpusConfig = SFTCorpusConfig()
    preference: PreferenceCorpusConfig = PreferenceCorpusConfig()
    teacher: TeacherConfig = TeacherConfig()

    @model_validator(mode="after")
    def _teacher_named(self) -> TrainConfig:
        wants = self.sft.source == "teacher" or self.preference.source == "teacher"
        if wants and not self.teacher.model:
            raise ValueError("a teacher source needs train.teacher.model")
        return self


class RunConfig(BaseModel):
    """One `harness run`: train (if the method trains) -> rollout -> select -> evaluate -> store."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    method: str = "base"
    benchmark: str = "swe-mini"
    split: str | None = "test"
    instances: list[str] = []
    subset: int | None = Field(None, ge=1)  # a fixed seeded subset of the split (or of `instances`)
    model: str = "tiny"
    backend: str = "hf"
    backend_options: dict[str, Any] = {}
    budget: int = Field(1, ge=1)
    seed: int = 0
    sampling: SamplingConfig = SamplingConfig()
    agent: AgentConfig = AgentConfig()
    sandbox: str = "auto"
    workers: int = Field(2, ge=1)
    executor: str = "local"  # local (threads here) | ray (a task per unit of work on a Ray cluster)
    executor_options: dict[str, Any] = {}  # ray: address (else RAY_ADDRESS), max_retries
    selector: str = "first-finished"
    signals: Literal["none", "static", "execution"] = "execution"  # computed before selection
    evaluator: str = "fast"
    method_options: dict[str, Any] = {}
    train: TrainConfig = TrainConfig()

    def run_id(self) -> str:
        from harness.backends.tiny import model_key

        hashed = {k: v for k, v in self.model_dump(mode="json").items() if k not in _NOT_HASHED}
        hashed["model"] = model_key(self.model)
        if self.method in ("base", "teacher"):  # nothing is trained: the training corpora do not matter
            hashed.pop("train")
        return f"{self.method}-{run_name(self.benchmark)}-{config_hash(hashed)[:10]}"


def load_config(path: Path | None = None, overrides: list[str] = (), **fields: Any) -> RunConfig:
    """Defaults < YAML file (the embedded default when None; a shipped name: swe-mini, paper) <
    `key=value` overrides < `fields`."""
    path = shipped(Path(path or DEFAULT_CONFIG), CONFIG_DIR)
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except OSError as exc:
        raise BadInput(f"cannot read config {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise BadInput(f"config {path} is not valid YAML: {str(exc).splitlines()[0]}") from exc
    if not isinstance(data, dict):
        raise BadInput(f"config {path} must be a mapping of keys to values")
    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise BadInput(f"override {item!r} must look like key=value (dotted keys for nesting)")
        _set(data, key.strip().split("."), _value(value))
    if fields.get("instances") and fields.get("split") is None:
        data["split"] = None  # ids named on the command line are found in any split
    for key, value in fields.items():
        if value is not None:
            _set(data, key.split("."), value)
    try:
        return RunConfig.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "config"
        raise BadInput(f"bad config: {where}: {err['msg']}") from exc


def shipped(path: Path, folder: Path) -> Path:
    """`path` itself when it exists, else the shipped `folder/<path>.yaml` of that name when there is one."""
    named = folder / f"{path}.yaml"
    return named if not path.exists() and named.is_file() else path


def save_config(config: RunConfig, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config.model_dump(mode="json"), sort_keys=False))


def _value(text: str) -> Any:
    """A `-c` value read as YAML, except that `1e-3` is a number (YAML 1.1 wants `1.0e-3`)."""
    value = yaml.safe_load(text)
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        return float(value)
    return value


def _set(data: dict, keys: list[str], value: Any) -> None:
    for key in keys[:-1]:
        node = data.setdefault(key, {})
        if not isinstance(node, dict):
            raise BadInput(f"override {'.'.join(keys)}: {key} is not a mapping")
        data = node
    data[keys[-1]] = value
