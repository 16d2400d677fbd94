"""`harness run`, in order: training data -> training (when the method trains) -> rollout ->
evaluation -> signals -> selection -> the stored result; and `reselect`, which re-runs selection on
a stored run. Every stage is a function of the run context (harness/context.py) in a module of its
own; this one only orders them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from harness import registry
from harness.context import RunContext
from harness.records import RolloutRow
from harness.selectors import get_selector
from harness.selectors.offline import SelectionResult, select_run
from harness.stages import evaluate_rollouts, rollout_stage, selection_stage, signals_stage
from harness.training_data import contamination, training_examples


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


def train_stage(ctx: RunContext) -> str:
    """The method's training on its training data (the model itself when it trains nothing); what each
    training corpus shares with the evaluated instances is reported first."""
    if ctx.config.method == "verifier":  # trained like a method, but scores trajectories instead of acting
        from methods.recipes import VERIFIER_METHOD as method
    else:
        method = registry.load("method", ctx.config.method)
    if getattr(method, "stages", ()):
        for line in contamination(ctx.config):
            ctx.notify(f"contamination: {line}")
    return method.train(ctx.config, ctx.store, training_examples(ctx))


def reselect(ctx: RunContext, run_id: str, selectors: Sequence[str], budget: int | None = None,
             seeds: int = 1, evaluator: str | None = None) -> list[SelectionResult]:
    """`harness select`: every selector over the stored run, evaluating only chosen samples that
    have no verdict yet (none when `harness evaluate --run R --all-samples` ran)."""
    eval_id = ctx.store.run_eval_id(run_id, evaluator)
    chosen = [get_selector(name) for name in selectors]  # unknown names fail before any work
    results = [select_run(ctx.store, run_id, s, budget, seeds, eval_id) for s in chosen]
    missing = {(r.instance_id, r.sample_index) for res in results if res.resolved is None for r in res.rows}
    if missing:
        evaluate_rollouts(ctx, run_id, evaluator, missing)
        results = [select_run(ctx.store, run_id, s, budget, seeds, eval_id) for s in chosen]
    return results


def run(ctx: RunContext) -> RunResult:
    config, store = ctx.config, ctx.store
    for kind, name in (("method", config.method), ("backend", config.backend),
                       ("evaluator", config.evaluator), ("executor", config.executor)):
        registry.target(kind, name)  # unknown names fail before any work
    get_selector(config.selector)
    model = train_stage(ctx)
    summary = rollout_stage(ctx, model)
    eval_id = evaluate_rollouts(ctx, summary.run_id).eval_id
    signals_stage(ctx, summary.run_id)
    selected = selection_stage(ctx, summary.run_id, eval_id)
    rollouts = store.rows(RolloutRow, run_id=summary.run_id)
    resolved = {key for key, ok in store.verdicts(eval_id).items() if ok}
    return RunResult(
        summary.run_id, eval_id, model, selected.instances, config.budget,
        summary.exit_reasons, sum(bool(r.patch.strip()) for r in rollouts), len(resolved),
        len({i for i, _ in resolved}), int(selected.resolved or 0),
    )
