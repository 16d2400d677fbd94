"""VLLMBackend's mapping and scheduling, with a fake async engine in place of vllm (not installable on
CPU): each request streams a step at a time, so requests overlap as they do in vLLM's running batch."""

from __future__ import annotations

import asyncio
import importlib.util
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from threads import in_threads
from transformers import AutoTokenizer

from harness.backends import ContextExceeded, Sampling
from harness.backends import vllm as vllm_backend
from harness.backends.hf import prompt_ids
from harness.errors import EngineUnavailable

MAX_LEN = 64
STEP = 0.02  # seconds the fake engine takes per generated token


class FakeEngine:
    """Answers each prompt with n outputs: token ids [prompt length, j], log-probs -(j+1)/2, -(j+2)/2
    (other candidates in the dicts as vLLM may add), finish "length" for j == 0 else "stop"; it takes
    STEP a token up to max_tokens (at most 2 tokens are reported), and counts requests in flight."""

    instances: list[FakeEngine] = []

    def __init__(self, args: dict) -> None:
        self.args, self.calls, self.active, self.most_active, self.closed = args, [], 0, 0, False
        self.model_config = SimpleNamespace(max_model_len=MAX_LEN)
        FakeEngine.instances.append(self)

    @classmethod
    def from_engine_args(cls, args: dict) -> FakeEngine:
        return cls(args)

    async def generate(self, prompt: dict, params: dict, request_id: str):
        self.calls.append((prompt, params, request_id))
        self.active += 1
        self.most_active = max(self.most_active, self.active)
        for _ in range(params["max_tokens"]):
            await asyncio.sleep(STEP)
            yield SimpleNamespace(finished=False)
        self.active -= 1
        n = len(prompt["prompt_token_ids"])
        yield SimpleNamespace(finished=True, outputs=[
            SimpleNamespace(
                text=f"{n}/{j}", token_ids=[n, j],
                logprobs=[{n: SimpleNamespace(logprob=-(j + 1) / 2), 99: None},
                          {j: SimpleNamespace(logprob=-(j + 2) / 2)}],
                finish_reason="length" if j == 0 else "stop",
            ) for j in range(params.get("n", 1))])

    def shutdown(self) -> None:
        self.closed = True


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch, tiny_model_dir: Path):
    monkeypatch.setattr(vllm_backend, "load_vllm", lambda: (FakeEngine, dict, dict, dict))
    FakeEngine.instances.clear()
    backend = vllm_backend.VLLMBackend(str(tiny_model_dir), enable_prefix_caching=True)
    yield backend
    backend.close()


def chat(i: int) -> list[dict[str, str]]:
    return [{"role": "user", "content": "fix it " * i}]


def test_engine_and_sampling_settings(engine: vllm_backend.VLLMBackend, tiny_model_dir: Path) -> None:
    [llm] = FakeEngine.instances
    assert llm.args == {"model": str(tiny_model_dir), "tensor_parallel_size": 1, "max_model_len": None,
                        "gpu_memory_utilization": 0.9, "enable_prefix_caching": True}
    done = engine.chat(chat(1), 2, Sampling(top_k=0, seed=3, max_tokens=1000))
    ids = prompt_ids(AutoTokenizer.from_pretrained(tiny_model_dir), chat(1), None)
    [(prompt, params, _)] = llm.calls
    assert prompt == {"prompt_token_ids": ids}
    assert params == {"n": 2, "temperature": 0.7, "top_p": 0.8, "top_k": -1, "seed": 3, "logprobs": 0,
                      "max_tokens": MAX_LEN - len(ids)}
    assert [(c.text, c.token_ids, c.logprobs, c.prompt_tokens, c.completion_tokens, c.finish_reason)
            for c in done] == [
        (f"{len(ids)}/0", (len(ids), 0), (-0.5, -1.0), len(ids), 2, "length"),
        (f"{len(ids)}/1", (len(ids), 1), (-1.0, -1.5), len(ids), 2, "stop"),
    ]
    engine.close()
    assert llm.closed


def test_prompt_longer_than_the_engine_is_context_exceeded(engine: vllm_backend.VLLMBackend) -> None:
    with pytest.raises(ContextExceeded, match=f"context is {MAX_LEN}"):
        engine.chat(chat(40), 1, Sampling())
    assert FakeEngine.instances[0].calls == []


def test_concurrent_callers_are_in_the_engine_together(
    engine: vllm_backend.VLLMBackend, tiny_model_dir: Path
) -> None:
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    lengths = [len(prompt_ids(tok, chat(i), None)) for i in range(4)]
    results = in_threads(lambda i: engine.chat(chat(i), i + 1, Sampling(max_tokens=4)), 4)
    assert [[c.text for c in done] for done in results] == [
        [f"{lengths[i]}/{j}" for j in range(i + 1)] for i in range(4)
    ]
    [llm] = FakeEngine.instances
    assert len(llm.calls) == 4 and len({request_id for *_, request_id in llm.calls}) == 4
    assert llm.most_active == 4


def test_a_short_turn_does_not_wait_for_a_long_one(engine: vllm_backend.VLLMBackend) -> None:
    """A request that arrives while another runs joins the running batch: a 2-token turn started after
    a 30-token one ends long before it (a batch-at-a-time engine would make it wait for the long one)."""
    ended: dict[str, float] = {}

    def turn(name: str, tokens: int) -> None:
        engine.chat(chat(1), 1, Sampling(max_tokens=tokens))
        ended[name] = time.monotonic()

    long = threading.Thread(target=turn, args=("long", 30))
    long.start()
    time.sleep(5 * STEP)  # the long turn is generating
    began = time.monotonic()
    turn("short", 2)
    long.join()
    assert ended["short"] - began < 10 * STEP < ended["long"] - began


@pytest.mark.skipif(importlib.util.find_spec("vllm") is not None, reason="vllm is installed")
def test_missing_vllm_says_how_to_get_it() -> None:
    with pytest.raises(EngineUnavailable, match=r"pip install '\.\[gpu\]'"):
        vllm_backend.VLLMBackend("tiny")
