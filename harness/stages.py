"""The stages of a run, each a function of its run context: roll a model out, judge a run's
rollouts, compute their signals, select one per instance. The pipeline (harness/pipeline.py) and the
training-data stage chain them; the CLI runs each on its own."""

from __future__ import annotations

from collections.abc import Collection

from harness import paths
from harness.agent.loop import Agent
from harness.agent.spec import AgentSpec
from harness.benchmarks import get_benchmark, seeded_subset
from harness.config import RunConfig, save_config
from harness.context import RunContext
from harness.evaluation.run import EvalSummary, evaluate, resolve_sandbox
from harness.records import Instance, Prediction, RolloutRow
from harness.rollout import RolloutSummary, rollout
from harness.selectors.offline import SelectionResult, select_run
from harness.signals.compute import compute_signals


def evaluated_instances(config: RunConfig) -> list[Instance]:
    """What a run rolls out: its split (or the ids it names), or a fixed `subset` of it, drawn with
    seed 0 whatever the run's seed, so every method and seed meets the same tasks."""
    instances = get_benchmark(config.benchmark).load(config.split, config.instances or None)
    return seeded_subset(instances, config.subset, 0)


def rollout_stage(ctx: RunContext, model: str | None = None, retry_errors: bool = False,
                  instances: list[Instance] | None = None) -> RolloutSummary:
    """Roll out `model` (default the config's) as the config says (on `instances` when given, else the
    config's) on the run's executor; resumes the config's run id."""
    config, store, executor = ctx.config, ctx.store, ctx.executor
    instances = instances or evaluated_instances(config)
    run_id = config.run_id()
    save_config(config, ctx.workspace / paths.RUNS / run_id / "config.yaml")  # before any work
    policy = model or config.model
    stored = {**config.model_dump(mode="json"), "policy": policy}  # the weights rolled out
    spec = AgentSpec(config.backend, policy, config.sampling.to_sampling(), config.agent,
                     config.backend_options)
    agent = spec if executor.remote else spec.open()  # remote nodes build their own from the spec
    try:
        return rollout(instances, store, run_id, agent, config.budget, config.seed, config.workers,
                       resolve_sandbox(config.sandbox), stored, retry_errors=retry_errors,
                       show_progress=ctx.show_progress, executor=executor)
    finally:
        if isinstance(agent, Agent):
            agent.backend.close()


def evaluate_rollouts(ctx: RunContext, run_id: str, evaluator: str | None = None,
                      samples: Collection[tuple[str, int]] | None = None) -> EvalSummary:
    """Judge the stored rollouts of `run_id` (all, or the (instance, sample) keys in `samples`) under
    `evaluator` (default: the run's own), skipping verdicts already stored."""
    store = ctx.store
    rollouts = [r for r in store.rows(RolloutRow, run_id=run_id)
                if samples is None or (r.instance_id, r.sample_index) in samples]
    predictions = [Prediction(r.instance_id, r.patch, run_id, r.sample_index) for r in rollouts]
    evaluator = evaluator or store.run_evaluator(run_id)
    return evaluate(store.run(run_id).benchmark, predictions, store, evaluator, ctx.config.workers,
                    store.run_eval_id(run_id, evaluator), ctx.config.sandbox, show_progress=ctx.show_progress,
                    executor=ctx.executor)


def signals_stage(ctx: RunContext, run_id: str) -> None:
    """The selectors' signals of every rollout, as the config's `signals` says (none, static, execution)."""
    if ctx.config.signals != "none":
        compute_signals(ctx.store, run_id, ctx.config.sandbox, ctx.config.workers,
                        ctx.config.signals == "execution", ctx.show_progress, ctx.executor)


def selection_stage(ctx: RunContext, run_id: str, eval_id: str) -> SelectionResult:
    """The config's selector at the config's budget over `run_id`, stored, scored by `eval_id`."""
    return select_run(ctx.store, run_id, ctx.config.selector, ctx.config.budget, eval_id=eval_id)
