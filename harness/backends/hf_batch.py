"""Continuous batching for the hf backend: rows join the running decode at any step and leave at eos
or their budget, so an agent's reply returns as soon as it is done and its next turn joins the others'
decode instead of waiting for the slowest row of a batch.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from typing import Any

from harness.backends import Sampling
from harness.backends.prefix_cache import Layers


@dataclass
class Row:
    """One sequence: its prompt, its token budget, how it picks tokens (no generator: greedy), what it
    has decoded so far, and who waits for it (`owner`, the backend's business)."""

    prompt: tuple[int, ...]
    max_new: int
    warpers: tuple[Any, ...] = ()
    generator: Any = None
    owner: Any = None
    tokens: list[int] = field(default_factory=list)
    logprobs: list[float] = field(default_factory=list)

    def pick(self, logits: Any) -> Any:
        """The next token from this row's raw logits: their argmax, or a draw from the warped
        distribution with the row's own generator."""
        import torch

        if self.generator is None:
            return logits.argmax()
        scores = logits[None]
        for warp in self.warpers:
            scores = warp(None, scores)
        return torch.multinomial(scores[0].softmax(-1), 1, generator=self.generator)[0]


def rows_for(ids: tuple[int, ...], n: int, sampling: Sampling, max_new: int, device: Any) -> list[Row]:
    """A request's sequences: one when greedy (its answer serves all n samples), else n."""
    if sampling.temperature <= 0:
        return [Row(ids, max_new)]
    warpers = _warpers(sampling)
    return [Row(ids, max_new, warpers, _generator(sampling.seed, i, device)) for i in range(n)]


def _warpers(sampling: Sampling) -> tuple[Any, ...]:
    """Temperature, then top-k (0: none), then top-p (1: none), in the order `generate` applies them."""
    from transformers import TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper

    top_k = (TopKLogitsWarper(sampling.top_k),) if sampling.top_k > 0 else ()
    top_p = (TopPLogitsWarper(sampling.top_p),) if sampling.top_p < 1 else ()
    return (TemperatureLogitsWarper(float(sampling.temperature)), *top_k, *top_p)


def _generator(seed: int | None, index: int, device: Any) -> Any:
    """A generator of one sample's own, so its draws do not depend on the rest of its batch: seeded
    from (the request's seed, the sample's index), or at random when the request has no seed."""
    import torch

    generator = torch.Generator(device=device)
    if seed is None:
        generator.seed()
    else:
        digest = hashlib.sha256(f"{seed}:{index}".encode()).digest()
        generator.manual_seed(int.from_bytes(digest[:8], "little"))
    return generator


def token_logprobs(logits: Any, tokens: Any) -> Any:
    """Log-prob of each token under the raw logits of its position (`logits` [N, vocab], `tokens` [N])."""
    return logits.float().log_softmax(-1).gather(-1, tokens[:, None]).squeeze(-1)


ROOM = 256  # positions a cache buffer holds beyond its rows, so most steps write in place


@functools.cache
def _slot() -> type:
    """A cache layer over one layer's key and value buffers ([rows, heads, capacity, dim], the first
    `width` positions filled): the model's `update` writes its new positions in place and attends to
    the filled part, instead of concatenating a copy of the whole cache every step. (A class made on
    first use: transformers is imported only when a model is.)"""
    from transformers.cache_utils import DynamicLayer

    class Slot(DynamicLayer):
        def __init__(self, keys: Any, values: Any, width: int) -> None:
            super().__init__()
            self.buffers, self.width, self.device = (keys, values), width, keys.device
            self.keys, self.values, self.is_initialized = keys[:, :, :width], values[:, :, :width], True

        def update(self, keys: Any, values: Any, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
            end = self.width + keys.shape[-2]
            self.buffers[0][:, :, self.width:end], self.buffers[1][:, :, self.width:end] = keys, values
            self.keys, self.values = self.buffers[0][:, :, :end], self.buffers[1][:, :, :end]
            return self.keys, self.values

    return Slot


class RunningBatch:
    """The rows being decoded on one KV cache, each left-padded (and masked) to the longest; per row its
    next position and the logits of its next token. Columns that every row pads are cut as rows leave,
    so a batch that never empties does not grow wider than its longest row."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self._buffers: list[tuple[Any, Any]] = []  # per layer: keys, values [rows, heads, capacity, dim]
        self._mask = self._positions = self._logits = None  # mask [rows, width]: its width is the cache's

    def admit(self, rows: list[Row], logits: Any, layers: list[Layers]) -> None:
        """Add rows whose prompts have run (`logits` [rows, vocab] of their last token; each row's own
        keys and values), padding whichever side is narrower to the other's width."""
        import torch

        old = len(self.rows)
        width = max([len(row.prompt) for row in rows] + ([self._mask.shape[1]] if old else []))
        mask = torch.zeros(old + len(rows), width, dtype=torch.long, device=logits.device)
        buffers = [(self._buffer(k, old + len(rows), width), self._buffer(v, old + len(rows), width))
                   for k, v in layers[0]]
        if old:
            held = self._mask.shape[1]
            mask[:old, width - held:] = self._mask
            for (keys, values), (k, v) in zip(buffers, self._buffers, strict=True):
                keys[:old, :, width - held:width] = k[:, :, :held]
                values[:old, :, width - held:width] = v[:, :, :held]
        for j, (row, own) in enumerate(zip(rows, layers, strict=True), start=old):
            length = len(row.prompt)
            mask[j, width - length:] = 1
            for (keys, values), (k, v) in zip(buffers, own, strict=True):
                keys[j, :, width - length:width] = k[0]
                values[j, :, width - length:width] = v[0]
        positions = torch.tensor([[len(row.prompt)] for row in rows], device=logits.device)
        if old:
            positions, logits = torch.cat([self._positions, positions]), torch.cat([self._logits, logits])
        self.rows, self._buffers, self._mask = [*self.rows, *rows], buffers, mask
        self._positions, self._logits = positions, logits

    def step(self, lm: Any, finished: Any) -> list[Row]:
        """Pick each row's next token; rows that `finished(row)` leave (returned); the others run one
        position through `lm`."""
        import torch
        from transformers.cache_utils import Cache

        chosen = torch.stack([row.pick(x) for row, x in zip(self.rows, self._logits, strict=True)])
        picked = token_logprobs(self._logits, chosen).tolist()
        for row, token, logprob in zip(self.rows, chosen.tolist(), picked, strict=True):
            row.tokens.append(token)
            row.logprobs.append(logprob)
        ended = [finished(row) for row in self.rows]
        done = [row for row, end in zip(self.rows, ended, strict=True) if end]
        if done:
            keep = [j for j, end in enumerate(ended) if not end]
            self._select(keep)
            chosen = chosen[keep]
        if not self.rows:
            return done
        if self._mask.shape[1] == self._buffers[0][0].shape[2]:
            self._select(list(range(len(self.rows))))  # full: copied into buffers with room again
        width = self._mask.shape[1]
        mask = torch.cat([self._mask, self._mask.new_ones(len(self.rows), 1)], dim=1)
        cache = Cache(layers=[_slot()(k, v, width) for k, v in self._buffers])
        out = lm(input_ids=chosen[:, None], attention_mask=mask, position_ids=self._positions, cache=cache,
                 use_cache=True)
        self._mask, self._positions, self._logits = mask, self._positions + 1, out.logits[:, -1].float()
        return done

    def clear(self) -> list[Row]:
        """Drop every row (after a failure); the rows dropped."""
        rows, self.rows, self._buffers = self.rows, [], []
        return rows

    @staticmethod
    def _buffer(like: Any, rows: int, width: int) -> Any:
        """Zeroed keys or values for `rows` rows of `width` positions and ROOM more."""
        import torch

        heads, dim = like.shape[1], like.shape[3]
        return torch.zeros(rows, heads, width + ROOM, dim, dtype=like.dtype, device=like.device)

    def _select(self, keep: list[int]) -> None:
        """Keep only the rows at `keep` (in new buffers with room), cutting the columns all of them pad."""
        import torch

        self.rows = [self.rows[j] for j in keep]
        if not self.rows:
            self._buffers = []
            return
        index = torch.tensor(keep, device=self._mask.device)
        mask = self._mask[index]
        cut, width = int(mask.argmax(dim=1).min()), mask.shape[1]  # cut: the widest row's first column
        buffers = []
        for k, v in self._buffers:
            keys, values = self._buffer(k, len(keep), width - cut), self._buffer(v, len(keep), width - cut)
            keys[:, :, : width - cut] = k[index, :, cut:width]
            values[:, :, : width - cut] = v[index, :, cut:width]
            buffers.append((keys, values))
        self._buffers = buffers
        self._mask, self._positions, self._logits = mask[:, cut:], self._positions[index], self._logits[index]
