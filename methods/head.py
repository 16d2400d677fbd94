"""TRL's fused log-prob head (log-probs and entropy without [B, T, V] logits) runs, on devices without
Triton, whole-tile torch ops over [4,096 tokens x vocabulary chunk] fp32 tiles: several 512 MiB temporaries
per tile at a 32k vocabulary, more than the full logits of a 4k-token pair. Smaller token tiles give the
same per-token results (each token's log-sum-exp is its own) with a fraction of that memory
(tests/methods/test_head.py; bench/train_speed.py, section 2)."""

from __future__ import annotations

import torch

CPU_TOKEN_TILE = 256


def small_cpu_tiles(device: str | torch.device) -> None:
    """Tile TRL's head by `CPU_TOKEN_TILE` tokens when `device` has no Triton (TRL's torch fallback);
    the Triton path keeps TRL's own tiles."""
    from trl.kernels import chunked_logprob

    if not chunked_logprob._use_triton(torch.device(device)):
        chunked_logprob.TOKEN_CHUNK_SIZE = CPU_TOKEN_TILE
