"""`base`: no training; the run rolls out `config.model` as it is (the paper's "base" row)."""

from __future__ import annotations

from dataclasses import dataclass

from harness.config import RunConfig
from harness.store import Store


@dataclass(frozen=True)
class Base:
    name: str = "base"

    def train(self, config: RunConfig, store: Store, examples_for: object = None) -> str:
        return config.model


BASE = Base()
