"""An agent as a recipe (backend, model, options, sampling, limits) rather than a live object: what a
remote worker receives and builds once per process, so no model or connection is pickled."""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from harness.agent.loop import Agent, AgentConfig
from harness.backends import Sampling, open_backend

_built: dict[str, Agent] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class AgentSpec:
    backend: str
    model: str
    sampling: Sampling
    config: AgentConfig
    options: dict[str, Any] = field(default_factory=dict)

    def open(self) -> Agent:
        """A new agent of the spec, with its own backend (the caller closes it)."""
        return Agent(open_backend(self.backend, self.model, **self.options), self.sampling, self.config)

    def build(self) -> Agent:
        """This process's agent of the spec (opened on first use, then shared by its threads)."""
        key = json.dumps([self.backend, self.model, asdict(self.sampling),
                          self.config.model_dump(mode="json"), self.options], sort_keys=True, default=str)
        with _lock:
            if key not in _built:
                _built[key] = self.open()
            return _built[key]
