"""`harness train` under `accelerate launch --num_processes N`: the main process does everything the
harness does (training data, the store, saved models); the others only train, each fit on the job the
main process sends them first, so the store keeps its one writer and every process trains on the same
rows. Without a launch (WORLD_SIZE unset or 1) nothing here talks to anyone."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta
from typing import Any

WAIT = timedelta(days=7)  # followers wait while the main process builds a stage's data (rollouts: hours)


def launched() -> bool:
    return int(os.environ.get("WORLD_SIZE", "1")) > 1


def is_main() -> bool:
    return int(os.environ.get("RANK", "0")) == 0


def share(job: Any) -> Any:
    """The main process's `job` on every process of the launch (None ends the followers)."""
    import torch
    import torch.distributed as dist
    from accelerate import PartialState

    PartialState(cpu=not torch.cuda.is_available(), timeout=WAIT)  # gloo on CPU: the trainers join it
    box = [job]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def follow(fit: Callable[[Any], None]) -> None:
    """A follower's whole life: fit each job the main process shares, until it shares None."""
    while (job := share(None)) is not None:
        fit(job)
