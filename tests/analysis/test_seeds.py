"""The entropy experiment's numbers on a constructed store: per (method, seed) the entropy estimate,
distinct patches and pass@k, their mean ± sd over seeds checked by hand, and `harness seeds` writing
its tables and plot."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.grid import load_grid
from analysis.seeds import seed_rows, spread, to_csv, to_markdown
from harness.errors import BadInput
from harness.records import EvaluationRow, RolloutRow, RunRow, SignalRow
from harness.store import Store

GRID = """
name: seeds-test
set: [sandbox=local]
blocks:
  - {name: main, method: [entropo], benchmark: [swebench-verified], budget: [2], selector: [oracle]}
  - {name: seeds, method: [sft-kto, entropo], benchmark: [swebench-verified], budget: [2],
     selector: [first, oracle], seed: [0, 1]}
  - {name: seeds, method: [entropo], benchmark: [swebench-verified], budget: [2], selector: [first],
     set: [method_options.value_form=implicit]}
"""


def patch(n: int) -> str:
    return f"--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-x = 0\n+x = {n}\n"


# (method and variant, seed) -> per (task, sample): (resolved, patch number or None for empty, mean log-prob)
RUNS = {
    ("sft-kto", 0): {("a", 0): (True, 1, -0.2), ("a", 1): (True, 1, -0.2),
                     ("b", 0): (False, None, -0.2), ("b", 1): (False, 2, -0.2)},
    ("sft-kto", 1): {("a", 0): (False, 1, -0.4), ("a", 1): (True, 1, -0.4),
                     ("b", 0): (False, 3, -0.4), ("b", 1): (False, 3, -0.4)},
    ("entropo (value_form=implicit)", 0): {("a", 0): (True, 1, -0.5), ("a", 1): (False, 2, -0.5),
                                           ("b", 0): (False, 3, -0.5), ("b", 1): (False, None, -0.5)},
    ("entropo", 0): {("a", 0): (True, 1, -0.6), ("a", 1): (True, 2, -0.6),
                     ("b", 0): (True, 3, -0.6), ("b", 1): (False, 4, -0.6)},
    ("entropo", 1): {("a", 0): (False, 1, -1.0), ("a", 1): (True, 2, -1.0),
                     ("b", 0): (False, 3, -1.0), ("b", 1): (True, 4, -1.0)},
}


@pytest.fixture
def grid(tmp_path: Path) -> Path:
    path = tmp_path / "seeds-test.yaml"
    path.write_text(GRID)
    _, cells = load_grid(path)
    with Store(tmp_path / "db.duckdb") as store:
        for cell in {c.run_id: c for c in cells if c.block == "seeds"}.values():
            rows: list = [RunRow(cell.run_id, "rollout", "swebench-verified", {}, "h", "sha", {})]
            for (iid, k), (ok, n, logprob) in RUNS[(cell.name, cell.seed)].items():
                rows += [RolloutRow(cell.run_id, iid, k, "finished", 5, "" if n is None else patch(n), "",
                                    100, 50, 1.0, 1.0, k),
                         SignalRow(cell.run_id, iid, k, "mean_logprob", logprob, {}),
                         EvaluationRow(f"{cell.run_id}.fast", iid, k, "fast", cell.run_id,
                                       "resolved" if ok else "unresolved", ok, "", "", 0, 0, 0, 0, 0.0, "")]
            store.write(rows)
    return path


def test_each_seed_run_counted_once_with_hand_computed_numbers(grid: Path, tmp_path: Path) -> None:
    _, cells = load_grid(grid)
    with Store(tmp_path / "db.duckdb", read_only=True) as store:
        rows = seed_rows(store, cells)
    assert [(r.method, r.seed) for r in rows] == [
        ("sft-kto", 0), ("sft-kto", 1), ("entropo", 0), ("entropo", 1), ("entropo (value_form=implicit)", 0)]
    kto0, kto1, ent0, ent1, implicit = rows
    assert (kto0.entropy, kto0.distinct, kto0.pass_at) == (pytest.approx(0.2), 1.0, (0.5, 0.5))
    # sft-kto seed 1: a 1 of 2 (pass@2 = 1), b 0 of 2; patches a: {1}, b: {3}
    assert (kto1.distinct, kto1.pass_at) == (1.0, (0.25, 0.5))
    assert (ent0.distinct, ent0.pass_at) == (2.0, (0.75, 1.0))
    assert (ent1.entropy, ent1.pass_at) == (pytest.approx(1.0), (0.5, 1.0))
    assert (implicit.distinct, implicit.pass_at) == (1.5, (0.25, 0.5))  # a variant is a row of its own
    table = to_markdown(rows, ks=(1, 2, 16))  # 16 > N: dropped
    assert "pass@16" not in table
    assert "| sft-kto | 0, 1 | 0.300 ± 0.141 | 1.000 ± 0.000 | 37.5 ± 17.7 | 50.0 ± 0.0 |" in table
    assert "| entropo | 0, 1 | 0.800 ± 0.283 | 2.000 ± 0.000 | 62.5 ± 17.7 | 100.0 ± 0.0 |" in table
    assert ("| entropo (value_form=implicit) | 0 | 0.500 ± 0.000 | 1.500 ± 0.000 | 25.0 ± 0.0 | 50.0 ± 0.0 |"
            in table)
    assert to_csv(rows).splitlines()[1].startswith("sft-kto,0,")
    assert (spread([0.5]).mean, spread([0.5]).sd) == (0.5, 0.0)


def test_the_command_writes_tables_and_the_plot_and_a_grid_without_seeds_is_refused(
    cli, grid: Path, tmp_path: Path
) -> None:
    done = cli("seeds", str(grid), "--db", "db.duckdb")
    assert done.returncode == 0, done.stderr
    assert "| entropo | 0, 1 |" in done.stdout
    assert (tmp_path / "tables" / "seeds-test" / "seeds.csv").read_text().count("\n") == 6
    assert (tmp_path / "figures" / "seeds-test" / "passk_seeds.png").read_bytes()[:4] == b"\x89PNG"
    with Store(tmp_path / "db.duckdb", read_only=True) as store, pytest.raises(BadInput, match="no `seeds`"):
        seed_rows(store, [c for c in load_grid(grid)[1] if c.block == "main"])
