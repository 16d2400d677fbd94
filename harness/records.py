"""Typed records shared by every stage; the DuckDB schema is generated from the `Row` classes here.

Field names are stable: analysis code and users' SQL read them.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

# Fields of an instance that reveal the answer or the hidden tests; selectors never see them.
HIDDEN_FIELDS = ("patch", "test_patch", "FAIL_TO_PASS", "PASS_TO_PASS", "eval_script")

EVAL_STATUSES = ("resolved", "unresolved", "patch_failed", "empty_patch", "timeout", "error")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Instance:
    """One task in the SWE-bench 5.x schema (classic fields plus image/eval_script/log_parser/eval_type)."""

    instance_id: str
    repo: str
    base_commit: str
    problem_statement: str
    patch: str
    test_patch: str
    FAIL_TO_PASS: tuple[str, ...]
    PASS_TO_PASS: tuple[str, ...]
    image: str
    eval_script: str
    log_parser: str = "parse_log_pytest"
    eval_type: str = "pass_and_fail"
    version: str = ""
    created_at: str = ""
    hints_text: str = ""
    environment_setup_commit: str = ""
    split: str = "test"
    benchmark: str = ""
    workdir: str = "/testbed"

    def to_swebench(self) -> dict[str, Any]:
        """The dict `swebench.harness.utils.make_test_spec` and `run_evaluation` expect."""
        row = dataclasses.asdict(self)
        row["FAIL_TO_PASS"] = list(self.FAIL_TO_PASS)
        row["PASS_TO_PASS"] = list(self.PASS_TO_PASS)
        return row

    def public_view(self) -> PublicInstance:
        """What selectors and signals may see: no gold patch, test patch, hidden tests or eval script."""
        return PublicInstance(
            instance_id=self.instance_id,
            repo=self.repo,
            base_commit=self.base_commit,
            problem_statement=self.problem_statement,
            image=self.image,
            split=self.split,
            benchmark=self.benchmark,
            workdir=self.workdir,
        )


@dataclass(frozen=True)
class PublicInstance:
    """An instance without its hidden fields; reading one of them raises (contract 3 of DESIGN.md)."""

    instance_id: str
    repo: str
    base_commit: str
    problem_statement: str
    image: str
    split: str
    benchmark: str
    workdir: str = "/testbed"

    def __getattr__(self, name: str) -> Any:
        if name in HIDDEN_FIELDS:
            raise PermissionError(f"{name} is hidden from selectors and signals")
        raise AttributeError(name)


@dataclass(frozen=True)
class Prediction:
    """One candidate patch. Several candidates of an instance differ by `sample_index`."""

    instance_id: str
    model_patch: str
    model_name_or_path: str = "model"
    sample_index: int = 0

    @property
    def key(self) -> tuple[str, int]:
        return (self.instance_id, self.sample_index)


# ---------------------------------------------------------------- stored rows
# Each Row class is one DuckDB table: `table` names it, `key` is its primary key.
# dict/list fields are stored as JSON text.


@dataclass(frozen=True)
class Row:
    table: ClassVar[str]
    key: ClassVar[tuple[str, ...]]

    def values(self) -> list[Any]:
        return [
            json.dumps(v, sort_keys=True) if isinstance(v, (dict, list, tuple)) else v
            for v in (getattr(self, f.name) for f in dataclasses.fields(self))
        ]


@dataclass(frozen=True)
class RunRow(Row):
    """A unit of work (evaluation, rollout, validation, training) with everything needed to trace it."""

    table: ClassVar[str] = "runs"
    key: ClassVar[tuple[str, ...]] = ("run_id",)
    run_id: str
    kind: str
    benchmark: str
    config: dict
    config_hash: str
    git_sha: str
    versions: dict
    created_at: datetime = field(default_factory=utcnow)
    evaluator: str = ""  # what judges the run's rollouts ("" for runs that roll nothing out)


@dataclass(frozen=True)
class InstanceRow(Row):
    table: ClassVar[str] = "instances"
    key: ClassVar[tuple[str, ...]] = ("benchmark", "instance_id")
    benchmark: str
    instance_id: str
    repo: str
    split: str
    base_commit: str
    image: str
    version: str
    created_at: str
    n_fail_to_pass: int
    n_pass_to_pass: int


@dataclass(frozen=True)
class RolloutRow(Row):
    """One sampled trajectory; the trajectory file holds messages, token ids and log-probs."""

    table: ClassVar[str] = "rollouts"
    key: ClassVar[tuple[str, ...]] = ("run_id", "instance_id", "sample_index")
    run_id: str
    instance_id: str
    sample_index: int
    exit_reason: str
    steps: int
    patch: str
    trajectory_path: str
    prompt_tokens: int
    completion_tokens: int
    model_seconds: float
    sandbox_seconds: float
    seed: int
    created_at: datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class SignalRow(Row):
    table: ClassVar[str] = "signals"
    key: ClassVar[tuple[str, ...]] = ("run_id", "instance_id", "sample_index", "name")
    run_id: str
    instance_id: str
    sample_index: int
    name: str
    value: float
    detail: dict


@dataclass(frozen=True)
class SelectionRow(Row):
    table: ClassVar[str] = "selections"
    key: ClassVar[tuple[str, ...]] = ("run_id", "selector", "budget", "seed", "instance_id")
    run_id: str
    selector: str
    budget: int
    seed: int
    instance_id: str
    sample_index: int


@dataclass(frozen=True)
class EvaluationRow(Row):
    """The verdict on one candidate patch; `status` is one of EVAL_STATUSES."""

    table: ClassVar[str] = "evaluations"
    key: ClassVar[tuple[str, ...]] = ("eval_id", "instance_id", "sample_index")
    eval_id: str
    instance_id: str
    sample_index: int
    evaluator: str
    model_name_or_path: str
    status: str
    resolved: bool
    reason: str
    patch_sha256: str
    f2p_passed: int
    f2p_total: int
    p2p_passed: int
    p2p_total: int
    duration_s: float
    log_path: str
    guard: str = ""  # fast: the runner hooks that backed the log (pytest, unittest, sympy) or "none"
    created_at: datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class EvalTestRow(Row):
    """Per-test outcome of one evaluation (expected: FAIL_TO_PASS or PASS_TO_PASS)."""

    table: ClassVar[str] = "test_results"
    key: ClassVar[tuple[str, ...]] = ("eval_id", "instance_id", "sample_index", "test")
    eval_id: str
    instance_id: str
    sample_index: int
    test: str
    expected: str
    status: str


@dataclass(frozen=True)
class TrainingStepRow(Row):
    table: ClassVar[str] = "training_runs"
    key: ClassVar[tuple[str, ...]] = ("run_id", "step")
    run_id: str
    step: int
    method: str  # the stage that trained (sft, dpo, entropo-kto, ...): one stage may serve several methods
    loss: float
    metrics: dict


ROW_TYPES: tuple[type[Row], ...] = (
    RunRow,
    InstanceRow,
    RolloutRow,
    SignalRow,
    SelectionRow,
    EvaluationRow,
    EvalTestRow,
    TrainingStepRow,
)
