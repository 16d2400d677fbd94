"""The stages that act on one run: roll a model out on a benchmark's instances, and judge a stored
run's rollouts. The pipeline (harness/pipeline.py) and the training-data stage chain them; the CLI
runs each on its own."""

from __future__ import annotations

from collections.abc import Collection

from harness import paths
from harness.agent.loop import Agent
from harness.backends import open_backend
from harness.benchmarks import get_benchmark
from harness.config import RunConfig, save_config
from harness.evaluation.run import EvalSummary, evaluate, resolve_sandbox
from harness.records import Instance, Prediction, RolloutRow
from harness.rollout import RolloutSummary, rollout
from harness.store import Store


def rollout_stage(config: RunConfig, store: Store, model: str | None = None,
                  show_progress: bool = True, retry_errors: bool = False,
                  instances: list[Instance] | None = None) -> RolloutSummary:
    """Roll out `model` (default `config.model`) as `config` says (on `instances` when given, else the
    config's); resumes `config.run_id()`."""
    instances = instances or get_benchmark(config.benchmark).load(config.split, config.instances or None)
    run_id = config.run_id()
    save_config(config, store.workspace / paths.RUNS / run_id / "config.yaml")  # before any work
    backend = open_backend(config.backend, model or config.model, **config.backend_options)
    try:
        agent = Agent(backend, config.sampling.to_sampling(), config.agent)
        stored = {**config.model_dump(mode="json"), "policy": model or config.model}  # the weights rolled out
        return rollout(instances, store, run_id, agent, config.budget, config.seed, config.workers,
                       resolve_sandbox(config.sandbox), stored,
                       retry_errors=retry_errors, show_progress=show_progress)
    finally:
        backend.close()


def evaluate_rollouts(store: Store, run_id: str, evaluator: str | None = None, workers: int = 2,
                      sandbox: str = "auto", samples: Collection[tuple[str, int]] | None = None,
                      show_progress: bool = True) -> EvalSummary:
    """Judge the stored rollouts of `run_id` (all, or the (instance, sample) keys in `samples`) under
    `evaluator` (default: the run's own), skipping verdicts already stored."""
    benchmark = store.run(run_id).benchmark
    rollouts = [r for r in store.rows(RolloutRow, run_id=run_id)
                if samples is None or (r.instance_id, r.sample_index) in samples]
    predictions = [Prediction(r.instance_id, r.patch, run_id, r.sample_index) for r in rollouts]
    evaluator = evaluator or store.run_evaluator(run_id)
    return evaluate(benchmark, predictions, store, evaluator, workers, store.run_eval_id(run_id, evaluator),
                    sandbox, show_progress=show_progress)
