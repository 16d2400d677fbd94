"""Selectors: pick one trajectory per instance from its stored rollouts and signals, offline.

A selector sees `Candidate`s only: rollout facts and signals, never a verdict, the gold patch or a
hidden test (DESIGN.md contract 3). The one exception, `oracle`, is flagged `oracle=True`, gets
the verdicts passed in explicitly and is always reported as an upper bound.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from harness import registry
from harness.errors import BadInput, HarnessError
from harness.records import HIDDEN_FIELDS

# Facts a candidate would leak if it carried them: its verdict and the instance's hidden fields.
_FORBIDDEN = (*HIDDEN_FIELDS, "resolved", "status", "verdict")


@dataclass(frozen=True)
class Candidate:
    """One trajectory as a selector sees it; reading a hidden field raises PermissionError."""

    instance_id: str
    sample_index: int
    finished: bool
    model_patch: str  # its own patch (the instance's gold `patch` is hidden)
    steps: int
    signals: Mapping[str, float] = field(default_factory=dict)  # verifier, regression, tokens, ...

    def __getattr__(self, name: str) -> Any:
        if name in _FORBIDDEN:
            raise PermissionError(f"{name} is hidden from selectors and signals")
        raise AttributeError(name)


@dataclass(frozen=True)
class Selector:
    """A named rule: `choose(candidates in sample order, rng)` returns one of them.

    `oracle` selectors instead get `choose(candidates, rng, resolved)` with the evaluation verdicts;
    they bound what selection can reach and never make a submission."""

    name: str
    choose: Callable[..., Candidate]
    oracle: bool = False

    def pick(self, candidates: Sequence[Candidate], rng: random.Random,
             resolved: Mapping[int, bool] | None = None) -> Candidate:
        if not candidates:
            raise HarnessError(f"selector {self.name}: no candidates")
        pool = sorted(candidates, key=lambda c: c.sample_index)
        if not self.oracle:
            return self.choose(pool, rng)
        if resolved is None:
            raise HarnessError(f"selector {self.name} reads evaluations, and none were given")
        return self.choose(pool, rng, resolved)


def get_selector(name: str) -> Selector:
    """The registered selector `name`, or a chain such as `finished>regression>longest`."""
    if name in registry.names("selector"):
        return registry.load("selector", name)
    from harness.selectors.chain import chain_selector

    try:
        return chain_selector(name, name)
    except BadInput:
        if ">" in name or ":" in name:
            raise  # a chain with a bad step: its own message says which
        known = ", ".join(registry.names("selector"))
        raise BadInput(f"unknown selector {name!r}; known: {known}; "
                       "or a chain of steps such as finished>regression>verifier:0.01>longest") from None
