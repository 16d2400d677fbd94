"""The transformers backend on the tiny model: raw log-probs, seeds, greedy, eos, context, threads, and
concurrent calls decoded as one batch."""

from __future__ import annotations

import functools
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch
from threads import in_threads
from transformers import AutoModelForCausalLM, AutoTokenizer

from harness.backends import BackendError, Completion, ContextExceeded, Sampling
from harness.backends.hf import HFBackend, prompt_ids

CHAT = [{"role": "system", "content": "You fix bugs."}, {"role": "user", "content": "Fix parse()."}]
SHORT = [{"role": "user", "content": "Hi."}]
LONG = [{"role": "user", "content": " ".join(f"step{i} = parse(line{i})" for i in range(60))}]
GREEDY = Sampling(temperature=0.0, max_tokens=8)


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


def assert_same_samples(got: list[Completion], alone: list[Completion]) -> None:
    """The same tokens; log-probs equal up to float rounding (a batch's matmuls have other shapes)."""
    assert [c.token_ids for c in got] == [c.token_ids for c in alone]
    assert [(c.text, c.finish_reason, c.prompt_tokens) for c in got] == [
        (c.text, c.finish_reason, c.prompt_tokens) for c in alone
    ]
    for mine, lone in zip(got, alone, strict=True):
        assert torch.allclose(torch.tensor(mine.logprobs), torch.tensor(lone.logprobs), atol=1e-5)


def decoded_together(hf: HFBackend, monkeypatch: pytest.MonkeyPatch,
                     calls: list[Callable[[], Any]]) -> tuple[list[Any], list[int]]:
    """The results of `calls`, one thread each, admitted to the decode together; and the rows of every
    admission. The test holds the model lock (which the decoder takes before it looks at the queue)
    until every call is queued."""
    admit, admitted = hf._admit, []

    def counting(rows: list) -> None:
        admitted.append(len(rows))
        admit(rows)

    monkeypatch.setattr(hf, "_admit", counting)
    with hf._lock:
        results: list[Any] = []
        runner = threading.Thread(target=lambda: results.extend(in_threads(lambda i: calls[i](), len(calls))))
        runner.start()
        deadline = time.monotonic() + 30
        while len(hf._pending) < len(calls) and time.monotonic() < deadline:
            time.sleep(0.005)
    runner.join(60)
    return results, admitted


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
        ("stop", 4), ("stop", 1), ("stop", 1), ("stop", 4), ("stop", 1), ("length", 5), ("stop", 5),
        ("stop", 5),
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
    for mine, alone in zip(got, expected, strict=True):
        assert_same_samples(mine, alone)


def test_closed_backend_refuses(tiny_model_dir: Path) -> None:
    hf = HFBackend(str(tiny_model_dir))
    hf.close()
    assert not hf._worker.is_alive()
    with pytest.raises(BackendError, match="closed"):
        hf.chat(CHAT, 1, Sampling(max_tokens=2))


def test_four_threads_are_decoded_as_one_batch(backend: HFBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    call = functools.partial(backend.chat, CHAT, 1, Sampling(max_tokens=3, seed=0))
    done, rows = decoded_together(backend, monkeypatch, [call] * 4)
    assert rows == [4] and len(done) == 4
    for other in done[1:]:  # the rows of a CPU batch may round apart in the last bits
        assert_same_samples(other, done[0])


def test_batched_greedy_decodes_match_lone_ones(
    backend: HFBackend, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Prompts of three lengths: left padding, positions and masks leave each row's decode unchanged."""
    chats = [CHAT, SHORT, LONG]
    alone = [backend.chat(chat, 1, GREEDY) for chat in chats]
    together, rows = decoded_together(
        backend, monkeypatch, [functools.partial(backend.chat, chat, 2, GREEDY) for chat in chats]
    )
    assert rows == [3]  # greedy: one row a request, its answer repeated n times
    for chat, [lone], [first, second] in zip(chats, alone, together, strict=True):
        assert first == second and first.token_ids == lone.token_ids
        assert first.completion_tokens == 8 and first.finish_reason == "length"
        expected = forward_logprobs(tiny_model_dir, chat, first.token_ids)
        assert torch.allclose(torch.tensor(first.logprobs), expected, atol=1e-4)


def test_a_seeded_sample_does_not_depend_on_its_batch(
    backend: HFBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each sample draws from its own generator (request seed, sample index): batched with requests of
    other lengths, other settings and n, it draws the same tokens. Log-probs may differ by float rounding
    (other matmul shapes), so they are compared to a tolerance; a token could only change where a draw
    falls within that rounding of a boundary between two tokens' probability mass."""
    mine = Sampling(max_tokens=10, seed=3)
    alone = backend.chat(CHAT, 2, mine)
    others = [(LONG, 3, Sampling(temperature=1.0, top_p=0.9, top_k=0, max_tokens=4, seed=1)),
              (SHORT, 1, Sampling(temperature=1.3, top_p=1.0, top_k=5, max_tokens=12)),
              (SHORT, 2, GREEDY)]
    calls = [functools.partial(backend.chat, CHAT, 2, mine)]
    calls += [functools.partial(backend.chat, *other) for other in others]
    [together, *_], rows = decoded_together(backend, monkeypatch, calls)
    assert rows == [2 + 3 + 1 + 1]
    assert_same_samples(together, alone)


def test_padding_adds_nothing_to_a_short_rows_logprobs(
    backend: HFBackend, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sampling = Sampling(temperature=1.0, top_p=1.0, top_k=0, max_tokens=12, seed=5)
    [alone] = backend.chat(SHORT, 1, sampling)
    calls = [functools.partial(backend.chat, SHORT, 1, sampling),
             functools.partial(backend.chat, LONG, 1, GREEDY)]
    [[short], [long]], rows = decoded_together(backend, monkeypatch, calls)
    assert rows == [2] and long.prompt_tokens > 10 * short.prompt_tokens
    assert short.token_ids == alone.token_ids
    for got in (torch.tensor(short.logprobs), forward_logprobs(tiny_model_dir, SHORT, short.token_ids)):
        assert torch.allclose(got, torch.tensor(alone.logprobs), atol=1e-4)



def test_a_prompt_too_long_fails_only_its_own_caller(tiny_model_dir: Path) -> None:
    length = len(prompt_ids(reference(tiny_model_dir)[0], CHAT, None))
    hf = HFBackend(str(tiny_model_dir), device="cpu", max_context=length + 4)

    def call(i: int) -> Any:
        try:
            return hf.chat([LONG, CHAT][i], 1, Sampling(max_tokens=10, seed=0))
        except ContextExceeded as exc:
            return exc

    refused, [done] = in_threads(call, 2)
    assert isinstance(refused, ContextExceeded)
    assert (done.completion_tokens, done.finish_reason) == (4, "length")
    hf.close()


def test_a_call_joins_the_running_decode_and_leaves_before_it_ends(
    backend: HFBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Continuous batching: a short call made while a long one decodes runs beside it and returns as
    soon as its own rows end; the long one goes on alone."""
    step, widths, started = backend._batch.step, [], threading.Event()

    def counting(lm: Any, finished: Any) -> list:
        widths.append(len(backend._batch.rows))
        if len(widths) == 3:
            started.set()
        return step(lm, finished)

    monkeypatch.setattr(backend._batch, "step", counting)

    def call(i: int) -> Any:
        if i == 0:
            return backend.chat(LONG, 1, Sampling(max_tokens=60, seed=4))
        started.wait(30)
        return backend.chat(SHORT, 1, Sampling(max_tokens=3, seed=4))

    [long], [short] = in_threads(call, 2)
    assert (long.completion_tokens, short.completion_tokens) == (60, 3)  # neither met an eos
    joined = widths.index(2)
    assert widths == [1] * joined + [2] * 3 + [1] * (60 - joined - 3) and joined >= 3


def test_rows_outgrowing_the_cache_buffers_decode_unchanged(
    tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Buffers with room for 3 more positions: every few steps they are copied into larger ones, and
    the greedy tokens and log-probs stay those of one forward pass."""
    from harness.backends import hf_batch

    monkeypatch.setattr(hf_batch, "ROOM", 3)
    hf = HFBackend(str(tiny_model_dir), device="cpu")
    chats = [CHAT, LONG]
    calls = [functools.partial(hf.chat, chat, 1, GREEDY) for chat in chats]
    done, _ = decoded_together(hf, monkeypatch, calls)
    for chat, [c] in zip(chats, done, strict=True):
        assert c.completion_tokens == 8
        assert torch.allclose(torch.tensor(c.logprobs), forward_logprobs(tiny_model_dir, chat, c.token_ids),
                              atol=1e-4)
        assert tuple(forward_logits(tiny_model_dir, chat, c.token_ids).argmax(-1).tolist()) == c.token_ids
    hf.close()
