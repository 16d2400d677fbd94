"""Plots from a constructed store: which cells each sweep plots, and every kind written as PNG and PDF
(through the CLI, as users run it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_grid import store_cell

from analysis.grid import load_grid
from analysis.plots import LINES, MARKERS, _style, _sweep
from harness.store import Store

GRID = """
name: plots
set: [sandbox=local]
blocks:
  - {name: main, method: [entropo], benchmark: [swebench-verified], budget: [4],
     selector: [hybrid-verified]}
  - {name: alpha, method: [entropo], benchmark: [swebench-verified], budget: [4], alpha: [0.1, 0.2],
     selector: [hybrid-verified]}
  - {name: alpha, method: [entropo], benchmark: [swebench-verified], budget: [4], alpha: [0.1, 0.11],
     selector: [hybrid-verified], set: [method_options.value_form=implicit]}
  - {name: temperature, method: [entropo], benchmark: [swebench-verified], budget: [4],
     temperature: [1.2], selector: [hybrid-verified]}
  - {name: selector, method: [entropo], benchmark: [swebench-verified], budget: [4],
     selector: [first, majority, oracle]}
"""
OUTCOMES = {(i, k): (ord(i) + k) % 3 == 0 for i in "abcdef" for k in range(4)}


@pytest.fixture
def grid(tmp_path: Path) -> Path:
    path = tmp_path / "plots.yaml"
    path.write_text(GRID)
    with Store(tmp_path / "db.duckdb") as store:
        for run_id in {c.run_id for c in load_grid(path)[1]}:
            store_cell(store, run_id, OUTCOMES)
    return path


def test_sweeps_take_the_block_and_the_main_cell_at_the_default(grid: Path) -> None:
    _, cells = load_grid(grid)
    alphas = _sweep(cells, "alpha", lambda c: c.alpha if c.alpha is not None else 0.11)
    assert [(x, c.block) for x, c in alphas["entropo"]] == [(0.1, "alpha"), (0.11, "main"), (0.2, "alpha")]
    # a variant is its own series: main's cell (released form) is not in it, and its run ids are its own
    implicit = alphas["entropo (value_form=implicit)"]
    assert [(x, c.block) for x, c in implicit] == [(0.1, "alpha"), (0.11, "alpha")]
    assert {c.run_id for _, c in implicit}.isdisjoint(c.run_id for _, c in alphas["entropo"])
    assert implicit[0][1].config.method_options["value_form"] == "implicit"
    temps = _sweep(cells, "temperature", lambda c: c.temperature)
    assert [(x, c.block) for x, c in temps["entropo"]] == [(0.7, "main"), (1.2, "temperature")]


def test_no_two_series_share_a_marker_and_a_line_style() -> None:
    # the budget plot draws pass@k and ten selectors: its 1st and 9th series once looked the same
    n = len(MARKERS) * len(LINES)
    assert len({(_style(i)["marker"], _style(i)["linestyle"]) for i in range(n)}) == n


def test_every_plot_is_written_as_png_and_pdf(cli, grid: Path, tmp_path: Path) -> None:
    done = cli("plot", "all", "--grid", str(grid), "--db", "db.duckdb")
    assert done.returncode == 0, done.stderr
    for kind in ("alpha", "temperature", "selector", "budget", "diversity"):
        folder = tmp_path / "figures" / "plots"
        png, pdf = folder / f"{kind}.png", folder / f"{kind}.pdf"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and pdf.read_bytes()[:5] == b"%PDF-", kind
    bad = cli("plot", "bogus", "--grid", str(grid), "--db", "db.duckdb")
    assert bad.returncode == 2 and "unknown plot 'bogus'" in bad.stderr
