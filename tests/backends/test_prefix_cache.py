"""The prefix cache: longest shared start, its budget and eviction; and the hf backend running only a
prompt's new tokens with the same results as a cold prefill."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from harness.backends import Sampling
from harness.backends.hf import HFBackend, prompt_ids
from harness.backends.prefix_cache import PrefixCache, common_prefix

GREEDY = Sampling(temperature=0.0, max_tokens=6)
POSITION = 128  # bytes a position holds in `layers`: 2 layers x (keys, values) x 2 heads x 4 float32


def layers(length: int, fill: float = 0.0) -> tuple:
    """Two layers of keys and values for `length` positions of 2 heads x 4 float32 dims, numbered by
    position so a cut can be checked."""
    k = torch.arange(length, dtype=torch.float32)[None, None, :, None].expand(1, 2, length, 4) + fill
    return ((k, -k), (k, -k))


def test_common_prefix() -> None:
    assert common_prefix((1, 2, 3, 4), (1, 2, 9)) == 2
    assert common_prefix((1, 2), (1, 2, 3)) == 2
    assert common_prefix((5,), (1, 2)) == 0
    assert common_prefix((), (1,)) == 0
    assert common_prefix(tuple(range(1000)), tuple(range(777)) + (0,)) == 777


def test_longest_shared_start_leaves_the_last_token_to_run() -> None:
    cache = PrefixCache(1 << 20)
    cache.store((1, 2, 3), layers(3))
    cache.store((1, 2, 7, 8, 9), layers(5, fill=100))
    reused, known = cache.longest((1, 2, 7, 8, 9, 10))
    assert reused == 5 and known[0][0][0, 0, :, 0].tolist() == [100, 101, 102, 103, 104]
    reused, known = cache.longest((1, 2, 3))  # the whole prompt is stored: its last token still runs
    assert reused == 2 and known[1][1].shape == (1, 2, 2, 4) and known[1][1][0, 0, :, 0].tolist() == [0, -1]
    assert cache.longest((4, 5)) == (0, None)
    assert cache.longest((1,)) == (0, None)  # nothing may be reused of a one-token prompt


def test_a_prompt_that_starts_a_newer_one_is_dropped_and_the_budget_evicts_the_oldest() -> None:
    cache = PrefixCache(10 * POSITION)
    cache.store((1, 2), layers(2))
    cache.store((1, 2, 3), layers(3))  # serves everything (1, 2) did
    assert list(cache._entries) == [(1, 2, 3)] and cache._held == 3 * POSITION
    cache.store((5, 6, 7, 8), layers(4))
    cache.store((1, 2, 3), layers(3))  # already held: nothing changes
    cache.longest((1, 2, 3, 4))  # (1, 2, 3) is now the most recently used
    cache.store((9, 9, 9), layers(3))  # 3 + 4 + 3 = 10 positions: fits
    cache.store((7,), layers(1))  # 11: the least recently used goes
    assert list(cache._entries) == [(1, 2, 3), (9, 9, 9), (7,)]
    cache.store(tuple(range(11)), layers(11))  # larger than the whole budget: not kept
    assert tuple(range(11)) not in cache._entries and cache._held == 7 * POSITION


def test_the_backend_runs_only_new_tokens_and_decodes_as_a_cold_one(
    tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A conversation's second turn reuses its first prompt's keys and values: the model runs only the
    reply and the observation, and the greedy decode and log-probs equal a backend without a cache."""
    warm = HFBackend(str(tiny_model_dir), device="cpu")
    cold = HFBackend(str(tiny_model_dir), device="cpu", prefix_cache_bytes=0)
    chat = [{"role": "system", "content": "You fix bugs."}, {"role": "user", "content": "Fix parse()."}]
    [first] = warm.chat(chat, 1, GREEDY)
    before = tuple(prompt_ids(warm._tok, chat, None))
    chat = [*chat, {"role": "assistant", "content": first.text}, {"role": "user", "content": "Exit code: 1"}]
    prefills: list[int] = []
    forward = warm._lm.forward

    def counting(*args, **kwargs):
        if "attention_mask" not in kwargs:  # a prefill, not a decode step
            prefills.append(kwargs["input_ids"].shape[1])
        return forward(*args, **kwargs)

    monkeypatch.setattr(warm._lm, "forward", counting)
    [again] = warm.chat(chat, 1, GREEDY)
    [expected] = cold.chat(chat, 1, GREEDY)
    after = tuple(prompt_ids(warm._tok, chat, None))
    shared = common_prefix(before, after)  # the template may retokenize the generation prompt's end
    assert shared >= len(before) - 2 and prefills == [len(after) - shared]
    assert again.token_ids == expected.token_ids and again.prompt_tokens == len(after)
    assert torch.allclose(torch.tensor(again.logprobs), torch.tensor(expected.logprobs), atol=1e-5)
    warm.close()
    cold.close()
