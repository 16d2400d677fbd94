"""The run, train, evaluate and set-up commands: thin typer wrappers over plain functions (tests call
those directly), and `main`, which turns our errors into one line and an exit code."""

from __future__ import annotations

import json
import logging
import os
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from harness import registry
from harness.cli.app import (
    STATE,
    ConfigOpt,
    DbOpt,
    ExecutorOpt,
    OverrideOpt,
    WorkersOpt,
    app,
    console,
    images_app,
    notice,
    sandbox_app,
)
from harness.errors import BadInput, HarnessError
from harness.pretrain import LEARNED, PretrainSettings

if TYPE_CHECKING:
    from analysis.metrics import Estimate
    from harness.evaluation.run import EvalSummary
    from harness.pipeline import RunResult
    from harness.store import Store


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Tracebacks and debug logs."),
    workspace: Path | None = typer.Option(None, "--workspace", help="Where artifacts go and stored paths "
                                          "resolve (default: the store's folder; $HARNESS_WORKSPACE)."),
) -> None:
    STATE["debug"] = debug
    if workspace is not None:
        os.environ["HARNESS_WORKSPACE"] = str(workspace.resolve())
    level = logging.DEBUG if debug else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    if not debug:  # the hub clients' retry chatter would bury our one-line errors
        for var in ("HF_HUB_VERBOSITY", "DATASETS_VERBOSITY"):
            os.environ.setdefault(var, "error")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # also transformers' loading bars
        os.environ.setdefault("HF_DATASETS_DISABLE_PROGRESS_BARS", "1")  # TRL's dataset preparation
        warnings.simplefilter("ignore", FutureWarning)  # libraries' deprecation notices; see --debug
        logging.getLogger("huggingface_hub").setLevel(logging.ERROR)


@app.command("list")
def list_cmd(kind: str | None = typer.Argument(None, help="benchmark, sandbox, evaluator, ...")) -> None:
    """List registered names (of one kind, or all)."""
    for k in [kind] if kind else registry.kinds():
        console.print(f"[bold]{k}[/]: " + ", ".join(registry.names(k)))


def _instances(benchmark: str, split: str | None, instances: list[str] | None):
    from harness.benchmarks import get_benchmark

    return get_benchmark(benchmark).load(split, instances or None)


@images_app.command("build")
def images_build(
    benchmark: str = typer.Option("swe-mini", "--benchmark", "-b"),
    split: str | None = typer.Option(None, "--split"),
    instances: list[str] | None = typer.Option(None, "--instance", "-i"),
    force: bool = typer.Option(False, "--force", help="Rebuild even when up to date."),
    base_image: str | None = typer.Option(None, "--base-image", help="Local image to use as base."),
    workers: int = WorkersOpt,
) -> None:
    """Build the base image and one thin image per instance (no-op when nothing changed)."""
    from harness.images.build import build_images
    from harness.progress import progress_bar

    todo = _instances(benchmark, split, instances)
    with progress_bar("building images", len(todo)) as advance:
        result = build_images(todo, force, workers, base_image, on_done=lambda i, s: advance())
    built = sum(s == "built" for s in result.values())
    console.print(f"{built} built, {len(result) - built} up to date")


@images_app.command("pull")
def images_pull(
    benchmark: str = typer.Option(..., "--benchmark", "-b"),
    split: str | None = typer.Option(None, "--split"),
    instances: list[str] | None = typer.Option(None, "--instance", "-i"),
    workers: int = typer.Option(4, "--workers", "-w", min=1),
    per_minute: float = typer.Option(30, "--per-minute", help="At most this many pull starts a minute."),
    retries: int = typer.Option(4, "--retries", min=0),
    budget_gb: float | None = typer.Option(
        None, "--budget-gb", min=0, help="Then evict least-recently-used instance images beyond this."
    ),
) -> None:
    """Pull instance images by name, rate-limited, with retries."""
    from harness.images.prune import prune
    from harness.images.pull import pull_images
    from harness.progress import progress_bar

    names = [i.image for i in _instances(benchmark, split, instances)]
    with progress_bar("pulling images", len(set(names))) as advance:
        result = pull_images(names, workers, per_minute, retries, on_done=lambda n, s: advance())
    failed = {n: s for n, s in result.items() if s.startswith("failed")}
    for name, status in list(failed.items())[:10]:
        console.print(f"[red]{name}[/]: {status}")
    console.print(f"{len(result) - len(failed)} present or pulled, {len(failed)} failed")
    if budget_gb is not None:
        evicted = prune(int(budget_gb * 1e9), names)
        console.print(f"evicted {len(evicted)} least-recently-used images to fit {budget_gb:g} GB")
    if failed:
        raise typer.Exit(1)


@images_app.command("prune")
def images_prune(
    budget_gb: float = typer.Option(0.0, "--budget-gb", min=0, help="Keep instance images within this size."),
    benchmark: str | None = typer.Option(None, "--benchmark", "-b", help="Also consider its pulled images."),
    dry_run: bool = typer.Option(False, "--dry-run"),
) -> None:
    """Remove least-recently-used instance images until the rest fit the budget."""
    from harness.images.prune import prune

    extra = [i.image for i in _instances(benchmark, None, None)] if benchmark else []
    removed = prune(int(budget_gb * 1e9), extra, dry_run)
    for c in removed:
        console.print(f"{'would remove' if dry_run else 'removed'} {c.name} ({c.size / 1e9:.2f} GB)")
    console.print(f"{len(removed)} images {'to remove' if dry_run else 'removed'}")


@sandbox_app.command("reap")
def sandbox_reap(
    everything: bool = typer.Option(False, "--all", help="Also the sandboxes of live runs."),
) -> None:
    """Remove sandboxes left behind by a crashed or killed harness: local sandbox folders, then Docker
    containers (when an engine answers)."""
    from harness.images import engine_available
    from harness.sandbox.reaper import reap, reap_local

    folders = reap_local(everything)
    console.print(f"removed {len(folders)} local sandbox folders")
    if engine_available():
        removed = reap(everything)
        console.print(f"removed {len(removed)} containers" + (f": {', '.join(removed)}" if removed else ""))


@app.command()
def evaluate(
    predictions: Path | None = typer.Option(None, "--predictions", "-p", help=".jsonl or .json predictions."),
    run_id: str | None = typer.Option(None, "--run", help="Judge a stored rollout run's samples instead."),
    all_samples: bool = typer.Option(False, "--all-samples", help="With --run: every sample, so any "
                                     "selector (and the oracle) is scored without another evaluation."),
    benchmark: str = typer.Option("swe-mini", "--benchmark", "-b"),
    evaluator: str | None = typer.Option(None, "--evaluator", "-e", help="fast | official (default: "
                                          "a run's own; predictions: fast)."),
    workers: int = WorkersOpt,
    eval_id: str | None = typer.Option(None, "--run-id", help="Defaults to a hash of the inputs (resumes)."),
    sandbox: str = typer.Option("auto", "--sandbox", help="auto | docker | local (fast evaluator)."),
    timeout: float = typer.Option(1800, "--timeout", help="Seconds for one instance's tests."),
    modal: bool = typer.Option(False, "--modal", help="Passed through to the official harness."),
    db: Path = DbOpt,
) -> None:
    """Evaluate predictions, or a stored run's samples (`--run R [--all-samples]`; without
    --all-samples, the samples its stored selections chose); verdicts go to the store."""
    from harness.evaluation.predictions import read_predictions
    from harness.evaluation.run import evaluate as run_evaluate
    from harness.evaluation.run import instances_for
    from harness.store import Store

    if evaluator:
        registry.target("evaluator", evaluator)
    if (predictions is None) == (run_id is None):
        raise BadInput("give either --predictions FILE or --run RUN_ID")
    if run_id is not None:
        summary = _evaluate_run(run_id, all_samples, evaluator, workers, sandbox, db)
    else:
        evaluator = evaluator or "fast"
        preds = read_predictions(predictions)
        instances = instances_for(benchmark, preds)  # all input checked before the store file exists
        with Store(db) as store:
            summary = run_evaluate(benchmark, preds, store, evaluator, workers, eval_id, sandbox, timeout,
                                   modal, instances=instances)
    _print_evaluation(summary, db)


def _evaluate_run(run_id: str, all_samples: bool, evaluator: str | None, workers: int, sandbox: str,
                  db: Path) -> EvalSummary:
    from harness.config import RunConfig
    from harness.context import RunContext
    from harness.stages import evaluate_rollouts
    from harness.store import Store

    if not db.exists():
        raise BadInput(f"no store at {db}")
    with Store(db) as store:
        samples = None if all_samples else store.selected_samples(run_id)
        if samples is not None and not samples:
            raise BadInput(f"run {run_id!r} has no stored selections: add --all-samples, "
                           "or run harness select")
        return evaluate_rollouts(RunContext(RunConfig(workers=workers, sandbox=sandbox), store), run_id,
                                 evaluator, samples)


def _print_counts(title: str, what: str, counted: str, counts: dict[str, int]) -> None:
    """A two-column table of counts by kind (statuses, exit reasons), sorted by kind."""
    table = Table(title=title)
    table.add_column(what)
    table.add_column(counted, justify="right")
    for kind, n in sorted(counts.items()):
        table.add_row(kind, str(n))
    console.print(table)


def _print_evaluation(summary: EvalSummary, db: Path) -> None:
    _print_counts(f"{summary.eval_id} ({summary.evaluator})", "status", "candidates", summary.statuses)
    console.print(
        f"resolved {summary.resolved}/{summary.total} ({100 * summary.resolved / summary.total:.1f}%); "
        f"{summary.skipped} reused from the store; db: {db}", soft_wrap=True,
    )


@app.command("validate-benchmark")
def validate_benchmark(
    benchmark: str = typer.Argument("swe-mini"),
    evaluator: str = typer.Option("fast", "--evaluator", "-e"),
    split: str | None = typer.Option(None, "--split"),
    instances: list[str] | None = typer.Option(None, "--instance", "-i"),
    repeat: int = typer.Option(1, "--repeat", min=1, help="Run K times; changing verdicts are flaky."),
    workers: int = WorkersOpt,
    sandbox: str = typer.Option("auto", "--sandbox"),
    db: Path = DbOpt,
) -> None:
    """Gold must resolve, empty must not, FAIL_TO_PASS/PASS_TO_PASS must behave as labelled."""
    from harness.evaluation.validate import validate
    from harness.store import Store

    registry.target("evaluator", evaluator)
    with Store(db) as store:
        checks = validate(benchmark, store, evaluator, split, instances, repeat, workers, sandbox)
    table = Table(title=f"{benchmark} validation ({evaluator}, {repeat} repeat{'s' * (repeat > 1)})")
    for col in ("instance", "gold", "empty", "check"):
        table.add_column(col)
    for c in checks:
        verdict = "ok" if c.ok else ("FLAKY; " if c.flaky else "") + "; ".join(c.problems[:2])
        table.add_row(c.instance_id, ",".join(c.gold), ",".join(c.empty), verdict)
    console.print(table)
    n = len(checks)
    gold = sum(all(s == "resolved" for s in c.gold) for c in checks)
    empty = sum("resolved" in c.empty for c in checks)
    flaky = [c.instance_id for c in checks if c.flaky]
    console.print(
        f"gold resolved {gold}/{n} ({100 * gold / n:.1f}%), empty resolved {empty}/{n} "
        f"({100 * empty / n:.1f}%), flaky {len(flaky)}{': ' + ', '.join(flaky) if flaky else ''}"
    )
    if not all(c.ok for c in checks):
        raise typer.Exit(1)


@app.command("tiny-model")
def tiny_model(
    dest: Path | None = typer.Option(None, "--dest", help="Folder (default: the harness cache)."),
    force: bool = typer.Option(False, "--force", help="Rebuild even when cached."),
    size: str = typer.Option("tiny", "--size", help="tiny (0.3M parameters) | agent (4.0M, to train)."),
) -> None:
    """Build (offline) the tiny Qwen3-style model and tokenizer that are the embedded default model."""
    from harness.backends.tiny import build_tiny_model

    console.print(str(build_tiny_model(dest, force, size)), soft_wrap=True)


PRETRAIN = PretrainSettings()  # the command's defaults


@app.command()
def pretrain(
    out: Path = typer.Option(..., "--out", help="Folder for the weights, tokenizer and PRETRAIN.json."),
    size: str = typer.Option(PRETRAIN.size, "--size", help="tiny | agent (the model trained from scratch)."),
    instances: int | None = typer.Option(None, "--instances", min=1, help="A seeded subset of swe-gen's "
                                         "train split (default: all of it)."),
    epochs: float = typer.Option(PRETRAIN.epochs, "--epochs"),
    batch: int = typer.Option(PRETRAIN.batch, "--batch", min=1),
    learning_rate: float = typer.Option(PRETRAIN.learning_rate, "--learning-rate"),
    max_length: int = typer.Option(PRETRAIN.max_length, "--max-length", min=64),
    seed: int = typer.Option(PRETRAIN.seed, "--seed"),
    tokens: str = typer.Option(PRETRAIN.tokens, "--tokens", help="all (every token of the episode) | "
                               "assistant (the agent's turns only)."),
    drills: int = typer.Option(PRETRAIN.drills, "--drills", min=0, help="Recall drills mixed into the "
                               "demonstrations."),
    copy_drills: int = typer.Option(PRETRAIN.copy_drills, "--copy-drills", min=0, help="Stage 1: drills "
                                    "that repeat a line just shown (0: skip the stage)."),
    recall_drills: int = typer.Option(PRETRAIN.recall_drills, "--recall-drills", min=0, help="Stage 2: "
                                      "drills that repeat a line shown before distractors (0: skip)."),
    drill_batch: int = typer.Option(PRETRAIN.drill_batch, "--drill-batch", min=1),
    copy_learning_rate: float = typer.Option(PRETRAIN.copy_learning_rate, "--copy-learning-rate"),
    held_out: int = typer.Option(PRETRAIN.held_out, "--held-out", min=0, help="swe-gen test tasks whose "
                                 "demonstrations measure the agent's copying, in the record (0: none)."),
    vocabulary: str = typer.Option(PRETRAIN.vocabulary, "--vocabulary", help="agent (keep the shipped "
                                   "agent's tokenizer: the same token ids, so the same starting weights) | "
                                   "build (train one on the current corpus: a new draw) | a model folder "
                                   "(keep its tokenizer)."),
    recoveries: float = typer.Option(PRETRAIN.recoveries, "--recoveries", min=0, max=1, help="The share "
                                     "of demonstrations that import a misnamed module or read a misnamed "
                                     "file first, see the error and recover (the mistake is not trained)."),
    schedule: str = typer.Option(PRETRAIN.schedule, "--schedule", help="The demonstrations' learning rate "
                                 "after warm-up: constant_with_warmup | linear | cosine."),
    edit_recoveries: float = typer.Option(PRETRAIN.edit_recoveries, "--edit-recoveries", min=0, max=1,
                                          help="The share of demonstrations whose first edit replaces a "
                                          "line the file does not have, then reads it again (not trained)."),
    format_recoveries: float = typer.Option(PRETRAIN.format_recoveries, "--format-recoveries", min=0, max=1,
                                            help="The share of demonstrations that first write one turn "
                                            "without its call's opening tag, then write it right (not "
                                            "trained)."),
    drill_passes: int = typer.Option(PRETRAIN.drill_passes, "--drill-passes", min=1, help="A drill stage "
                                     "runs its drills again, from where it ended, until its token "
                                     f"accuracy reaches {LEARNED}: at most this many passes."),
    sandbox: str = typer.Option("auto", "--sandbox", help="Where the demonstrations are recorded: local "
                                "(bubblewrap) | docker | auto (bubblewrap when installed, else docker)."),
    workers: int = WorkersOpt,
    db: Path = DbOpt,
) -> None:
    """Train the tiny agent from scratch (copy drills, recall drills, then swe-gen demonstrations under
    the compact prompt) and write it to --out with a record of the command, data hash and git sha
    (resumes: stored demonstrations and finished stages are reused)."""
    from harness.pretrain import pretrain as run_pretrain
    from harness.store import Store

    settings = PretrainSettings(size, instances, epochs, batch, learning_rate, max_length, seed, tokens,
                                drills, copy_drills, recall_drills, drill_batch, copy_learning_rate,
                                held_out, vocabulary, recoveries, schedule, edit_recoveries,
                                format_recoveries, drill_passes)
    settings.kept()  # a bad --vocabulary fails here, before the store is made
    with Store(db) as store:
        folder = run_pretrain(store, settings, out, sandbox, workers, notice)
    record = json.loads((folder / "PRETRAIN.json").read_text())
    stages = ", ".join(f"{name} {s['steps']} steps{_passes(len(s['passes']))}, "
                       f"loss {s['loss']['first']:.3f} -> {s['loss']['last']:.3f}"
                       for name, s in record["stages"].items())
    demos = record["data"]["demonstrations"]["trajectories"]
    held = record["held_out"]
    copied = (f"; held-out copying ({held['episodes']} test tasks): agent tokens {held['agent_tokens']:.3f}, "
              f"function-name pieces {held['function_pieces']:.3f}, "
              f"module-name pieces {held['module_pieces']:.3f}; "
              f"names copied whole: function {held['function_names']:.3f}, module {held['module_names']:.3f}"
              if held else "")
    console.print(f"{folder}: {record['parameters'] / 1e6:.2f}M parameters; {stages}; "
                  f"{record['seconds']:.0f} s; {demos} demonstrations{copied}", soft_wrap=True)


def _passes(n: int) -> str:
    return f" in {n} passes" if n > 1 else ""


@app.command()
def demos(
    benchmark: str = typer.Option("swe-mini", "--benchmark", "-b"),
    split: str | None = typer.Option("train", "--split"),
    instances: list[str] | None = typer.Option(None, "--instance", "-i"),
    test_command: str | None = typer.Option(None, "--test-command", help="Run by the expert before finish."),
    no_fix: bool = typer.Option(False, "--no-fix", help="The same expert giving up without an edit "
                                "(run nofix-...): unresolved trajectories with the same prompts."),
    prompt: str = typer.Option("full", "--prompt", help="full | compact (short tool docs: small models)."),
    sandbox: str = typer.Option("auto", "--sandbox"),
    workers: int = WorkersOpt,
    db: Path = DbOpt,
) -> None:
    """Turn gold patches into expert trajectories executed in the real sandbox (SFT / chosen data)."""
    from harness.demos import build_demos
    from harness.evaluation.run import resolve_sandbox
    from harness.store import Store

    todo = _instances(benchmark, split, instances)
    with Store(db) as store:
        summary = build_demos(todo, store, resolve_sandbox(sandbox), workers, test_command, fix=not no_fix,
                              prompt=prompt)
    _print_rollouts(summary, db)


@app.command("rollout")
def rollout_cmd(
    benchmark: str | None = typer.Option(None, "--benchmark", "-b"),
    split: str | None = typer.Option(None, "--split"),
    instances: list[str] | None = typer.Option(None, "--instance", "-i"),
    model: str | None = typer.Option(None, "--model", "-m", help="Hub name, local folder, or `tiny`."),
    backend: str | None = typer.Option(None, "--backend", help="hf | openai | vllm | replay"),
    budget: int | None = typer.Option(None, "--budget", "-n", min=1, help="Rollouts per instance."),
    temperature: float | None = typer.Option(None, "--temperature"),
    top_p: float | None = typer.Option(None, "--top-p"),
    top_k: int | None = typer.Option(None, "--top-k"),
    max_steps: int | None = typer.Option(None, "--max-steps"),
    seed: int | None = typer.Option(None, "--seed"),
    workers: int | None = typer.Option(None, "--workers", "-w", min=1),
    sandbox: str | None = typer.Option(None, "--sandbox"),
    executor: str | None = ExecutorOpt,
    retry_errors: bool = typer.Option(False, "--retry-errors", help="Redo samples that ended on an "
                                      "infrastructure error (sandbox_error, backend_error)."),
    config: Path | None = ConfigOpt,
    overrides: list[str] | None = OverrideOpt,
    db: Path = DbOpt,
) -> None:
    """Sample N trajectories per instance; stored and resumable by (run, instance, sample)."""
    from harness.config import load_config
    from harness.context import RunContext
    from harness.stages import rollout_stage
    from harness.store import Store

    cfg = load_config(config, overrides or [], benchmark=benchmark, split=split, instances=instances,
                      model=model, backend=backend, budget=budget, seed=seed, workers=workers,
                      sandbox=sandbox, executor=executor,
                      **{"sampling.temperature": temperature, "sampling.top_p": top_p,
                         "sampling.top_k": top_k, "agent.max_steps": max_steps})
    registry.target("backend", cfg.backend)
    registry.target("executor", cfg.executor)
    with Store(db) as store:
        ctx = RunContext(cfg, store, notify=notice)
        _print_rollouts(rollout_stage(ctx, retry_errors=retry_errors), db)
    _print_nodes(ctx)


def _print_rollouts(summary, db: Path) -> None:
    _print_counts(f"rollouts {summary.run_id}", "exit reason", "samples", summary.exit_reasons)
    console.print(f"{summary.total} samples, {summary.skipped} reused from the store; db: {db}",
                  soft_wrap=True)


@app.command("train")
def train_cmd(
    method: str = typer.Option(..., "--method", help="sft | dpo | kto | entropo-dpo | entropo-kto | entropo, "
                               "or verifier (the learned verifier of the selectors)"),
    model: str | None = typer.Option(None, "--model", "-m"),
    benchmark: str | None = typer.Option(None, "--benchmark", "-b"),
    seed: int | None = typer.Option(None, "--seed"),
    config: Path | None = ConfigOpt,
    overrides: list[str] | None = OverrideOpt,
    db: Path = DbOpt,
) -> None:
    """Train with a method on its training data (demonstrations, rollouts of the model); print the model.
    Under `accelerate launch --num_processes N` the main process does this and the others train with it."""
    from harness.config import load_config
    from harness.context import RunContext
    from harness.pipeline import train_stage
    from harness.store import Store
    from methods.distributed import follow, is_main, launched, share
    from methods.train import fit, lineage

    if launched() and not is_main():
        return follow(fit)
    cfg = load_config(config, overrides or [], method=method, model=model, benchmark=benchmark, seed=seed)
    if cfg.method != "verifier":  # trained like a method, but scores trajectories instead of acting
        registry.target("method", cfg.method)
    try:
        with Store(db) as store:
            path = train_stage(RunContext(cfg, store, notify=notice))
            steps = [step for run_id in lineage(store, str(path)) for step in store.training_steps(run_id)]
    finally:
        if launched():
            share(None)  # the followers are done
    for run_id, n, first, last, tail in steps:
        console.print(f"{run_id}: {n} steps, loss {first:.4f} -> {last:.4f} (last 100 steps: {tail:.4f})")
    console.print(f"model: {path}", soft_wrap=True)


@app.command("run")
def run_cmd(
    method: str | None = typer.Option(None, "--method", help="base | sft | dpo | kto | entropo ..."),
    budget: int | None = typer.Option(None, "--budget", "-n", min=1, help="Rollouts per instance."),
    benchmark: str | None = typer.Option(None, "--benchmark", "-b"),
    split: str | None = typer.Option(None, "--split"),
    instances: list[str] | None = typer.Option(None, "--instance", "-i"),
    model: str | None = typer.Option(None, "--model", "-m"),
    backend: str | None = typer.Option(None, "--backend"),
    seed: int | None = typer.Option(None, "--seed"),
    workers: int | None = typer.Option(None, "--workers", "-w", min=1),
    executor: str | None = ExecutorOpt,
    config: Path | None = ConfigOpt,
    overrides: list[str] | None = OverrideOpt,
    show_plan: bool = typer.Option(False, "--plan", help="Print every stage and check every name and "
                                   "option; run nothing (no GPU, hub or Docker needed)."),
    db: Path = DbOpt,
) -> None:
    """Train (if the method trains) -> rollout -> select -> evaluate -> store -> result table."""
    from harness.config import load_config
    from harness.context import RunContext
    from harness.pipeline import run
    from harness.store import Store

    cfg = load_config(config, overrides or [], method=method, budget=budget, benchmark=benchmark,
                      split=split, instances=instances, model=model, backend=backend, seed=seed,
                      workers=workers, executor=executor)
    if show_plan:
        from harness.plan import plan

        print_plan(cfg.run_id(), plan(cfg))
        return
    with Store(db) as store:
        ctx = RunContext(cfg, store, notify=notice)
        r = run(ctx)
        rates = _rates_with_intervals(store, r, cfg.selector)
    _print_nodes(ctx)
    table = Table(title=f"{r.run_id}: {cfg.method}, budget {r.budget}")
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("95% CI (tasks resampled)", justify="right")
    pct = lambda k, n: f"{k}/{n} ({100 * k / n:.1f}%)" if n else "0/0"  # noqa: E731
    table.add_row("rollouts", str(r.instances * r.budget))
    for reason, n in sorted(r.exit_reasons.items()):
        table.add_row(f"  exit: {reason}", str(n))
    table.add_row("non-empty patches", pct(r.patches, r.instances * r.budget))
    table.add_row("resolved rollouts", pct(r.resolved, r.instances * r.budget))
    single, any_, chosen = (f"[{100 * e.low:.1f}, {100 * e.high:.1f}]" for e in rates)
    table.add_row("single attempt (pass@1)", f"{100 * rates[0].value:.1f}%", single)
    table.add_row(f"pass@{r.budget} (any sample resolves)", pct(r.solved_any, r.instances), any_)
    table.add_row(f"resolved, selected by {cfg.selector}", pct(r.selected_resolved, r.instances), chosen)
    console.print(table)
    console.print(f"model {r.model}; run {r.run_id}, evaluation {r.eval_id}; db: {db}", soft_wrap=True)


def _print_nodes(ctx) -> None:
    """Where a remote executor ran the units of work (rollouts, evaluations, signal jobs), per node."""
    if ctx.config.executor != "local":
        nodes = ctx.executor.nodes
        console.print(f"{sum(nodes.values())} units of work on {len(nodes)} node{'s' * (len(nodes) != 1)}: "
                      + ", ".join(f"{node[:12]} {n}" for node, n in nodes.most_common()), highlight=False)


def _rates_with_intervals(store: Store, result: RunResult,
                          selector: str) -> tuple[Estimate, Estimate, Estimate]:
    """pass@1, pass@budget and the selector's rate of a finished run, each with its bootstrap interval."""
    from analysis.runs import pass_curve, samples, selected_at_k

    curve = pass_curve(samples(store, result.run_id, result.eval_id), sorted({1, result.budget}))
    return curve[1], curve[result.budget], selected_at_k(store, result.run_id, selector, result.budget,
                                                         eval_id=result.eval_id)


def print_plan(title: str, steps: list) -> None:
    """A run's plan as a table: stage, what it does, and the token and GPU-hour bounds."""
    from harness.plan import Rates

    rates = Rates()
    table = Table(title=title, title_justify="left")
    for column, justify in (("stage", "left"), ("what", "left"), ("tokens ≤", "right"), ("GPU-h ≤", "right")):
        table.add_column(column, justify=justify)
    for step in steps:
        table.add_row(step.stage, escape(step.detail), "" if step.tokens is None else f"{step.tokens:,}",
                      "" if step.gpu_hours is None else f"{step.gpu_hours:,.1f}")
    console.print(table)
    console.print(f"bounds: every turn at max_tokens, every row at max_length; assumed {rates.decode:g} "
                  f"generated and {rates.train:g} trained tokens/s per GPU", highlight=False)


def main() -> None:
    """Entry point: our errors become one line on stderr (exit 2 bad input, 1 failure)."""
    try:
        code = app(standalone_mode=False)  # a command's `typer.Exit(n)` comes back as n
    except HarnessError as exc:
        if STATE["debug"]:
            raise
        # escaped: the message quotes user input (ids, paths) that rich would read as markup
        Console(stderr=True).print(f"[red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        sys.exit(130)
    except Exception as exc:  # click usage errors; typer >= 0.2x vendors click, so no isinstance
        if callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()
            sys.exit(exc.exit_code)
        raise
    if isinstance(code, int) and code:
        sys.exit(code)
