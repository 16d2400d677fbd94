"""Run one function in several threads released at the same moment (the backends' callers)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def in_threads(work: Callable[[int], T], count: int) -> list[T]:
    """`work(i)` for i in range(count), each in its own thread, all started together; results in
    order of i (the first exception is re-raised)."""
    start = threading.Barrier(count)

    def run(i: int) -> T:
        start.wait()
        return work(i)

    with ThreadPoolExecutor(count) as pool:
        futures = [pool.submit(run, i) for i in range(count)]
        return [f.result() for f in futures]
