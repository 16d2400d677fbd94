"""`harness evaluate`: validate input, judge what is not stored yet, store each verdict atomically."""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from harness import paths, registry
from harness.benchmarks import get_benchmark
from harness.errors import BadInput
from harness.evaluation import Verdict, get_evaluator
from harness.executors import Executor
from harness.executors.local import LocalExecutor
from harness.progress import progress_bar
from harness.provenance import run_row
from harness.records import EvalTestRow, EvaluationRow, Instance, InstanceRow, Prediction
from harness.sandbox.prepare import ensure_images, prepare_images
from harness.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EvalSummary:
    eval_id: str
    total: int
    skipped: int
    statuses: dict[str, int]
    evaluator: str

    @property
    def resolved(self) -> int:
        return self.statuses.get("resolved", 0)


def resolve_sandbox(kind: str) -> str:
    """`auto` is docker when an engine answers, else the local bubblewrap sandbox."""
    if kind != "auto":
        return kind
    from harness.images import engine_available

    return "docker" if engine_available() else "local"


def instance_rows(instances: Sequence[Instance]) -> list[InstanceRow]:
    return [
        InstanceRow(i.benchmark, i.instance_id, i.repo, i.split, i.base_commit, i.image, i.version,
                    i.created_at, len(i.FAIL_TO_PASS), len(i.PASS_TO_PASS))
        for i in instances
    ]


def instances_for(benchmark: str, predictions: Sequence[Prediction]) -> dict[str, Instance]:
    """The benchmark's instances by id; a prediction for an unknown id is bad input."""
    by_id = {i.instance_id: i for i in get_benchmark(benchmark).load()}
    unknown = sorted({p.instance_id for p in predictions} - set(by_id))
    if unknown:
        raise BadInput(f"unknown instance ids for {benchmark}: {', '.join(unknown[:10])}"
                       + (f" (+{len(unknown) - 10} more)" if len(unknown) > 10 else ""))
    return by_id


@dataclass(frozen=True)
class Judging:
    """One prediction judged as a unit of work, here or on a node (which prepares the image first):
    the log's text comes back with the verdict, for the caller to write."""

    evaluator: str
    options: dict
    remote: bool

    def __call__(self, job: tuple[Instance, Prediction]) -> tuple[Verdict, str]:
        instance, prediction = job
        if self.remote:
            ensure_images([instance], self.options["sandbox"])
        with tempfile.TemporaryDirectory(prefix="harness-log-") as tmp:
            verdict = get_evaluator(self.evaluator, **self.options).judge(instance, prediction, Path(tmp))
            return verdict, Path(verdict.log_path).read_text() if verdict.log_path else ""


def _log_here(verdict: Verdict, text: str, log_dir: Path) -> Verdict:
    """The verdict with its log written under `log_dir`."""
    if not verdict.log_path:
        return verdict
    path = log_dir / Path(verdict.log_path).name
    path.write_text(text)
    return replace(verdict, log_path=str(path))


def per_prediction(evaluator: str) -> bool:
    """Whether `evaluator` judges one prediction at a time (else it schedules a whole batch itself)."""
    return hasattr(registry.load("evaluator", evaluator), "judge")


def judge_all(
    evaluator: str, options: dict, by_id: dict[str, Instance], predictions: Sequence[Prediction],
    log_dir: Path, on_verdict: Callable[[Verdict], None], workers: int = 2,
    executor: Executor | None = None, show_progress: bool = True,
) -> None:
    """Judge `predictions` (their images present): one unit of work each on `executor` (default:
    `workers` threads here), or in one batch by an evaluator that schedules its own containers;
    `on_verdict` runs in this thread, logs go under `log_dir`."""
    label = f"evaluating ({evaluator})"
    executor = executor or LocalExecutor(workers)
    if per_prediction(evaluator):
        jobs = [(by_id[p.instance_id], p) for p in predictions]
        for _, (verdict, text) in executor.map(Judging(evaluator, options, executor.remote), jobs, label,
                                               show_progress):
            on_verdict(_log_here(verdict, text, log_dir))
        return
    with progress_bar(label, len(predictions), show_progress) as advance:

        def stored(v: Verdict) -> None:
            on_verdict(v)
            advance()

        get_evaluator(evaluator, **options).evaluate(by_id, predictions, workers, log_dir, stored)


def default_eval_id(benchmark: str, evaluator: str, predictions: Sequence[Prediction]) -> str:
    """Same inputs, same id: re-running the same command resumes instead of starting over."""
    blob = json.dumps([benchmark, evaluator, [p.__dict__ for p in predictions]], sort_keys=True)
    return f"eval-{evaluator}-{hashlib.sha256(blob.encode()).hexdigest()[:12]}"


def evaluate(
    benchmark: str, predictions: Sequence[Prediction], store: Store, evaluator: str = "fast",
    workers: int = 2, eval_id: str | None = None, sandbox: str = "auto", timeout: float = 1800,
    modal: bool = False, run_empty: bool = False, show_progress: bool = True,
    instances: dict[str, Instance] | None = None, executor: Executor | None = None,
) -> EvalSummary:
    """Judge `predictions` on `benchmark`, skipping those already stored under `eval_id`, on `executor`
    (default: `workers` threads here); this thread alone writes the verdicts and their logs.

    `instances` (from `instances_for`) saves loading the benchmark again."""
    by_id = instances if instances is not None else instances_for(benchmark, predictions)
    eval_id = eval_id or default_eval_id(benchmark, evaluator, predictions)
    sandbox = resolve_sandbox(sandbox) if evaluator == "fast" else "docker"
    config = dict(benchmark=benchmark, evaluator=evaluator, workers=workers, sandbox=sandbox,
                  timeout=timeout, modal=modal, run_empty=run_empty, n_predictions=len(predictions))
    done = store.keys(EvaluationRow, eval_id=eval_id)
    todo = [p for p in predictions if (eval_id, *p.key) not in done]
    used = [by_id[i] for i in dict.fromkeys(p.instance_id for p in predictions)]
    store.write([run_row(eval_id, "evaluation", benchmark, config), *instance_rows(used)])
    options = dict(sandbox=sandbox, timeout=timeout, modal=modal, run_empty=run_empty)
    on_nodes = per_prediction(evaluator) and executor is not None and executor.remote  # prepares its own
    if todo and not on_nodes:
        prepare_images([by_id[p.instance_id] for p in todo], sandbox == "docker" and not modal, workers)
    log_dir = store.workspace / paths.LOGS / eval_id
    log_dir.mkdir(parents=True, exist_ok=True)

    def on_verdict(v: Verdict) -> None:
        p = v.prediction
        key = dict(eval_id=eval_id, instance_id=p.instance_id, sample_index=p.sample_index)
        store.write(v.rows(eval_id, evaluator), replace=[(EvalTestRow, key)])

    judge_all(evaluator, options, by_id, todo, log_dir, on_verdict, workers, executor, show_progress)
    statuses = store.count_by("evaluations", "status", eval_id=eval_id)
    return EvalSummary(eval_id, len(predictions), len(predictions) - len(todo), statuses, evaluator)
