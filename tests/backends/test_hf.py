"""The transformers backend on the tiny model: raw log-probs, seeds, greedy, eos, context, threads."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path
from typing import Any

import pytest
import torch
from threads import in_threads
from transformers import AutoModelForCausalLM, AutoTokenizer

from harness.backends import BackendError, ContextExceeded, Sampling
from harness.backends.hf import HFBackend, prompt_ids

CHAT = [{"role": "system", "content": "You fix bugs."}, {"role": "user", "content": "Fix parse()."}]


@pytest.fixture(scope="module")
def backend(tiny_model_dir: Path):
    hf = HFBackend(str(tiny_model_dir), device="cpu")
    yield hf
    hf.close()


@functools.cache
def reference(model_dir: Path) -> tuple[Any, Any]:
    """The tokenizer and model of `model_dir`, loaded once, for recomputing what a backend sampled."""
    return AutoTokenizer.from_pretrained(model_dir), AutoModelForCausalLM.from_pretrained(model_dir).eval()


def forward_logits(model_dir: Path, messages: list[dict], completion: tuple[int, ...]) -> torch.Tensor:
    """The raw logits that predicted each token of `completion` after the chat, in one forward pass."""
    tok, lm = reference(model_dir)
    ids = prompt_ids(tok, messages, None)
    with torch.no_grad():
        return lm(torch.tensor([ids + list(completion)])).logits[0, len(ids) - 1 : -1]


def forward_logprobs(model_dir: Path, messages: list[dict], completion: tuple[int, ...]) -> torch.Tensor:
    """Log-probs of `completion` after the chat at temperature 1."""
    logits = forward_logits(model_dir, messages, completion)
    return logits.log_softmax(-1).gather(-1, torch.tensor(completion)[:, None]).squeeze(-1)


def test_n_samples_carry_raw_logprobs(backend: HFBackend, tiny_model_dir: Path) -> None:
    tok, _ = reference(tiny_model_dir)
    done = backend.chat(CHAT, 3, Sampling(max_tokens=12, seed=0))
    assert len(done) == 3 and len({c.token_ids for c in done}) == 3
    for c in done:
        assert c.prompt_tokens == len(prompt_ids(tok, CHAT, None))
        assert c.completion_tokens == len(c.token_ids) == len(c.logprobs) == 12
        assert c.finish_reason == "length" and c.tool_calls == ()
        assert c.text == tok.decode(c.token_ids, skip_special_tokens=True)
        expected = forward_logprobs(tiny_model_dir, CHAT, c.token_ids)
        assert torch.allclose(torch.tensor(c.logprobs), expected, atol=1e-4)


def test_seed_reproduces_and_changes_samples(backend: HFBackend) -> None:
    first = backend.chat(CHAT, 2, Sampling(max_tokens=8, seed=7))
    assert backend.chat(CHAT, 2, Sampling(max_tokens=8, seed=7)) == first
    assert [c.token_ids for c in backend.chat(CHAT, 2, Sampling(max_tokens=8, seed=8))] != [
        c.token_ids for c in first
    ]


def test_temperature_zero_is_greedy(backend: HFBackend, tiny_model_dir: Path) -> None:
    done = backend.chat(CHAT, 2, Sampling(temperature=0.0, max_tokens=6, seed=1))
    assert done[0] == done[1] == backend.chat(CHAT, 1, Sampling(temperature=0.0, max_tokens=6, seed=2))[0]
    logits = forward_logits(tiny_model_dir, CHAT, done[0].token_ids)
    assert tuple(logits.argmax(-1).tolist()) == done[0].token_ids


def test_samples_end_at_the_first_eos(tiny_model_dir: Path, tmp_path: Path) -> None:
    """The tiny model reduced to: every token equally likely, except <|im_end|> (about 22% a step)."""
    lm = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    eos = lm.generation_config.eos_token_id
    with torch.no_grad():  # no layer writes to the residual: hidden = embedding; logits = its dim 0
        for layer in lm.model.layers:
            layer.self_attn.o_proj.weight.zero_()
            layer.mlp.down_proj.weight.zero_()
        lm.model.norm.weight.zero_()
        lm.model.norm.weight[0] = 1.0
        embedding = lm.get_input_embeddings().weight  # tied: also the output rows
        embedding[:, 0] = 1.0
        embedding[eos, 0] = 1.9
    shutil.copytree(tiny_model_dir, tmp_path / "eager")
    lm.save_pretrained(tmp_path / "eager")
    sampling = Sampling(temperature=1.0, top_p=1.0, top_k=0, max_tokens=5, seed=0)
    done = HFBackend(str(tmp_path / "eager"), device="cpu").chat(CHAT, 8, sampling)
    assert [(c.finish_reason, c.completion_tokens) for c in done] == [
        ("stop", 4), ("stop", 2), ("length", 5), ("stop", 5), ("stop", 2), ("length", 5), ("stop", 2),
        ("stop", 2),
    ]
    for c in done:
        assert len(c.token_ids) == len(c.logprobs) == c.completion_tokens
        assert eos not in c.token_ids[:-1] and "<|im_end|>" not in c.text
        assert (c.token_ids[-1] == eos) == (c.finish_reason == "stop")
        assert [round(lp, 1) for lp in c.logprobs] == [
            -1.5 if t == eos else -8.6 for t in c.token_ids
        ]


def test_context_is_enforced_and_caps_max_tokens(tiny_model_dir: Path) -> None:
    length = len(prompt_ids(reference(tiny_model_dir)[0], CHAT, None))
    with pytest.raises(ContextExceeded, match=f"{length} tokens"):
        HFBackend(str(tiny_model_dir), max_context=length).chat(CHAT, 1, Sampling(max_tokens=5))
    roomy = HFBackend(str(tiny_model_dir), max_context=length + 3)
    [c] = roomy.chat(CHAT, 1, Sampling(max_tokens=50, seed=0))
    assert (c.completion_tokens, c.finish_reason) == (3, "length")


def test_threads_get_the_same_samples_as_sequential_calls(backend: HFBackend) -> None:
    chats = [[{"role": "user", "content": f"task {i}"}] for i in range(4)]
    expected = [backend.chat(chat, 2, Sampling(max_tokens=4, seed=i)) for i, chat in enumerate(chats)]
    got = in_threads(lambda i: backend.chat(chats[i], 2, Sampling(max_tokens=4, seed=i)), 4)
    assert got == expected


def test_closed_backend_refuses(tiny_model_dir: Path) -> None:
    hf = HFBackend(str(tiny_model_dir))
    hf.close()
    with pytest.raises(BackendError, match="closed"):
        hf.chat(CHAT, 1, Sampling(max_tokens=2))
