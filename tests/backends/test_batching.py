"""The Batcher: concurrent submits become one run call, flushed by count or by time."""

from __future__ import annotations

import threading
import time

import pytest
from threads import in_threads

from harness.backends import BackendError
from harness.backends.batching import Batcher


class Recorder:
    """A batch function that records its batches, answers 10*x, and notes overlapping runs."""

    def __init__(self, pause: float = 0.0, fail: Exception | None = None) -> None:
        self.batches: list[list[int]] = []
        self.pause, self.fail = pause, fail
        self.running = self.most_running = 0
        self.lock = threading.Lock()
        self.started = threading.Event()

    def __call__(self, batch: list[int]) -> list[int]:
        self.started.set()
        with self.lock:
            self.running += 1
            self.most_running = max(self.most_running, self.running)
        time.sleep(self.pause)
        with self.lock:
            self.running -= 1
            self.batches.append(sorted(batch))
        if self.fail:
            raise self.fail
        return [10 * x for x in batch]


def test_expected_callers_make_one_batch_at_once() -> None:
    run = Recorder()
    batcher = Batcher(run, expected=lambda: 4, max_wait=30)
    start = time.monotonic()
    assert in_threads(batcher.submit, 4) == [0, 10, 20, 30]
    assert time.monotonic() - start < 5  # flushed by count, not by the 30 s wait
    assert run.batches == [[0, 1, 2, 3]]
    batcher.close()


def test_a_lone_request_waits_max_wait_then_runs() -> None:
    run = Recorder()
    batcher = Batcher(run, expected=lambda: 3, max_wait=0.2)
    start = time.monotonic()
    assert batcher.submit(5) == 50
    assert 0.2 <= time.monotonic() - start < 2
    assert run.batches == [[5]]
    batcher.close()


def test_requests_arriving_during_a_run_form_the_next_batch() -> None:
    run = Recorder(pause=0.5)
    batcher = Batcher(run, expected=lambda: 1, max_wait=0)

    def submit(i: int) -> int:
        if i:
            run.started.wait()  # request 0 is running
        return batcher.submit(i)

    assert in_threads(submit, 5) == [0, 10, 20, 30, 40]
    assert run.batches == [[0], [1, 2, 3, 4]] and run.most_running == 1
    batcher.close()


def test_an_error_reaches_every_caller_of_its_batch() -> None:
    boom = RuntimeError("engine died")
    batcher = Batcher(Recorder(fail=boom), expected=lambda: 3, max_wait=30)

    def submit(i: int) -> Exception | int:
        try:
            return batcher.submit(i)
        except RuntimeError as exc:
            return exc

    assert in_threads(submit, 3) == [boom] * 3
    batcher.close()


def test_a_short_result_list_fails_the_batch() -> None:
    batcher = Batcher(lambda batch: [], max_wait=0)
    with pytest.raises(BackendError, match="batch of 1 requests gave 0 results"):
        batcher.submit(1)
    batcher.close()


def test_close_runs_pending_work_then_refuses() -> None:
    run = Recorder()
    batcher = Batcher(run, expected=lambda: 2, max_wait=30)
    waiting = threading.Thread(target=lambda: batcher.submit(7))
    waiting.start()
    while not batcher._pending:  # the request is queued, waiting for a second caller
        time.sleep(0.01)
    batcher.close()  # flushes it without the 30 s wait
    waiting.join(timeout=5)
    assert not waiting.is_alive() and run.batches == [[7]]
    with pytest.raises(BackendError, match="closed"):
        batcher.submit(8)
