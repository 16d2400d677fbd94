"""The run context every stage of a run works in: what to run (its config), where results go (the
store, and through it the workspace), where its work runs (the executor), and how the run reports
(progress bars, notices a user must see, such as contamination)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from harness.config import RunConfig
from harness.executors import Executor, open_executor
from harness.store import Store

log = logging.getLogger("harness")


@dataclass(frozen=True)
class RunContext:
    config: RunConfig
    store: Store
    show_progress: bool = True
    notify: Callable[[str], None] = log.warning

    @property
    def workspace(self) -> Path:
        """Where artifacts go and stored paths resolve (the store's)."""
        return self.store.workspace

    @cached_property
    def executor(self) -> Executor:
        """The config's executor, opened on first use (a Ray driver connects once per process)."""
        c = self.config
        return open_executor(c.executor, c.workers, **c.executor_options)

    def with_config(self, **update: Any) -> RunContext:
        """The same surroundings for a derived run (a corpus rollout: another benchmark, model, budget),
        its executor included (one Ray connection, one count of the work per node)."""
        derived = replace(self, config=self.config.model_copy(update=update))
        derived.__dict__["executor"] = self.executor  # where cached_property keeps it
        return derived
