"""The paper's main table from a grid's `main` cells: per method, a single attempt (pass@1 over the
run's N samples) and best-of-N with the cell's selector; per benchmark our value with its 95%
bootstrap interval, its cost (selection included), and the reference value with its source
(results/reference/paper.csv; "not reported" where no readable source gives one). Markdown, CSV,
LaTeX; every row names the run it comes from."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from analysis.grid import Cell
from analysis.runs import cost, pass_curve, samples, selected_at_k
from harness.store import Store
from harness.store import eval_id as eval_id_of

REFERENCE = Path(__file__).parents[1] / "results" / "reference" / "paper.csv"


@dataclass(frozen=True)
class Row:
    method: str
    label: str
    attempt: str
    benchmark: str
    value: float
    low: float
    high: float
    instances: int
    tokens: int  # what this attempt cost: one sample per task for `single`, all N plus selection
    hours: float
    reference: float | None
    source: str
    run_id: str


def main_rows(store: Store, cells: Sequence[Cell], reference: Path = REFERENCE) -> list[Row]:
    """Two rows per `main` cell (single attempt, best-of-N), in grid order."""
    refs = _reference(reference)
    rows = []
    for cell in (c for c in cells if c.block == "main"):
        run_id, eval_id = cell.run_id, eval_id_of(cell.run_id, cell.config.evaluator)
        single = pass_curve(samples(store, run_id, eval_id), [1])[1]
        best = selected_at_k(store, run_id, cell.selector, cell.budget, eval_id=eval_id)
        spent = cost(store, run_id)
        label = refs.get((cell.method, "label"), (None, cell.method))[1]
        for attempt, estimate, tokens, hours in (
            ("single", single, spent.tokens // cell.budget, spent.agent_hours / cell.budget),
            (f"best-of-{cell.budget} {cell.selector}", best, spent.tokens + spent.verifier_tokens,
             spent.agent_hours + spent.regression_hours),
        ):
            kind = "single" if attempt == "single" else "best"
            value, source = refs.get((cell.method, kind, cell.benchmark), (None, "not reported"))
            rows.append(Row(cell.method, label, attempt, cell.benchmark, estimate.value, estimate.low,
                            estimate.high, estimate.n, tokens, hours, value, source, run_id))
    return rows


def _reference(path: Path) -> dict[tuple, tuple[float | None, str]]:
    """(method, single|best, benchmark) -> (value, source) and (method, "label") -> (None, label)."""
    found: dict[tuple, tuple[float | None, str]] = {}
    with path.open() as f:
        for r in csv.DictReader(f):
            kind = "single" if r["attempt"] == "single" else "best"
            value = float(r["value"]) if r["value"] else None
            source = f"{r['source']} ({r['attempt']})" if value is not None else "not reported"
            found[(r["method"], kind, r["benchmark"])] = (value, source)
            found[(r["method"], "label")] = (None, r["label"])
    return found


def _ours(r: Row) -> str:
    return f"{100 * r.value:.1f} [{100 * r.low:.1f}, {100 * r.high:.1f}]"


def _ref(r: Row) -> str:
    return "not reported" if r.reference is None else f"{r.reference:g}"


def _cost(r: Row) -> str:
    return f"{r.tokens / 1e6:.2f}M tok, {r.hours:.2f} h"


def to_markdown(rows: Sequence[Row]) -> str:
    head = ("| method | attempt | benchmark | ours (95% CI) | cost | reference | source | run |\n"
            "|---|---|---|---|---|---|---|---|\n")
    return head + "".join(f"| {r.label} | {r.attempt} | {r.benchmark} | {_ours(r)} | {_cost(r)} | "
                          f"{_ref(r)} | {r.source} | {r.run_id} |\n" for r in rows)


def to_csv(rows: Sequence[Row]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(Row.__dataclass_fields__))
    writer.writeheader()
    writer.writerows(asdict(r) for r in rows)
    return out.getvalue()


def to_latex(rows: Sequence[Row]) -> str:
    esc = lambda s: s.replace("&", r"\&").replace("_", r"\_").replace("%", r"\%")  # noqa: E731
    lines = [r"\begin{tabular}{lllrrl}", r"\toprule",
             r"Method & Attempt & Benchmark & Ours (95\% CI) & Cost & Reference \\", r"\midrule"]
    lines += [f"{esc(r.label)} & {esc(r.attempt)} & {esc(r.benchmark)} & {_ours(r)} & {esc(_cost(r))} & "
              f"{esc(_ref(r))} \\\\" for r in rows]
    return "\n".join([*lines, r"\bottomrule", r"\end{tabular}", ""])


def write_tables(rows: Sequence[Row], out: Path) -> list[Path]:
    """main.md, main.csv and main.tex under `out`."""
    from harness.files import write_atomic

    paths = [out / "main.md", out / "main.csv", out / "main.tex"]
    for path, text in zip(paths, (to_markdown(rows), to_csv(rows), to_latex(rows)), strict=True):
        write_atomic(path, text)
    return paths


