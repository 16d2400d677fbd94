"""The paper's main table from a grid's `main` cells: per method, a single attempt (pass@1 over the
run's N samples) and best-of-N with the cell's selector; per benchmark our value with its 95%
bootstrap interval, a paired p-value against the base row on the same tasks (best-of-N: McNemar's
exact test on each task's chosen sample; single attempt: a sign-flip test on each task's pass@1, since
a task's samples are not independent pairs), its cost (selection included), and the reference value
with its source (results/reference/paper.csv; "not reported" where no readable source gives one).
Markdown, CSV, LaTeX; every row names the run it comes from."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from analysis.grid import Cell
from analysis.metrics import bootstrap, paired, sign_flip_p
from analysis.runs import cost, pass1_per_instance, samples, selected_per_instance
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
    p_vs_base: float | None  # None: the base row itself, or no base row for this benchmark and budget
    tokens: int  # what this attempt cost: one sample per task for `single`, all N plus selection
    hours: float
    reference: float | None
    source: str
    run_id: str


def main_rows(store: Store, cells: Sequence[Cell], reference: Path = REFERENCE) -> list[Row]:
    """Two rows per `main` cell (single attempt, best-of-N), in grid order."""
    refs = _reference(reference)
    main = [c for c in cells if c.block == "main"]
    outcomes = {id(c): _outcomes(store, c) for c in main}
    rows = []
    for cell in main:
        base = next((c for c in main if c.method == "base" and c is not cell
                     and (c.benchmark, c.budget) == (cell.benchmark, cell.budget)), None)
        spent = cost(store, cell.run_id)
        label = refs.get((cell.method, "label"), (None, cell.method))[1]
        for kind, attempt, tokens, hours in (
            ("single", "single", spent.tokens // cell.budget, spent.agent_hours / cell.budget),
            ("best", f"best-of-{cell.budget} {cell.selector}", spent.tokens + spent.verifier_tokens,
             spent.agent_hours + spent.regression_hours),
        ):
            ours = outcomes[id(cell)][kind]
            estimate = bootstrap([ours[i] for i in sorted(ours)])
            p = None if base is None else _p_value(kind, ours, outcomes[id(base)][kind])
            value, source = refs.get((cell.method, kind, cell.benchmark), (None, "not reported"))
            rows.append(Row(cell.method, label, attempt, cell.benchmark, estimate.value, estimate.low,
                            estimate.high, estimate.n, p, tokens, hours, value, source, cell.run_id))
    return rows


def _outcomes(store: Store, cell: Cell) -> dict[str, dict[str, float]]:
    """Per task: pass@1 over the run's samples (single) and whether the selector's pick resolves (best)."""
    eval_id = eval_id_of(cell.run_id, cell.config.evaluator)
    return {"single": pass1_per_instance(samples(store, cell.run_id, eval_id)),
            "best": selected_per_instance(store, cell.run_id, cell.selector, cell.budget, eval_id=eval_id)}


def _p_value(kind: str, ours: dict[str, float], base: dict[str, float]) -> float:
    """Paired on the tasks both runs have: McNemar for the binary best-of-N, sign-flip for pass@1."""
    tasks = sorted(ours.keys() & base.keys())
    if kind == "best":
        return paired([ours[t] >= 1 for t in tasks], [base[t] >= 1 for t in tasks]).mcnemar_p
    return sign_flip_p([ours[t] - base[t] for t in tasks])


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


def _p(r: Row) -> str:
    return "–" if r.p_vs_base is None else f"{r.p_vs_base:.3f}"


def _cost(r: Row) -> str:
    return f"{r.tokens / 1e6:.2f}M tok, {r.hours:.2f} h"


def to_markdown(rows: Sequence[Row]) -> str:
    head = ("| method | attempt | benchmark | ours (95% CI) | p vs base | cost | reference | source | run |\n"
            "|---|---|---|---|---|---|---|---|---|\n")
    return head + "".join(f"| {r.label} | {r.attempt} | {r.benchmark} | {_ours(r)} | {_p(r)} | {_cost(r)} | "
                          f"{_ref(r)} | {r.source} | {r.run_id} |\n" for r in rows)


def to_csv(rows: Sequence[Row]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(Row.__dataclass_fields__))
    writer.writeheader()
    writer.writerows(asdict(r) for r in rows)
    return out.getvalue()


def to_latex(rows: Sequence[Row]) -> str:
    esc = lambda s: s.replace("&", r"\&").replace("_", r"\_").replace("%", r"\%")  # noqa: E731
    lines = [r"\begin{tabular}{lllrrrl}", r"\toprule",
             r"Method & Attempt & Benchmark & Ours (95\% CI) & $p$ vs base & Cost & Reference \\",
             r"\midrule"]
    lines += [f"{esc(r.label)} & {esc(r.attempt)} & {esc(r.benchmark)} & {_ours(r)} & {_p(r)} & "
              f"{esc(_cost(r))} & {esc(_ref(r))} \\\\" for r in rows]
    return "\n".join([*lines, r"\bottomrule", r"\end{tabular}", ""])


def write_tables(rows: Sequence[Row], out: Path) -> list[Path]:
    """main.md, main.csv and main.tex under `out`."""
    from harness.files import write_atomic

    paths = [out / "main.md", out / "main.csv", out / "main.tex"]
    for path, text in zip(paths, (to_markdown(rows), to_csv(rows), to_latex(rows)), strict=True):
        write_atomic(path, text)
    return paths


