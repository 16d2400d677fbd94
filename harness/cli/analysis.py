"""`harness grid run|status|plan`, `harness table`, `harness seeds`, `harness plot`, `harness submit`:
experiment grids, the paper's table, the entropy experiment, plots and submissions (commands of the one
app; the work lives in analysis/)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from harness.cli.app import DbOpt, app, console, notice

grid_app = typer.Typer(no_args_is_help=True, help="Experiment grids: run the missing cells, show status.")
app.add_typer(grid_app, name="grid")
GridArg = typer.Argument(..., help="A grid YAML file, or a shipped name: smoke, entropy, paper.")


@grid_app.command("status")
def grid_status(grid: str = GridArg, db: Path = DbOpt) -> None:
    """Each cell of the grid: done, partial (what is stored) or missing."""
    from analysis.grid import cell_status, load_grid
    from harness.store import Store

    _, cells = load_grid(grid)
    if not db.exists():
        statuses = ["missing"] * len(cells)
    else:
        with Store(db, read_only=True) as store:
            statuses = [cell_status(store, cell) for cell in cells]
    # a title would wrap to the table's width, splitting a long grid path; one unwrapped line instead
    console.print(f"grid {grid}: {statuses.count('done')}/{len(cells)} cells done", soft_wrap=True)
    table = Table()
    for column in ("cell", "run", "status"):
        table.add_column(column)
    for cell, status in zip(cells, statuses, strict=True):
        table.add_row(cell.label(), cell.run_id, status)
    console.print(table)


@grid_app.command("plan")
def grid_plan(grid: str = GridArg) -> None:
    """Every stage of every cell, every name and option checked; runs nothing and needs no GPU, hub or
    Docker. Cells that share a run (they differ in their selector only) are planned once."""
    from analysis.grid import load_grid
    from harness.cli.commands import print_plan
    from harness.plan import plan

    spec, cells = load_grid(grid)
    runs: dict[str, list] = {}
    for cell in cells:
        runs.setdefault(cell.run_id, []).append(cell)
    for run_id, shared in runs.items():
        selectors = ", ".join(c.selector for c in shared)
        print_plan(f"{shared[0].label()} — run {run_id} (selectors: {selectors})", plan(shared[0].config))
    console.print(f"grid {spec.name}: {len(cells)} cells, {len(runs)} runs, every name and option checked",
                  soft_wrap=True)


@grid_app.command("run")
def grid_run(grid: str = GridArg, db: Path = DbOpt) -> None:
    """Run every cell that is not done (a cell that differs only in its selector reuses the rollouts)."""
    import time

    from analysis.grid import run_grid
    from harness.store import Store

    began = time.monotonic()

    def announce(i: int, cell, status: str) -> None:
        verb = "reused" if status == "done" else "running"
        console.print(f"cell {i + 1}: {cell.label()} ({verb}, run {cell.run_id})", highlight=False,
                      soft_wrap=True)

    with Store(db) as store:
        before = run_grid(grid, store, on_cell=announce, notify=notice)
    reused = sum(status == "done" for _, status in before)
    console.print(f"grid {grid}: {len(before)} cells, {reused} reused, {len(before) - reused} run, "
                  f"{time.monotonic() - began:.0f} s; db: {db}", soft_wrap=True)


def _report(grid: str, db: Path, make) -> None:
    """Load `grid`, open the store, `make(store, spec, cells) -> (Markdown, files written)`, print both."""
    from analysis.grid import load_grid
    from harness.errors import BadInput
    from harness.store import Store

    spec, cells = load_grid(grid)
    if not db.exists():
        raise BadInput(f"no store at {db}: run harness grid run {grid} first")
    with Store(db) as store:
        text, paths = make(store, spec, cells)
    console.print(text, markup=False, highlight=False, soft_wrap=True)
    console.print(f"written: {', '.join(map(str, paths))}", soft_wrap=True)


@app.command("table")
def table_cmd(
    grid: str = GridArg,
    out: Path | None = typer.Option(None, "--out", help="Folder (default <workspace>/tables/<grid name>)."),
    db: Path = DbOpt,
) -> None:
    """The paper's main table from the grid's `main` cells: Markdown, CSV and LaTeX, printed too."""
    from analysis.tables import main_rows, to_markdown, write_tables
    from harness.paths import TABLES

    def make(store, spec, cells):
        rows = main_rows(store, cells)
        return to_markdown(rows), write_tables(rows, out or store.workspace / TABLES / spec.name)

    _report(grid, db, make)


@app.command("seeds")
def seeds_cmd(
    grid: str = typer.Argument("entropy", help="A grid with a `seeds` block (default: shipped `entropy`)."),
    out: Path | None = typer.Option(None, "--out", help="Folder (default <workspace>/tables/<grid name>)."),
    db: Path = DbOpt,
) -> None:
    """The entropy experiment: per method over the `seeds` block's seeds, the sampled tokens' entropy
    estimate, distinct patches per task and pass@k (mean ± sd); Markdown, CSV and a pass@k plot."""
    from analysis.plots import seeds_plot
    from analysis.seeds import seed_rows, to_markdown, write_seed_tables
    from harness.paths import FIGURES, TABLES

    def make(store, spec, cells):
        rows = seed_rows(store, cells)
        paths = write_seed_tables(rows, out or store.workspace / TABLES / spec.name)
        return to_markdown(rows), paths + seeds_plot(rows, out or store.workspace / FIGURES / spec.name)

    _report(grid, db, make)


@app.command("plot")
def plot_cmd(
    kind: str = typer.Argument(..., help="alpha | temperature | selector | budget | diversity | all"),
    grid: str | None = typer.Option(None, "--grid", help="A grid (its blocks of that name feed the plot)."),
    run_id: str | None = typer.Option(None, "--run", help="For budget: a stored run instead of the grid's."),
    selectors: list[str] | None = typer.Option(None, "--selector", "-s", help="For budget; repeatable."),
    out: Path | None = typer.Option(None, "--out", help="Folder (default <workspace>/figures/<grid/run>)."),
    db: Path = DbOpt,
) -> None:
    """The paper's ablation plots as PNG and PDF."""
    from analysis import plots
    from analysis.grid import load_grid
    from harness.errors import BadInput
    from harness.paths import FIGURES
    from harness.store import Store

    kinds = plots.KINDS if kind == "all" else (kind,)
    if any(k not in plots.KINDS for k in kinds):
        raise BadInput(f"unknown plot {kind!r}; known: {', '.join(plots.KINDS)}, all")
    if grid is None and (run_id is None or kinds != ("budget",)):
        raise BadInput("give --grid GRID (or --run RUN for the budget plot)")
    spec, cells = load_grid(grid) if grid else (None, [])
    if not db.exists():
        raise BadInput(f"no store at {db}")
    written = []
    with Store(db) as store:
        folder = out or store.workspace / FIGURES / (spec.name if spec else run_id)
        for k in kinds:
            if k in ("alpha", "temperature"):
                written += plots.sweep_plot(store, cells, k, folder)
            elif k == "diversity":
                written += plots.diversity_plot(store, cells, folder)
            elif k == "selector":
                written += plots.selector_plot(store, cells, folder)
            else:
                chosen = [c for c in cells if c.block == "selector"]
                run = run_id or (chosen[0].run_id if chosen else None)
                if run is None:
                    raise BadInput("the budget plot needs --run RUN or a grid with a `selector` block")
                from_grid = [c.selector for c in chosen if c.run_id == run and c.selector != "oracle"]
                names = selectors or from_grid or ["first", "majority", "hybrid-verified"]
                written += plots.budget_plot(store, run, names, folder)
    console.print(f"written: {', '.join(map(str, written))}", soft_wrap=True)


@app.command("submit")
def submit_cmd(
    run_id: str = typer.Option(..., "--run", help="A stored, evaluated rollout run."),
    selector: str = typer.Option(..., "--selector", "-s", help="Any selector but the oracle."),
    split: str = typer.Option(..., "--split", help="verified | lite (or a local benchmark: swe-mini)."),
    name: str = typer.Option(..., "--name", help="Submission name (letters, digits, . _ -): the folder is "
                             "<YYYYMMDD>_<name>."),
    author: list[str] = typer.Option(..., "--author", help="metadata info.authors; repeat for each."),
    open_model: bool = typer.Option(..., "--open-model/--closed-model", help="metadata tags.os_model: are "
                                    "the model's weights public? No default: say which."),
    open_system: bool = typer.Option(..., "--open-system/--closed-system", help="metadata tags.os_system: "
                                     "is the agent system's code public? No default: say which."),
    org: list[str] = typer.Option([], "--org", help="metadata tags.org; repeat for each."),
    site: str = typer.Option("", "--site", help="metadata info.site: the page the leaderboard links."),
    logo: str = typer.Option("", "--logo", help="metadata info.logo: an image URL."),
    report: str = typer.Option("https://arxiv.org/abs/2509.12434", "--report",
                               help="metadata info.report: the system's paper or write-up."),
    budget: int | None = typer.Option(None, "--budget", "-k", min=1),
    out: Path | None = typer.Option(None, "--out", help="Folder (default <workspace>/submissions)."),
    db: Path = DbOpt,
) -> None:
    """Write the SWE-bench experiments folder (and the sb-cli predictions file) for a run."""
    from harness.errors import BadInput
    from harness.store import Store
    from harness.submit import Metadata, submit

    if not db.exists():
        raise BadInput(f"no store at {db}")
    meta = Metadata(open_model, open_system, tuple(author), site, logo, tuple(org), report)
    with Store(db) as store:
        folder = submit(store, run_id, selector, split, name, meta, budget, out)
    console.print(f"submission: {folder} (sb-cli predictions: {folder / 'preds.json'})", soft_wrap=True)
