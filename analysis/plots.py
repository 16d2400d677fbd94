"""The paper's ablation plots from a grid (PNG and PDF, one style, readable in grayscale: every series
has its own marker and line style): resolve rate vs the entropy coefficient α, vs temperature, per
selector with `first` and the oracle as bounds, diversity vs α; and budget scaling (pass@k and
selected@k per selector, k = 1, 2, 4, .., N on a log2 axis) for one run; pass@k over seeds per method (the
entropy experiment, analysis.seeds)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import fields
from pathlib import Path

from analysis.grid import Cell
from analysis.metrics import Estimate
from analysis.runs import diversity, pass_curve, samples, selected_at_k
from analysis.seeds import SeedRow, by_method
from harness.errors import BadInput
from harness.store import Store
from harness.store import eval_id as eval_id_of

KINDS = ("alpha", "temperature", "selector", "budget", "diversity")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINES = ("-", "--", ":", "-.")


def _panels(titles: Sequence[str], xlabel: str, ylabels: Sequence[str], width: float = 5.5):
    """A figure of side-by-side panels (`width` inches each) sharing one x label."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 10, "axes.grid": True, "grid.alpha": 0.3, "figure.dpi": 120})
    fig, axes = plt.subplots(1, len(titles), figsize=(width * len(titles), 3.6), squeeze=False)
    for ax, title, ylabel in zip(axes[0], titles, ylabels, strict=True):
        ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
        if ylabel.endswith("(%)"):
            ax.set_ylim(-2, 102)
    return fig, list(axes[0])


def _axes(title: str, xlabel: str, ylabel: str = "resolved (%)", width: float = 5.5):
    fig, (ax,) = _panels([title], xlabel, [ylabel], width)
    return fig, ax


def _legend(ax, series_of=None) -> None:
    """The legend (of `series_of`'s series, default `ax`'s) right of `ax`, where it hides no point
    however many series there are."""
    handles, labels = (series_of or ax).get_legend_handles_labels()
    ax.legend(handles, labels, fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0)


def _save(fig, out: Path, name: str) -> list[Path]:
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{name}.png", out / f"{name}.pdf"]
    fig.tight_layout()
    for path in paths:
        fig.savefig(path, bbox_inches="tight")
    plt.close(fig)
    return paths


def _style(i: int) -> dict:
    """Series `i`'s marker, line style and gray: no two of the first len(MARKERS) * len(LINES) series
    share a marker and a line style, so each reads apart in grayscale."""
    return {"marker": MARKERS[i % len(MARKERS)], "linestyle": LINES[(i + i // len(MARKERS)) % len(LINES)],
            "color": str(0.15 * (i % 4))}


def _series(ax, xs: Sequence[float], ests: Sequence[Estimate], label: str, i: int) -> None:
    ys = [100 * e.value for e in ests]
    err = [[100 * (e.value - e.low) for e in ests], [100 * (e.high - e.value) for e in ests]]
    ax.errorbar(xs, ys, yerr=err, label=label, capsize=3, **_style(i))


def _powers(ks: Iterable[int]) -> list[int]:
    """The powers of 2 among `ks` (a sequence, or the keys of a k -> value map), and their largest."""
    return sorted({k for k in ks if k & (k - 1) == 0} | {max(ks)})


def _log2_axis(ax, ks: Sequence[int]) -> None:
    """k on a log2 axis, ticks at the powers of 2 and at N, as plain numbers."""
    ax.set_xscale("log", base=2)
    ticks = _powers(ks)
    ax.set_xticks(ticks, [str(k) for k in ticks])


def _default_alpha(method: str) -> float:
    from harness import registry

    for stage in getattr(registry.load("method", method), "stages", ()):
        for f in fields(stage.config_class()):
            if f.name == "alpha":
                return float(f.default)
    raise BadInput(f"{method} has no entropy coefficient α")


DIMS = ("method", "benchmark", "budget", "temperature", "alpha", "selector", "seed")


def _sweep(cells: Sequence[Cell], block: str, key) -> dict[str, list[tuple[float, Cell]]]:
    """Per series (a method and its variant): the block's cells plus the `main` cells that differ from
    them only in the swept setting (`block` is `alpha` or `temperature`), sorted by `key` (the α or T)."""
    swept = [c for c in cells if c.block == block]
    if not swept:
        raise BadInput(f"the grid has no `{block}` block")
    fixed = [d for d in DIMS if d != block]
    series = {}
    for name in dict.fromkeys(c.name for c in swept):
        mine = [c for c in swept if c.name == name]
        same = [c for c in cells if c.block == "main" and c.name == name
                and all(getattr(c, d) == getattr(mine[0], d) for d in fixed)]
        series[name] = sorted({key(c): c for c in [*same, *mine]}.items())
    return series


def _alpha(cell: Cell) -> float:
    return cell.alpha if cell.alpha is not None else _default_alpha(cell.method)


def _rates(store: Store, cell: Cell) -> tuple[Estimate, Estimate]:
    """(pass@1, selected@N with the cell's selector) of a cell."""
    eval_id = eval_id_of(cell.run_id, cell.config.evaluator)
    return (pass_curve(samples(store, cell.run_id, eval_id), [1])[1],
            selected_at_k(store, cell.run_id, cell.selector, cell.budget, eval_id=eval_id))


def sweep_plot(store: Store, cells: Sequence[Cell], kind: str, out: Path) -> list[Path]:
    """Resolve rate against α or temperature: pass@1 and best-of-N side by side, a line per variant."""
    series = _sweep(cells, kind, _alpha if kind == "alpha" else (lambda c: c.temperature))
    ref = next(iter(series.values()))[0][1]
    fig, axes = _panels([f"single attempt (pass@1) on {ref.benchmark}",
                         f"best-of-{ref.budget} ({ref.selector})"],
                        "entropy coefficient α" if kind == "alpha" else "sampling temperature",
                        ["resolved (%)"] * 2)
    for i, (name, points) in enumerate(series.items()):
        rates = [_rates(store, c) for _, c in points]
        xs = [x for x, _ in points]
        for panel, ax in enumerate(axes):
            _series(ax, xs, [r[panel] for r in rates], name, i)
    _legend(axes[-1], axes[0])
    return _save(fig, out, kind)


def diversity_plot(store: Store, cells: Sequence[Cell], out: Path) -> list[Path]:
    """Distinct normalised patches per task and the sampled tokens' entropy estimate against α, side by
    side, a line per variant."""
    series = _sweep(cells, "alpha", _alpha)
    fig, axes = _panels(["distinct patches per task", "entropy of sampled tokens"], "entropy coefficient α",
                        ["distinct non-empty patches / task", "−mean log-prob (nats)"])
    for i, (name, points) in enumerate(series.items()):
        found = [diversity(samples(store, c.run_id)) for _, c in points]
        xs = [x for x, _ in points]
        axes[0].plot(xs, [d.distinct_patches for d in found], label=name, **_style(i))
        if all(d.entropy is not None for d in found):
            axes[1].plot(xs, [d.entropy for d in found], label=name, **_style(i))
    _legend(axes[-1], axes[0])
    return _save(fig, out, "diversity")


def selector_plot(store: Store, cells: Sequence[Cell], out: Path) -> list[Path]:
    """One bar per selector the grid runs on the `selector` block's run (whatever its block), `first`
    and the oracle drawn as bounds."""
    chosen = [c for c in cells if c.block == "selector"]
    if not chosen:
        raise BadInput("the grid has no `selector` block")
    run = chosen[0]
    names = list(dict.fromkeys([*(c.selector for c in cells if c.run_id == run.run_id), "first", "oracle"]))
    eval_id = eval_id_of(run.run_id, run.config.evaluator)
    rates = {n: selected_at_k(store, run.run_id, n, run.budget, eval_id=eval_id) for n in names}
    bars = [n for n in names if n not in ("first", "oracle")]
    fig, ax = _axes(f"{run.method} on {run.benchmark}, best-of-{run.budget}: selectors", "")
    ax.bar(range(len(bars)), [100 * rates[n].value for n in bars], color="0.6", edgecolor="0.0",
           yerr=[[100 * (rates[n].value - rates[n].low) for n in bars],
                 [100 * (rates[n].high - rates[n].value) for n in bars]], capsize=3)
    ax.axhline(100 * rates["oracle"].value, color="0.0", linestyle="--", label="oracle (upper bound)")
    ax.axhline(100 * rates["first"].value, color="0.3", linestyle=":", label="first")
    ax.set_xticks(range(len(bars)), bars, rotation=40, ha="right")
    _legend(ax)
    return _save(fig, out, "selector")


def budget_plot(store: Store, run_id: str, selectors: Sequence[str], out: Path, seeds: int = 5,
                eval_id: str | None = None) -> list[Path]:
    """pass@k and selected@k (mean over `seeds` subsamples) at k = 1, 2, 4, .. N on a log2 axis, the
    series of a k side by side so that their intervals stay apart."""
    curve = pass_curve(samples(store, run_id, eval_id))
    ks = _powers(curve)
    fig, ax = _axes(f"{run_id}: budget scaling", "budget k (samples per task)", width=9)
    step = 0.5 / (len(selectors) + 1)  # of a doubling, shared by the k's series

    def dodged(i: int) -> list[float]:
        return [k * 2 ** (step * (i - len(selectors) / 2)) for k in ks]

    _series(ax, dodged(0), [curve[k] for k in ks], "pass@k (any sample resolves)", 0)
    for i, name in enumerate(selectors, start=1):
        _series(ax, dodged(i), [selected_at_k(store, run_id, name, k, seeds, eval_id) for k in ks], name, i)
    _log2_axis(ax, ks)
    _legend(ax)
    return _save(fig, out, "budget")


def seeds_plot(rows: Sequence[SeedRow], out: Path) -> list[Path]:
    """pass@k against k (log2 axis) per method of the entropy experiment: the mean over seeds, the
    seeds' range shaded."""
    fig, ax = _axes("pass@k over seeds", "k (samples per task)")
    for i, (method, group) in enumerate(by_method(rows).items()):
        n = min(len(r.pass_at) for r in group)
        ks = list(range(1, n + 1))
        per_k = [[100 * r.pass_at[k - 1] for r in group] for k in ks]
        style = _style(i)
        ax.plot(ks, [statistics.fmean(v) for v in per_k], label=f"{method} ({len(group)} seeds)", **style)
        ax.fill_between(ks, [min(v) for v in per_k], [max(v) for v in per_k], color=style["color"],
                        alpha=0.12)
    _log2_axis(ax, range(1, max(len(r.pass_at) for r in rows) + 1))
    _legend(ax)
    return _save(fig, out, "passk_seeds")
