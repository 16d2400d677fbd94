"""`harness validate-benchmark`: gold must resolve, empty must not, tests must behave as labelled.

With the fast evaluator the empty run also executes the tests on the bare base commit, so every
FAIL_TO_PASS test is checked to fail before and pass after, and every PASS_TO_PASS to pass both.
Repeats expose flaky instances (a verdict or test status that changes between repeats).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from harness.evaluation import PASSING
from harness.evaluation.run import evaluate
from harness.records import EvalTestRow, EvaluationRow, Prediction
from harness.store import Store


@dataclass
class InstanceCheck:
    instance_id: str
    gold: list[str] = field(default_factory=list)   # status per repeat
    empty: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    flaky: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not self.flaky


def validate(
    benchmark: str, store: Store, evaluator: str = "fast", split: str | None = None,
    instance_ids=None, repeat: int = 1, workers: int = 2, sandbox: str = "auto",
    eval_id: str | None = None, show_progress: bool = True,
) -> list[InstanceCheck]:
    from harness.benchmarks import get_benchmark

    instances = get_benchmark(benchmark).load(split, instance_ids)
    base = eval_id or f"validate-{benchmark}-{evaluator}"
    checks = {i.instance_id: InstanceCheck(i.instance_id) for i in instances}
    for kind in ("gold", "empty"):
        preds = [
            Prediction(i.instance_id, i.patch if kind == "gold" else "", kind, r)
            for r in range(repeat) for i in instances
        ]
        ev_id = f"{base}-{kind}"
        evaluate(benchmark, preds, store, evaluator, workers, ev_id, sandbox,
                 run_empty=kind == "empty", show_progress=show_progress,
                 instances={i.instance_id: i for i in instances})
        tests = defaultdict(lambda: defaultdict(set))
        for t in store.rows(EvalTestRow, eval_id=ev_id):
            tests[t.instance_id][(t.test, t.expected)].add(t.status)
        for v in store.rows(EvaluationRow, eval_id=ev_id):  # in (instance, sample) order
            if v.instance_id in checks and v.sample_index < repeat:
                getattr(checks[v.instance_id], kind).append(v.status)
        for iid, check in checks.items():
            _check_tests(check, kind, tests.get(iid, {}), evaluator)
    for check in checks.values():
        if any(s != "resolved" for s in check.gold):
            check.problems.append(f"gold not resolved: {', '.join(sorted(set(check.gold)))}")
        if "resolved" in check.empty:
            check.problems.append("empty patch resolved")
        check.flaky = check.flaky or len(set(check.gold)) > 1 or len(set(check.empty)) > 1
    return list(checks.values())


def _check_tests(check: InstanceCheck, kind: str, tests: dict, evaluator: str) -> None:
    """Per-test expectations; the empty run has test output only with the fast evaluator."""
    if kind == "empty" and evaluator != "fast":
        return
    for (test, expected), statuses in tests.items():
        if len(statuses) > 1:
            check.flaky = True
        passing = all(s in PASSING for s in statuses)
        if kind == "gold" and not passing:
            check.problems.append(f"{expected} test fails with gold: {test}")
        elif kind == "empty" and expected == "FAIL_TO_PASS" and any(s in PASSING for s in statuses):
            check.problems.append(f"FAIL_TO_PASS test passes before the fix: {test}")
        elif kind == "empty" and expected == "PASS_TO_PASS" and not passing:
            check.problems.append(f"PASS_TO_PASS test fails before the fix: {test}")
