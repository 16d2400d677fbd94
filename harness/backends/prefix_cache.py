"""Keys and values of recent prompts, so a prompt that repeats another's start (an agent's next turn;
the other samples of a task's first turn) prefills only what is new: on CPU, re-reading a 1,000-token
history each turn costs as much as decoding the reply.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

Layers = tuple[tuple[Any, Any], ...]  # per layer: (keys, values), each [1, heads, length, dim]


def common_prefix(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    """How many leading tokens `a` and `b` share (bisection on slices: comparisons run in C)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


class PrefixCache:
    """The per-layer keys and values of whole prompts, least recently used dropped first once they
    hold more than `max_bytes`; a prompt that starts a newer one is dropped for it (the newer serves
    every prefix the older did). Tensors are kept as the model returned them and never changed in
    place: a cache built from them concatenates new positions into new tensors."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[int, ...], tuple[Layers, int]] = OrderedDict()
        self._held = 0

    def longest(self, prompt: tuple[int, ...]) -> tuple[int, Layers | None]:
        """The stored keys and values sharing the longest start with `prompt`, cut to leave at least
        its last token to run (the caller needs that token's logits): (positions, layers) or (0, None)."""
        shared, best = max(((common_prefix(key, prompt), key) for key in self._entries), default=(0, ()))
        reused = min(shared, len(prompt) - 1)
        if reused < 1:
            return 0, None
        self._entries.move_to_end(best)
        return reused, tuple((k[:, :, :reused], v[:, :, :reused]) for k, v in self._entries[best][0])

    def store(self, prompt: tuple[int, ...], layers: Layers) -> None:
        """Keep `prompt`'s keys and values (not when they alone exceed the budget)."""
        size = sum(k.nbytes + v.nbytes for k, v in layers)
        if prompt in self._entries or size > self.max_bytes:
            return
        for key in [key for key in self._entries if prompt[: len(key)] == key]:
            self._drop(key)
        self._entries[prompt] = (layers, size)
        self._held += size
        while self._held > self.max_bytes:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: tuple[int, ...]) -> None:
        self._held -= self._entries.pop(key)[1]
