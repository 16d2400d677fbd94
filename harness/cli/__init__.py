"""The `harness` command: one typer app (`app.py`) and the modules that register its commands, in
the order `--help` lists them."""

from harness.cli import commands  # noqa: F401

# isort: split
from harness.cli import analysis, cluster, selection  # noqa: F401
from harness.cli.app import app
from harness.cli.commands import main

__all__ = ["app", "main"]
