"""Smaller CPU token tiles in TRL's fused head change no log-prob, entropy or gradient."""

from __future__ import annotations

import torch
from trl.kernels import chunked_logprob

from methods.head import CPU_TOKEN_TILE, small_cpu_tiles


def head(hidden: torch.Tensor, weight: torch.Tensor, targets: torch.Tensor):
    hidden, weight = hidden.clone().requires_grad_(), weight.clone().requires_grad_()
    logprobs, entropy, *_ = chunked_logprob.ChunkedLogProbFunction.apply(
        hidden, weight, None, targets, 1.0, 512, None, 1.0, ("log_probs", "entropy"))
    (logprobs.sum() + 0.3 * entropy.sum()).backward()
    return logprobs.detach(), entropy.detach(), hidden.grad, weight.grad


def test_small_cpu_tiles_give_the_same_values_and_gradients(monkeypatch) -> None:
    gen = torch.Generator().manual_seed(0)
    hidden, weight = torch.randn(1000, 32, generator=gen), torch.randn(1500, 32, generator=gen)
    targets = torch.randint(0, 1500, (1000,), generator=gen)
    monkeypatch.setattr(chunked_logprob, "TOKEN_CHUNK_SIZE", 4096)
    expected = head(hidden, weight, targets)
    small_cpu_tiles("cpu")
    assert chunked_logprob.TOKEN_CHUNK_SIZE == CPU_TOKEN_TILE < 1000  # several tiles now
    for got, want in zip(head(hidden, weight, targets), expected, strict=True):
        torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-5)
    reference = torch.log_softmax(hidden @ weight.T, -1).gather(-1, targets[:, None]).squeeze(-1)
    torch.testing.assert_close(expected[0], reference, rtol=1e-5, atol=1e-5)
