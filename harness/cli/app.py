"""The `harness` app and what its command modules share: options, the console, the --debug state."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

from harness.store import DEFAULT_DB

app = typer.Typer(add_completion=False, no_args_is_help=True, help="ENTROPO reproduction harness.")
images_app = typer.Typer(no_args_is_help=True, help="Build, pull and prune instance images.")
sandbox_app = typer.Typer(no_args_is_help=True, help="Sandbox maintenance.")
app.add_typer(images_app, name="images")
app.add_typer(sandbox_app, name="sandbox")
console = Console()
STATE = {"debug": False}


def notice(line: str) -> None:
    """A fact a run tells its user before its results (a run context's `notify`): contamination, ..."""
    head, sep, rest = line.partition(": ")
    console.print(f"[yellow]{escape(head)}{sep}[/]{escape(rest)}", soft_wrap=True, highlight=False)

DbOpt = typer.Option(DEFAULT_DB, "--db", help="DuckDB results file.")
WorkersOpt = typer.Option(2, "--workers", "-w", min=1, help="Parallel sandboxes.")
ExecutorOpt = typer.Option(None, "--executor", help="local (threads here) | ray (tasks on a Ray cluster: "
                           "executor_options.address or RAY_ADDRESS).")
ConfigOpt = typer.Option(None, "--config", "-C",
                         help="Run config: a YAML path or a shipped config's name (default: `default`).")
OverrideOpt = typer.Option(None, "--set", "-c", help="key=value override, dotted for nesting; repeatable.")
