"""Evaluation: verdicts on candidate patches, by the official harness or our fast path.

Both evaluators take the same instances and predictions and return one `Verdict` per prediction,
keyed by (instance_id, sample_index), so several candidates of one instance never collide.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from harness import registry
from harness.records import EvalTestRow, EvaluationRow, Instance, Prediction

# Statuses that count as passing (swebench.harness.grading.test_passed).
PASSING = ("PASSED", "XFAIL")


@dataclass(frozen=True)
class Verdict:
    """The outcome for one prediction; `status` is one of records.EVAL_STATUSES."""

    prediction: Prediction
    status: str
    reason: str = ""
    tests: tuple[tuple[str, str, str], ...] = ()  # (test, expected, status)
    duration_s: float = 0.0
    log_path: str = ""
    guard: str = ""  # fast: the runner hooks that backed the log, or "none"

    @property
    def resolved(self) -> bool:
        return self.status == "resolved"

    def rows(self, eval_id: str, evaluator: str) -> list[EvaluationRow | EvalTestRow]:
        p = self.prediction

        def count(expected: str) -> tuple[int, int]:
            got = [s for _, e, s in self.tests if e == expected]
            return sum(s in PASSING for s in got), len(got)

        (f2p, f2p_n), (p2p, p2p_n) = count("FAIL_TO_PASS"), count("PASS_TO_PASS")
        head = EvaluationRow(
            eval_id=eval_id, instance_id=p.instance_id, sample_index=p.sample_index,
            evaluator=evaluator, model_name_or_path=p.model_name_or_path, status=self.status,
            resolved=self.resolved, reason=self.reason,
            patch_sha256=hashlib.sha256(p.model_patch.encode()).hexdigest(),
            f2p_passed=f2p, f2p_total=f2p_n, p2p_passed=p2p, p2p_total=p2p_n,
            duration_s=round(self.duration_s, 3), log_path=self.log_path, guard=self.guard,
        )
        tests = [
            EvalTestRow(eval_id, p.instance_id, p.sample_index, t, e, s) for t, e, s in self.tests
        ]
        return [head, *tests]


class Evaluator(Protocol):
    """Judges predictions one at a time (a unit of work each, which an executor may send to a node;
    the log goes under `log_dir`)."""

    name: str

    def judge(self, instance: Instance, prediction: Prediction, log_dir: Path) -> Verdict: ...


class BatchEvaluator(Protocol):
    """Judges a batch with its own scheduling (the official harness); calls `on_verdict` as each finishes."""

    name: str

    def evaluate(
        self, instances: dict[str, Instance], predictions: Sequence[Prediction], workers: int,
        log_dir: Path, on_verdict: Callable[[Verdict], None],
    ) -> None: ...


def get_evaluator(name: str, **options) -> Evaluator | BatchEvaluator:
    return registry.load("evaluator", name)(**options)
