"""Experiment grids: a YAML file declares blocks of cells (method x benchmark x budget x temperature x
alpha x selector x seed); `harness grid run FILE` runs the missing cells only, `harness grid status
FILE` shows what is done. A cell is a `harness run` config, so cells that differ only in their
selector share one rollout run, and a killed grid resumes where it stopped.

    name: smoke
    config: harness/configs/default.yaml   # the base run config (optional)
    set: [sandbox=auto]                     # -c overrides for every cell (optional)
    blocks:
      - {name: main, method: [base, entropo], budget: [4], selector: [hybrid-verified]}
      - {name: alpha, method: [entropo], alpha: [0.0, 0.12], selector: [first]}
      - {name: alpha, method: [entropo], alpha: [0.0, 0.12], set: [method_options.value_form=implicit]}

A block's own `set` makes its cells a variant of their method (shown as `entropo (value_form=implicit)`):
plots draw one series per variant and the seeds report one row.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from harness import registry
from harness.config import RunConfig, load_config, shipped
from harness.errors import BadInput
from harness.store import Store, eval_id

GRIDS_DIR = Path(__file__).parent / "grids"


class Block(BaseModel):
    """One product of lists: a cell per combination. `name` says what the cells feed (main, alpha,
    temperature, selector, budget)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = "main"
    method: list[str]
    benchmark: list[str | None] = [None]  # None: the base config's
    budget: list[int] = [1]
    temperature: list[float] = [0.7]
    alpha: list[float | None] = [None]  # None: the method's default α (PAPER.md)
    selector: list[str] = ["first"]
    seed: list[int] = [0]
    set: list[str] = []  # -c overrides for this block's cells, after the grid's: a variant of the method


class Grid(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    config: Path | None = None
    set: list[str] = []
    blocks: list[Block]


@dataclass(frozen=True)
class Cell:
    block: str
    method: str
    benchmark: str
    budget: int
    temperature: float
    alpha: float | None
    selector: str
    seed: int
    config: RunConfig
    variant: str = ""  # the block's own overrides, e.g. "value_form=implicit"; "" for the method as is

    @property
    def run_id(self) -> str:
        return self.config.run_id()

    @property
    def name(self) -> str:
        """The method and its variant: what a plot's series or a report's row is called."""
        return f"{self.method} ({self.variant})" if self.variant else self.method

    def label(self) -> str:
        alpha = "" if self.alpha is None else f" α={self.alpha:g}"
        return (f"{self.block}: {self.name}{alpha} {self.benchmark} k={self.budget} T={self.temperature:g} "
                f"{self.selector} seed {self.seed}")


def load_grid(path: str | Path) -> tuple[Grid, list[Cell]]:
    """The grid at `path` (or a shipped name: smoke, paper) and its cells, every one checked now."""
    path = shipped(Path(path), GRIDS_DIR)
    try:
        grid = Grid.model_validate(yaml.safe_load(path.read_text()))
    except OSError as exc:
        raise BadInput(f"cannot read grid {path}: {exc.strerror}") from exc
    except (yaml.YAMLError, ValidationError) as exc:
        raise BadInput(f"grid {path} is not valid: {str(exc).splitlines()[0:3]}") from exc
    from harness.selectors import get_selector
    from methods.train import check_options

    cells = list(_cells(grid, path.parent))
    for cell in cells:  # every name and option is checked before the first cell runs
        get_selector(cell.selector)
        stages = getattr(registry.load("method", cell.method), "stages", ())
        if cell.alpha is not None and not stages:
            raise BadInput(f"grid {path}: {cell.method} trains nothing, so it has no α to set")
        if stages:
            check_options(stages, cell.config)
    return grid, cells


def _cells(grid: Grid, root: Path) -> Iterator[Cell]:
    """The cells of every block; a relative `config` is looked up beside the grid file first."""
    base = grid.config
    if base is not None and not base.is_absolute() and (root / base).exists():
        base = root / base
    for block in grid.blocks:
        for method, bench, budget, temp, alpha, selector, seed in itertools.product(
                block.method, block.benchmark, block.budget, block.temperature, block.alpha, block.selector,
                block.seed):
            sets = [*grid.set, *block.set, *([] if alpha is None else [f"method_options.alpha={alpha}"])]
            config = load_config(base, sets, method=method, benchmark=bench, budget=budget, seed=seed,
                                 selector=selector, **{"sampling.temperature": temp})
            yield Cell(block.name, method, config.benchmark, budget, temp, alpha, selector, seed, config,
                       variant(block.set))


def variant(sets: list[str]) -> str:
    """A block's overrides as a short name: `method_options.value_form=implicit` -> `value_form=implicit`."""
    return ", ".join(s.removeprefix("method_options.") for s in sets)


def cell_status(store: Store, cell: Cell) -> str:
    """done (its selection is stored: `harness run` stores it last), partial, or missing."""
    run_id = cell.run_id
    if store.has_selection(run_id, cell.selector, cell.budget):
        return "done"
    rollouts, judged = store.judged_count(run_id, eval_id(run_id, cell.config.evaluator))
    return f"partial ({rollouts} rollouts, {judged} judged)" if rollouts else "missing"


def run_grid(path: str | Path, store: Store, show_progress: bool = True,
             on_cell: Callable[[int, Cell, str], None] | None = None,
             notify: Callable[[str], None] | None = None) -> list[tuple[Cell, str]]:
    """Run every cell that is not done, in file order, telling `on_cell(index, cell, status before)`
    first and each run's notices to `notify`; returns (cell, status before) for each cell."""
    from harness.context import RunContext
    from harness.pipeline import run

    _, cells = load_grid(path)
    before = [(cell, cell_status(store, cell)) for cell in cells]
    for i, (cell, status) in enumerate(before):
        if on_cell is not None:
            on_cell(i, cell, status)
        if status != "done":
            run(RunContext(cell.config, store, show_progress, **({"notify": notify} if notify else {})))
    return before
