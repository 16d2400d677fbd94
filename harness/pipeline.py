"""`harness run`: train (when the method trains) -> rollout -> evaluate -> select -> store; and the
stages it chains, for the commands that run one of them on a stored run."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from harness import paths, registry
from harness.agent.loop import Agent
from harness.backends import open_backend
from harness.benchmarks import get_benchmark
from harness.config import RunConfig, save_config
from harness.errors import BadInput
from harness.evaluation.run import EvalSummary, evaluate, resolve_sandbox
from harness.records import Prediction, RolloutRow
from harness.rollout import RolloutSummary, rollout
from harness.selectors import get_selector
from harness.selectors.offline import SelectionResult, select_run, verdicts
from harness.signals.compute import compute_signals
from harness.store import Store

if TYPE_CHECKING:
    from methods.data.examples import ExampleSet
    from methods.train import ExampleSource


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
    found = store.query("SELECT benchmark FROM runs WHERE run_id = ?", [run_id])
    if not found:
        raise BadInput(f"unknown run {run_id!r} in {store.path}")
    rollouts = [r for r in store.rows(RolloutRow, run_id=run_id)
                if samples is None or (r.instance_id, r.sample_index) in samples]
    predictions = [Prediction(r.instance_id, r.patch, run_id, r.sample_index) for r in rollouts]
    evaluator = evaluator or store.run_evaluator(run_id)
    return evaluate(found[0][0], predictions, store, evaluator, workers, store.run_eval_id(run_id, evaluator),
                    sandbox, show_progress=show_progress)


def reselect(store: Store, run_id: str, selectors: Sequence[str], budget: int | None = None, seeds: int = 1,
             evaluator: str | None = None, workers: int = 2, sandbox: str = "auto",
             show_progress: bool = True) -> list[SelectionResult]:
    """`harness select`: every selector over the stored run, evaluating only chosen samples that
    have no verdict yet (none when `harness evaluate --run R --all-samples` ran)."""
    eval_id = store.run_eval_id(run_id, evaluator)
    chosen = [get_selector(name) for name in selectors]  # unknown names fail before any work
    results = [select_run(store, run_id, s, budget, seeds, eval_id) for s in chosen]
    missing = {(r.instance_id, r.sample_index) for res in results if res.resolved is None for r in res.rows}
    if missing:
        evaluate_rollouts(store, run_id, evaluator, workers, sandbox, missing, show_progress)
        results = [select_run(store, run_id, s, budget, seeds, eval_id) for s in chosen]
    return results


def training_examples(config: RunConfig, store: Store) -> ExampleSource:
    """The training-data stage, as a source the method's stages draw from: the corpus's demonstrations
    (made and stored when missing), and for preference and verifier stages the current model's rollouts
    on it, judged (plus the expert's no-fix demonstrations with `nofix`, and always for the verifier)."""
    from methods.data import examples_from_demos, examples_from_store

    def examples_for(data: str, model_path: str, options: dict) -> ExampleSet:
        examples = examples_from_demos(store, _demonstrations(config, options["train_split"], store))
        if data == "sft":
            return examples
        train = config.model_copy(update={"split": options["train_split"], "budget": options["train_budget"],
                                          "instances": [], "model": model_path, "method": "base",
                                          "method_options": {}})
        rollouts = rollout_stage(train, store).run_id  # the model's own: reused by every method from it
        examples = examples + examples_from_store(store, rollouts, _judged(store, rollouts, config))
        if options["nofix"] or data == "verifier":
            nofix = _demonstrations(config, options["train_split"], store, fix=False)
            examples = examples + examples_from_store(store, nofix, _judged(store, nofix, config))
        return examples

    return examples_for


def _demonstrations(config: RunConfig, split: str, store: Store, fix: bool = True) -> str:
    """The run id of the split's demonstrations (`fix=False`: the expert giving up, run `nofix-...`),
    recorded now if they are not stored yet."""
    from harness.demos import build_demos, demo_run_id

    run_id = demo_run_id(config.benchmark, split, fix)
    instances = get_benchmark(config.benchmark).load(split)
    if len(store.keys(RolloutRow, run_id=run_id)) < len(instances):
        build_demos(instances, store, resolve_sandbox(config.sandbox), config.workers, fix=fix)
    return run_id


def _judged(store: Store, run_id: str, config: RunConfig) -> str:
    """Training data is judged by `fast`, whatever evaluator the run reports with."""
    return evaluate_rollouts(store, run_id, "fast", config.workers, config.sandbox).eval_id


def run(config: RunConfig, store: Store, show_progress: bool = True) -> RunResult:
    for kind, name in (("method", config.method), ("backend", config.backend),
                       ("evaluator", config.evaluator)):
        registry.target(kind, name)  # unknown names fail before any work
    get_selector(config.selector)
    model = registry.load("method", config.method).train(config, store, training_examples(config, store))
    summary = rollout_stage(config, store, model, show_progress)
    eval_id = evaluate_rollouts(store, summary.run_id, config.evaluator, config.workers, config.sandbox,
                                show_progress=show_progress).eval_id
    rollouts = store.rows(RolloutRow, run_id=summary.run_id)
    if config.signals != "none":
        compute_signals(store, summary.run_id, config.sandbox, config.workers, config.signals == "execution",
                        show_progress)
    resolved = {key for key, ok in verdicts(store, eval_id).items() if ok}
    selected = select_run(store, summary.run_id, config.selector, config.budget, eval_id=eval_id)
    return RunResult(
        summary.run_id, eval_id, model, selected.instances, config.budget,
        summary.exit_reasons, sum(bool(r.patch.strip()) for r in rollouts), len(resolved),
        len({i for i, _ in resolved}), int(selected.resolved or 0),
    )
