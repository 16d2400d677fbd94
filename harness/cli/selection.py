"""`harness signals` and `harness select`: the selection stage over a stored rollout run (commands
of the one app)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from harness import registry
from harness.cli.app import DbOpt, WorkersOpt, app, console
from harness.errors import BadInput


@app.command("signals")
def signals_cmd(
    run_id: str = typer.Option(..., "--run", help="A stored rollout run."),
    static_only: bool = typer.Option(False, "--static-only", help="Skip the sandboxed regression and "
                                     "reproduction tests."),
    verifier: str | None = typer.Option(None, "--verifier", help="A trained verifier (harness train "
                                        "--method verifier prints its folder): also score every trajectory."),
    verifier_backend: str = typer.Option("hf", "--verifier-backend", help="hf | vllm"),
    workers: int = WorkersOpt,
    sandbox: str = typer.Option("auto", "--sandbox"),
    db: Path = DbOpt,
) -> None:
    """Compute and store every trajectory's signals (resumes: stored ones are kept)."""
    from harness.signals.compute import compute_signals
    from harness.store import Store

    if not db.exists():
        raise BadInput(f"no store at {db}")
    with Store(db) as store:
        summary = compute_signals(store, run_id, sandbox, workers, not static_only)
        if verifier:
            from harness.signals.verifier import verifier_signals

            summary.written["verifier"] = verifier_signals(store, run_id, verifier, verifier_backend)
    written = ", ".join(f"{name} {n}" for name, n in sorted(summary.written.items()) if n) or "nothing new"
    console.print(f"{run_id}: {summary.trajectories} trajectories; written: {written}; "
                  f"{summary.instances_executed} instances executed; db: {db}")


@app.command("select")
def select_cmd(
    run_id: str = typer.Option(..., "--run", help="A stored rollout run."),
    selectors: list[str] = typer.Option(["all"], "--selector", "-s", help="A registered name, a chain "
                                        "such as finished>regression>longest, or `all`; repeatable."),
    budget: int | None = typer.Option(None, "--budget", "-k", min=1, help="k <= N samples (default N)."),
    seeds: int = typer.Option(1, "--seeds", min=1, help="Budget subsamples: seed 0 takes samples "
                              "0..k-1, seeds >= 1 seeded random k-subsets."),
    evaluator: str | None = typer.Option(None, "--evaluator", "-e", help="fast | official "
                                          "(default: the run's own)."),
    workers: int = WorkersOpt,
    sandbox: str = typer.Option("auto", "--sandbox"),
    db: Path = DbOpt,
) -> None:
    """Pick one sample per instance with each selector; store selections and predictions files, and
    print each selector's resolve rate beside `first` and the `oracle` upper bound."""
    from harness.config import RunConfig
    from harness.context import RunContext
    from harness.pipeline import reselect
    from harness.store import Store

    names = [n for s in selectors for n in (registry.names("selector") if s == "all" else [s])]
    if not db.exists():
        raise BadInput(f"no store at {db}")
    with Store(db) as store:
        ctx = RunContext(RunConfig(workers=workers, sandbox=sandbox), store)
        results = reselect(ctx, run_id, list(dict.fromkeys(names)), budget, seeds, evaluator)
    n, k = results[0].instances, results[0].budget
    baseline = {r.selector: r.resolved for r in results}.get("first")
    title = f"{run_id}: selection at budget {k}" + (f", mean of {seeds} subsamples" if seeds > 1 else "")
    table = Table(title=title)
    for column, justify in (("selector", "left"), ("resolved", "right"), ("rate", "right"),
                            ("vs first", "right")):
        table.add_column(column, justify=justify)
    for r in sorted(results, key=lambda r: (r.oracle, r.selector != "first", -(r.resolved or 0), r.selector)):
        gain = None if baseline is None or r.selector == "first" else 100 * (r.resolved - baseline) / n
        vs = "" if gain is None else f"{gain:+.1f} pt"
        label = f"{r.selector} (upper bound: reads verdicts)" if r.oracle else r.selector
        table.add_row(label, f"{r.resolved:g}/{n}", f"{100 * r.resolved / n:.1f}%", vs)
    console.print(table)
    console.print(f"selections and predictions under results/runs/{run_id}/selections/; db: {db}")
