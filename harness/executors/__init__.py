"""Where a stage's units of work run: `local` (threads in this process, the default) or `ray` (one task
each on a Ray cluster, needing one sandbox slot of a node). Either way each result comes back to the
caller's thread, the one writer of the store, so resume and exactly-once stay the store's business."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

from harness import registry

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """`remote`: work runs in other processes, so it must pickle and prepare its node (images, model);
    `nodes`: how many results each node (host or Ray node id) produced."""

    remote: bool
    nodes: Counter[str]

    def map(self, work: Callable[[T], R], items: Sequence[T], label: str,
            show_progress: bool = True) -> Iterator[tuple[T, R]]:
        """(item, work(item)) as each finishes; an exception from `work` stops the rest and is raised."""
        ...

    def close(self) -> None: ...


def open_executor(name: str = "local", workers: int = 2, **options: Any) -> Executor:
    """The registered executor `name`; `workers` bounds local threads (a cluster's slots bound its own)."""
    return registry.load("executor", name)(workers=workers, **options)
