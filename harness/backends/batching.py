"""Gather concurrent requests from agent threads into one call of a batch function, so an in-process
engine (vLLM) sees many prompts at once instead of one per thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Generic, TypeVar

from harness.backends import BackendError

Req = TypeVar("Req")
Res = TypeVar("Res")


class Batcher(Generic[Req, Res]):
    """One worker thread runs `run(requests) -> results` (same order) on the requests pending when
    `expected()` callers are waiting or `max_wait` seconds after the first of them arrived. By default
    `expected()` is the live threads that have submitted: the agents of a rollout, once each has asked.

    Batches never overlap, so `run` need not be thread-safe; requests arriving during a run form the
    next batch. An exception from `run` is raised in every caller of that batch.
    """

    def __init__(
        self, run: Callable[[list[Req]], list[Res]], expected: Callable[[], int] | None = None,
        max_wait: float = 0.02,
    ) -> None:
        self._run, self._expected, self._max_wait = run, expected or self._live_callers, max_wait
        self._callers: set[int] = set()  # threads that have submitted
        self._pending: list[tuple[Req, Future[Res]]] = []
        self._first = 0.0  # monotonic arrival time of the oldest pending request
        self._closed = False
        self._cond = threading.Condition()
        self._worker = threading.Thread(target=self._loop, name="batcher", daemon=True)
        self._worker.start()

    def submit(self, request: Req) -> Res:
        """Block until the batch holding `request` has run; its result, or the batch's exception."""
        future: Future[Res] = Future()
        with self._cond:
            self._callers.add(threading.get_ident())
            if self._closed:
                raise BackendError("the backend is closed; it takes no more requests")
            if not self._pending:
                self._first = time.monotonic()
            self._pending.append((request, future))
            self._cond.notify_all()
        return future.result()

    def close(self) -> None:
        """Refuse new requests, run those already pending, and stop the worker."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._worker.join()

    def _live_callers(self) -> int:
        """Live threads that have submitted: when all of them wait, a batch need not wait more."""
        self._callers &= {t.ident for t in threading.enumerate()}  # forget threads that ended
        return len(self._callers)

    def _loop(self) -> None:
        while batch := self._next_batch():
            try:
                results = self._run([request for request, _ in batch])
                if len(results) != len(batch):
                    raise BackendError(f"batch of {len(batch)} requests gave {len(results)} results")
            except Exception as exc:  # handed to every caller of the batch, who re-raises it
                for _, future in batch:
                    future.set_exception(exc)
            else:
                for (_, future), result in zip(batch, results, strict=True):
                    future.set_result(result)

    def _next_batch(self) -> list[tuple[Req, Future[Res]]]:
        """The next batch to run; empty once closed with nothing pending."""
        with self._cond:
            while not self._pending and not self._closed:
                self._cond.wait()
            while not self._closed and len(self._pending) < self._expected():
                left = self._first + self._max_wait - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            batch, self._pending = self._pending, []
            return batch
