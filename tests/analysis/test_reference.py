"""The reference numbers: every cell cites a source, unreported cells carry no value, and the values
are PAPER.md's."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from harness import registry

REFERENCE = Path(__file__).parents[2] / "results" / "reference"


def test_every_paper_cell_cites_its_source_and_unreported_cells_are_empty() -> None:
    cells = pl.read_csv(REFERENCE / "paper.csv")
    assert set(cells["method"]) <= set(registry.names("method"))
    assert cells.group_by("method", "attempt", "benchmark").len()["len"].max() == 1  # one cell each
    assert len(cells) == 6 * 2 * 2  # base, sft, dpo, kto, entropo-dpo, entropo x single/best-of-16 x 2
    for row in cells.iter_rows(named=True):
        assert row["source"], row
        assert (row["value"] is None) == (row["source"] == "not reported"), row
    reported = {(r["method"], r["attempt"], r["benchmark"]): r["value"]
                for r in cells.filter(pl.col("value").is_not_null()).iter_rows(named=True)}
    assert reported == {  # PAPER.md, "Numbers to reproduce"
        ("base", "single", "swebench-verified"): 37.4, ("base", "single", "swebench-lite"): 28.0,
        ("sft", "single", "swebench-verified"): 43.8, ("sft", "single", "swebench-lite"): 33.67,
        ("entropo", "single", "swebench-verified"): 51.6, ("entropo", "single", "swebench-lite"): 44.67,
        ("entropo", "best-of-16 hybrid", "swebench-verified"): 59.8,
        ("entropo", "best-of-16 hybrid", "swebench-lite"): 49.33,
    }


def test_leaderboard_rows_cite_their_source() -> None:
    rows = pl.read_csv(REFERENCE / "leaderboard.csv")
    assert len(rows) == 12 and rows["source"].null_count() == 0 and rows["value"].null_count() == 0
