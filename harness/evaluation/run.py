"""`harness evaluate`: validate input, judge what is not stored yet, store each verdict atomically."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from harness import paths
from harness.benchmarks import get_benchmark, local_family
from harness.errors import BadInput, EngineUnavailable
from harness.evaluation import Verdict, get_evaluator
from harness.progress import progress_bar
from harness.provenance import run_row
from harness.records import EvalTestRow, EvaluationRow, Instance, InstanceRow, Prediction
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


def prepare_images(instances: Sequence[Instance], needs_docker: bool, workers: int) -> None:
    """Build the images of locally built families (swe-mini, swe-gen; a no-op when current); other
    benchmarks' images must be pulled."""
    if not needs_docker:
        return
    from harness.images import client
    from harness.sandbox.reaper import reap

    reap()
    local = [i for i in instances if local_family(i.benchmark)]
    if local:
        from harness.images.build import build_images

        build_images(local, workers=workers)
    pulled = [i for i in instances if not local_family(i.benchmark)]
    missing = [i.image for i in pulled if not _present(client(), i.image)]
    if missing:
        raise EngineUnavailable(
            f"{len(missing)} images are not present (e.g. {missing[0]}); run `harness images pull`"
        )


def _present(c, image: str) -> bool:
    try:
        c.images.get(image)
    except Exception:
        return False
    return True


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


def default_eval_id(benchmark: str, evaluator: str, predictions: Sequence[Prediction]) -> str:
    """Same inputs, same id: re-running the same command resumes instead of starting over."""
    blob = json.dumps([benchmark, evaluator, [p.__dict__ for p in predictions]], sort_keys=True)
    return f"eval-{evaluator}-{hashlib.sha256(blob.encode()).hexdigest()[:12]}"


def evaluate(
    benchmark: str, predictions: Sequence[Prediction], store: Store, evaluator: str = "fast",
    workers: int = 2, eval_id: str | None = None, sandbox: str = "auto", timeout: float = 1800,
    modal: bool = False, run_empty: bool = False, show_progress: bool = True,
    instances: dict[str, Instance] | None = None,
) -> EvalSummary:
    """Judge `predictions` on `benchmark`, skipping those already stored under `eval_id`.

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
    if todo:
        prepare_images([by_id[p.instance_id] for p in todo], sandbox == "docker" and not modal, workers)
    judge = get_evaluator(evaluator, sandbox=sandbox, timeout=timeout, modal=modal, run_empty=run_empty)
    log_dir = store.workspace / paths.LOGS / eval_id
    log_dir.mkdir(parents=True, exist_ok=True)
    with progress_bar(f"evaluating ({evaluator})", len(todo), show_progress) as advance:

        def on_verdict(v: Verdict) -> None:
            p = v.prediction
            key = dict(eval_id=eval_id, instance_id=p.instance_id, sample_index=p.sample_index)
            store.write(v.rows(eval_id, evaluator), replace=[(EvalTestRow, key)])
            advance()

        judge.evaluate(by_id, todo, workers, log_dir, on_verdict)
    statuses = store.count_by("evaluations", "status", eval_id=eval_id)
    return EvalSummary(eval_id, len(predictions), len(predictions) - len(todo), statuses, evaluator)
