"""Methods: how the model a run rolls out is obtained (`base` uses it as given; the others train).

A method is registered under the `method` kind (harness/registry.py) and satisfies `Method`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from harness.config import RunConfig
    from harness.store import Store
    from methods.train import ExampleSource


class Method(Protocol):
    name: str

    def train(self, config: RunConfig, store: Store, examples_for: ExampleSource) -> str:
        """Return the model (hub name or local folder) to roll out; train it first if needed, on the
        examples `examples_for(stage data kind, path of the model being trained)` gives."""
        ...
