"""The paper's entropy claim, measured over seeds: for each method of a grid's `seeds` block, per seed
the sampled tokens' entropy estimate (−mean log-prob under the policy), distinct normalised patches
per task and pass@k for k = 1..N, then their mean and spread over seeds, as Markdown and CSV
(analysis.plots.seeds_plot draws the pass@k curves)."""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from analysis.grid import Cell
from analysis.runs import diversity, pass_curve, samples
from harness.errors import BadInput
from harness.store import Store

BLOCK = "seeds"


@dataclass(frozen=True)
class SeedRow:
    """One method at one seed: what its test rollouts show."""

    method: str  # the method and its variant (Cell.name)
    seed: int
    run_id: str
    entropy: float | None  # −mean log-prob of the sampled tokens (nats); None without log-probs
    distinct: float  # distinct normalised non-empty patches per task
    pass_at: tuple[float, ...]  # pass@k for k = 1..N, averaged over tasks


@dataclass(frozen=True)
class Spread:
    mean: float
    sd: float  # sample standard deviation over seeds (0 for one seed)

    def __str__(self) -> str:
        return f"{self.mean:.3f} ± {self.sd:.3f}"


def seed_rows(store: Store, cells: Sequence[Cell]) -> list[SeedRow]:
    """A row per `seeds` cell's rollout run (cells that differ only in their selector count once), in
    grid order."""
    chosen = {c.run_id: c for c in cells if c.block == BLOCK}
    if not chosen:
        raise BadInput(f"the grid has no `{BLOCK}` block")
    rows = []
    for run_id, cell in chosen.items():
        df = samples(store, run_id)
        found = diversity(df)
        curve = pass_curve(df)
        rows.append(SeedRow(cell.name, cell.seed, run_id, found.entropy, found.distinct_patches,
                            tuple(curve[k].value for k in sorted(curve))))
    return rows


def spread(values: Sequence[float]) -> Spread:
    return Spread(statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0)


def by_method(rows: Sequence[SeedRow]) -> dict[str, list[SeedRow]]:
    """Rows grouped by method, in first-seen order."""
    grouped: dict[str, list[SeedRow]] = {}
    for row in rows:
        grouped.setdefault(row.method, []).append(row)
    return grouped


def to_markdown(rows: Sequence[SeedRow], ks: Sequence[int] = (1, 4, 16)) -> str:
    """Per method: seeds, entropy, distinct patches and pass@k (mean ± sd over seeds)."""
    ks = [k for k in ks if k <= min(len(r.pass_at) for r in rows)]
    head = ("| method | seeds | −mean log-prob (nats) | distinct patches / task | "
            + " | ".join(f"pass@{k} (%)" for k in ks) + " |\n|---|---|---|---|" + "---|" * len(ks) + "\n")
    lines = []
    for method, group in by_method(rows).items():
        entropies = [r.entropy for r in group if r.entropy is not None]
        cells = [", ".join(str(r.seed) for r in group), str(spread(entropies)) if entropies else "—",
                 str(spread([r.distinct for r in group]))]
        cells += [_percent(spread([r.pass_at[k - 1] for r in group])) for k in ks]
        lines.append(f"| {method} | " + " | ".join(cells) + " |\n")
    return head + "".join(lines)


def to_csv(rows: Sequence[SeedRow]) -> str:
    """One line per (method, seed) with every pass@k."""
    out = io.StringIO()
    n = min(len(r.pass_at) for r in rows)
    writer = csv.writer(out)
    passes = [f"pass@{k}" for k in range(1, n + 1)]
    writer.writerow(["method", "seed", "run_id", "entropy", "distinct", *passes])
    for r in rows:
        writer.writerow([r.method, r.seed, r.run_id, r.entropy, r.distinct, *r.pass_at[:n]])
    return out.getvalue()


def write_seed_tables(rows: Sequence[SeedRow], out: Path) -> list[Path]:
    """seeds.md and seeds.csv under `out`."""
    from harness.files import write_atomic

    paths = [out / "seeds.md", out / "seeds.csv"]
    for path, text in zip(paths, (to_markdown(rows), to_csv(rows)), strict=True):
        write_atomic(path, text)
    return paths


def _percent(s: Spread) -> str:
    return f"{100 * s.mean:.1f} ± {100 * s.sd:.1f}"
