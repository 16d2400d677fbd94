"""Grids: cells from YAML blocks, checks before any work, status from the store, only missing cells
run; the main table from a constructed store, in Markdown, CSV and LaTeX, beside the references."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from analysis.grid import cell_status, load_grid, run_grid
from analysis.tables import main_rows, to_csv, to_latex, to_markdown
from harness.errors import BadInput
from harness.records import EvaluationRow, RolloutRow, RunRow, SelectionRow, SignalRow
from harness.store import Store

GRID = """
name: tiny
set: [sandbox=local]
blocks:
  - {name: main, method: [base, entropo], benchmark: [swebench-verified], budget: [2],
     selector: [hybrid-verified]}
  - {name: selector, method: [entropo], benchmark: [swebench-verified], budget: [2],
     selector: [first, oracle]}
  - {name: alpha, method: [entropo], benchmark: [swebench-verified], budget: [2], alpha: [0.2]}
"""


def write(tmp_path: Path, text: str = GRID) -> Path:
    path = tmp_path / "grid.yaml"
    path.write_text(text)
    return path


def test_cells_are_the_product_of_each_block_and_selectors_share_rollouts(tmp_path: Path) -> None:
    spec, cells = load_grid(write(tmp_path))
    assert spec.name == "tiny"
    assert [c.block for c in cells] == ["main", "main", "selector", "selector", "alpha"]
    main_entropo, first, oracle, alpha = cells[1:]
    assert main_entropo.run_id == first.run_id == oracle.run_id != alpha.run_id
    assert alpha.config.method_options["alpha"] == 0.2 and main_entropo.config.sandbox == "local"
    assert main_entropo.config.budget == 2 and main_entropo.config.benchmark == "swebench-verified"


def test_the_shipped_grids_load() -> None:
    for name, cells, runs in (("smoke", 23, 13), ("entropy", 15, 15), ("paper", 37, 27)):
        _, found = load_grid(name)
        assert (len(found), len({c.run_id for c in found})) == (cells, runs)


@pytest.mark.parametrize(("block", "message"), [
    ("{method: [base], alpha: [0.2]}", "base trains nothing, so it has no α to set"),
    ("{method: [dpo], alpha: [0.2]}", "unknown option.*alpha"),
    ("{method: [entropo], selector: [bset]}", "unknown selector 'bset'"),
    ("{method: [nope]}", "unknown method 'nope'"),
    ("{method: [base], budgett: [2]}", "is not valid"),
])
def test_bad_grids_fail_before_any_work(tmp_path: Path, block: str, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        load_grid(write(tmp_path, f"name: bad\nblocks:\n  - {block}\n"))


def store_cell(store: Store, run_id: str, outcomes: dict[tuple[str, int], bool]) -> None:
    rows: list = [RunRow(run_id, "rollout", "swebench-verified", {}, "h", "sha", {})]
    for (iid, k), ok in outcomes.items():
        rows += [RolloutRow(run_id, iid, k, "finished", 5, "--- a/x\n+++ b/x\n", "", 1000, 500, 10.0, 8.0, k),
                 SignalRow(run_id, iid, k, "verifier", 0.9 if ok else 0.2, {"tokens": 300}),
                 EvaluationRow(f"{run_id}.fast", iid, k, "fast", run_id, "resolved" if ok else "unresolved",
                               ok, "", "", 0, 0, 0, 0, 0.0, "")]
    store.write(rows)


def test_status_and_running_only_the_missing_cells(tmp_store: Store, tmp_path: Path, monkeypatch) -> None:
    _, cells = load_grid(write(tmp_path))
    base, entropo = cells[0], cells[1]
    assert cell_status(tmp_store, base) == "missing"
    store_cell(tmp_store, base.run_id, {("a", 0): True, ("a", 1): False})
    assert cell_status(tmp_store, base) == "partial (2 rollouts, 2 judged)"
    tmp_store.write([SelectionRow(base.run_id, "hybrid-verified", 2, 0, "a", 0)])
    assert cell_status(tmp_store, base) == "done"
    ran = []
    monkeypatch.setattr("harness.pipeline.run", lambda ctx: ran.append(ctx.config.run_id()))
    told = []
    before = run_grid(write(tmp_path), tmp_store, on_cell=lambda i, cell, status: told.append((i, status)))
    assert [s for _, s in before] == ["done", "missing", "missing", "missing", "missing"]
    assert told == list(enumerate(s for _, s in before))
    assert ran == [entropo.run_id] * 3 + [cells[4].run_id]  # each call resumes the same stored run


def test_main_table_beside_the_references(tmp_store: Store, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    _, cells = load_grid(write(tmp_path))
    store_cell(tmp_store, cells[0].run_id, {("a", 0): False, ("a", 1): False, ("b", 0): True,
                                            ("b", 1): False})
    store_cell(tmp_store, cells[1].run_id, {("a", 0): False, ("a", 1): True, ("b", 0): True,
                                            ("b", 1): True})
    rows = main_rows(tmp_store, cells)
    got = [(r.method, r.attempt, r.value, r.reference) for r in rows]
    assert got == [("base", "single", 0.25, 37.4), ("base", "best-of-2 hybrid-verified", 0.5, None),
                   ("entropo", "single", 0.75, 51.6), ("entropo", "best-of-2 hybrid-verified", 1.0, 59.8)]
    assert rows[0].tokens == 3000 and rows[1].tokens == 6000 + 1200  # N samples plus the verifier's reading
    # paired against base: pass@1 per task a 0 -> 0.5, b 0.5 -> 1 (sign flips: 2 of 4 reach |0.5|);
    # best-of-2: entropo alone resolves a, one discordant task (McNemar p = 1)
    assert [r.p_vs_base for r in rows] == [None, None, 0.5, 1.0]
    assert rows[1].source == "not reported" and rows[2].label == "SFT + ENTROPO-KTO"
    assert "released ENTROPO README" in rows[2].source and rows[2].run_id == cells[1].run_id
    md = to_markdown(rows)
    assert md.count("\n") == 6 and "| SFT + ENTROPO-KTO | single | swebench-verified | 75.0 [" in md
    assert "| 0.500 |" in md and "| – |" in md
    parsed = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert len(parsed) == 4 and parsed[3]["reference"] == "59.8" and parsed[1]["reference"] == ""
    tex = to_latex(rows)
    assert tex.startswith(r"\begin{tabular}") and "best-of-2 hybrid-verified" in tex
    assert r"95\%" in tex and tex.count(r"\\") == 5



def test_status_and_table_commands(cli, tmp_path: Path) -> None:
    folder = tmp_path / ("a-long-folder-name-" * 12)  # wider than any terminal: lines must not wrap
    folder.mkdir()
    path = write(folder)
    _, cells = load_grid(path)
    with Store(tmp_path / "db.duckdb") as store:
        for cell in cells[:2]:
            store_cell(store, cell.run_id, {("a", 0): True, ("a", 1): False})
        store.write([SelectionRow(cells[0].run_id, "hybrid-verified", 2, 0, "a", 0)])
    status = cli("grid", "status", str(path), "--db", "db.duckdb")
    assert status.returncode == 0 and f"grid {path}: 1/5 cells done" in status.stdout.splitlines()
    table = cli("table", str(path), "--db", "db.duckdb")
    assert table.returncode == 0, table.stderr
    assert "| SFT + ENTROPO-KTO | single | swebench-verified | 50.0 [" in table.stdout
    assert sorted(p.name for p in (tmp_path / "tables" / "tiny").iterdir()) == [
        "main.csv", "main.md", "main.tex"]
    missing = cli("table", str(path), "--db", "nope.duckdb")
    assert missing.returncode == 2 and "no store at nope.duckdb" in missing.stderr
