"""The default executor: a pool of threads in this process, over this machine's Docker engine."""

from __future__ import annotations

import socket
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TypeVar

from harness.progress import progress_bar

T = TypeVar("T")
R = TypeVar("R")


class LocalExecutor:
    remote = False

    def __init__(self, workers: int = 2) -> None:
        self.workers = max(1, workers)
        self.nodes: Counter[str] = Counter()

    def map(self, work: Callable[[T], R], items: Sequence[T], label: str,
            show_progress: bool = True) -> Iterator[tuple[T, R]]:
        host = socket.gethostname()
        with progress_bar(label, len(items), show_progress) as advance, \
                ThreadPoolExecutor(self.workers) as pool:
            futures = {pool.submit(work, item): item for item in items}
            try:
                for future in as_completed(futures):
                    result = future.result()
                    self.nodes[host] += 1
                    yield futures[future], result
                    advance()
            except BaseException:  # a bug, or the caller stopped: schedule nothing more
                pool.shutdown(wait=True, cancel_futures=True)
                raise

    def close(self) -> None:
        pass
