"""Several servers of one model (`vllm serve` replicas): each request goes to the answering replica
with the fewest requests in flight, and one that fails is skipped until a probe finds it answering."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(eq=False)
class Replica:
    url: str
    client: Any
    in_flight: int = 0
    last_pick: int = 0  # when it was last picked (a count of picks): ties go to the longest idle
    down_since: float | None = None  # monotonic time of the failure that took it out; None: answering


class Replicas:
    """The replicas of one backend; thread-safe. `probe(replica)` is True when a replica answers again
    (and is ready: a LoRA adapter reloaded after a restart); a thread runs it on the down ones every
    `probe_every` seconds, a lone replica included."""

    def __init__(self, replicas: Sequence[Replica], probe: Callable[[Replica], bool],
                 probe_every: float = 5.0) -> None:
        if not replicas:
            raise ValueError("no model server given")
        self.all = list(replicas)
        self._probe, self._every = probe, probe_every
        self._lock, self._closed, self._picks = threading.Lock(), threading.Event(), 0
        threading.Thread(target=self._probe_down, name="replica-probe", daemon=True).start()

    def any_up(self) -> bool:
        with self._lock:
            return any(r.down_since is None for r in self.all)

    def acquire(self) -> Replica:
        """The answering replica with the fewest requests in flight (then the one picked longest ago, so
        a lone caller alternates); when none answers, the one down longest, as a last try."""
        with self._lock:
            up = [r for r in self.all if r.down_since is None]
            pick = (min(up, key=lambda r: (r.in_flight, r.last_pick)) if up
                    else min(self.all, key=lambda r: r.down_since or 0.0))
            self._picks += 1
            pick.in_flight, pick.last_pick = pick.in_flight + 1, self._picks
            return pick

    def release(self, replica: Replica, answered: bool) -> None:
        """End a request: a replica that did not answer is out until a probe or a request succeeds."""
        with self._lock:
            replica.in_flight -= 1
            if answered:
                replica.down_since = None
        if not answered:
            self.down(replica)

    def down(self, replica: Replica) -> None:
        """Take `replica` out until a probe finds it answering."""
        with self._lock:
            if replica.down_since is None:
                replica.down_since = time.monotonic()

    def close(self) -> None:
        self._closed.set()

    def _probe_down(self) -> None:
        while not self._closed.wait(self._every):
            with self._lock:
                down = [r for r in self.all if r.down_since is not None]
            for replica in down:
                if self._probe(replica):
                    with self._lock:
                        replica.down_since = None
