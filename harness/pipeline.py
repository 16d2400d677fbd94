"""`harness run`: train (when the method trains) -> rollout -> select -> evaluate -> store."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from harness import registry
from harness.agent.loop import Agent
from harness.backends import open_backend
from harness.benchmarks import get_benchmark
from harness.config import RunConfig, save_config
from harness.evaluation.run import evaluate, resolve_sandbox
from harness.records import Prediction, RolloutRow, SelectionRow
from harness.rollout import RolloutSummary, rollout
from harness.store import Store

RUNS_ROOT = Path("results") / "runs"


@dataclass(frozen=True)
class RunResult:
    run_id: str
    eval_id: str
    model: str  # what was rolled out: the trained model when the method trains
    instances: int
    budget: int
    exit_reasons: dict[str, int]
    patches: int  # rollouts with a non-empty patch
    resolved: int  # rollouts whose patch resolves
    solved_any: int  # instances with at least one resolving rollout (pass@budget)
    selected_resolved: int  # instances whose selected rollout resolves


def rollout_stage(config: RunConfig, store: Store, model: str | None = None,
                  show_progress: bool = True, retry_errors: bool = False) -> RolloutSummary:
    """Roll out `model` (default `config.model`) as `config` says; resumes `config.run_id()`."""
    instances = get_benchmark(config.benchmark).load(config.split, config.instances or None)
    run_id = config.run_id()
    save_config(config, RUNS_ROOT / run_id / "config.yaml")  # before any work: the run explains itself
    backend = open_backend(config.backend, model or config.model, **config.backend_options)
    try:
        agent = Agent(backend, config.sampling.to_sampling(), config.agent)
        stored = {**config.model_dump(mode="json"), "policy": model or config.model}  # the weights rolled out
        return rollout(instances, store, run_id, agent, config.budget, config.seed, config.workers,
                       resolve_sandbox(config.sandbox), stored,
                       retry_errors=retry_errors, show_progress=show_progress)
    finally:
        backend.close()


def evaluate_rollouts(config: RunConfig, store: Store, run_id: str, evaluator: str,
                      show_progress: bool = True) -> tuple[list[RolloutRow], str]:
    """Judge every stored rollout of `run_id` (eval id `<run_id>.<evaluator>`): its rows and the eval id."""
    rollouts = store.rows(RolloutRow, run_id=run_id)
    predictions = [Prediction(r.instance_id, r.patch, run_id, r.sample_index) for r in rollouts]
    eval_id = f"{run_id}.{evaluator}"
    evaluate(config.benchmark, predictions, store, evaluator, config.workers, eval_id, config.sandbox,
             show_progress=show_progress)
    return rollouts, eval_id


def run(config: RunConfig, store: Store, show_progress: bool = True) -> RunResult:
    for kind, name in (("method", config.method), ("backend", config.backend),
                       ("selector", config.selector), ("evaluator", config.evaluator)):
        registry.target(kind, name)  # unknown names fail before any work
    model = registry.load("method", config.method).train(config, store)
    summary = rollout_stage(config, store, model, show_progress)
    rollouts, eval_id = evaluate_rollouts(config, store, summary.run_id, config.evaluator, show_progress)
    resolved = {(i, k) for i, k in store.query(
        "SELECT instance_id, sample_index FROM evaluations WHERE eval_id = ? AND resolved", [eval_id])}
    selections = _select(config, summary.run_id, rollouts)
    store.write(selections)
    by_instance = Counter(i for i, _ in resolved)
    return RunResult(
        summary.run_id, eval_id, model, len({r.instance_id for r in rollouts}), config.budget,
        summary.exit_reasons, sum(bool(r.patch.strip()) for r in rollouts), len(resolved),
        len(by_instance), sum((s.instance_id, s.sample_index) in resolved for s in selections),
    )


def _select(config: RunConfig, run_id: str, rollouts: list[RolloutRow]) -> list[SelectionRow]:
    choose = registry.load("selector", config.selector)
    groups: dict[str, list[RolloutRow]] = {}
    for r in rollouts:
        groups.setdefault(r.instance_id, []).append(r)
    return [SelectionRow(run_id, config.selector, config.budget, config.seed, iid, choose(rows))
            for iid, rows in sorted(groups.items())]
