"""VLLMBackend's mapping and batching, with a fake engine in place of vllm (not installable on CPU)."""

from __future__ import annotations

import importlib.util
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from threads import in_threads
from transformers import AutoTokenizer

from harness.backends import ContextExceeded, Sampling
from harness.backends import vllm as vllm_backend
from harness.backends.hf import prompt_ids
from harness.errors import EngineUnavailable

MAX_LEN = 64


class FakeLLM:
    """Answers each prompt with n outputs: token ids [prompt length, j], log-probs -(j+1)/2, -(j+2)/2
    (other candidates in the dicts as vLLM may add), finish "length" for j == 0 else "stop"."""

    instances: list[FakeLLM] = []

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs, self.calls = kwargs, []
        self.lock = threading.Lock()
        self.llm_engine = SimpleNamespace(model_config=SimpleNamespace(max_model_len=MAX_LEN))
        FakeLLM.instances.append(self)

    def generate(self, prompts: list[dict], params: list[dict], use_tqdm: bool) -> list[Any]:
        with self.lock:
            self.calls.append((prompts, params))
        time.sleep(0.2)
        return [SimpleNamespace(outputs=[
            SimpleNamespace(
                text=f"{len(p['prompt_token_ids'])}/{j}", token_ids=[len(p["prompt_token_ids"]), j],
                logprobs=[{len(p["prompt_token_ids"]): SimpleNamespace(logprob=-(j + 1) / 2), 99: None},
                          {j: SimpleNamespace(logprob=-(j + 2) / 2)}],
                finish_reason="length" if j == 0 else "stop",
            ) for j in range(sp["n"])
        ]) for p, sp in zip(prompts, params, strict=True)]


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch, tiny_model_dir: Path):
    monkeypatch.setattr(vllm_backend, "load_vllm", lambda: (FakeLLM, dict, dict))
    FakeLLM.instances.clear()
    backend = vllm_backend.VLLMBackend(str(tiny_model_dir), max_wait=0.05, enable_prefix_caching=True)
    yield backend
    backend.close()


def chat(i: int) -> list[dict[str, str]]:
    return [{"role": "user", "content": "fix it " * i}]


def test_engine_and_sampling_settings(engine: vllm_backend.VLLMBackend, tiny_model_dir: Path) -> None:
    [llm] = FakeLLM.instances
    assert llm.kwargs == {"model": str(tiny_model_dir), "tensor_parallel_size": 1, "max_model_len": None,
                          "gpu_memory_utilization": 0.9, "enable_prefix_caching": True}
    done = engine.chat(chat(1), 2, Sampling(top_k=0, seed=3, max_tokens=1000))
    ids = prompt_ids(AutoTokenizer.from_pretrained(tiny_model_dir), chat(1), None)
    [(prompts, params)] = llm.calls
    assert prompts == [{"prompt_token_ids": ids}]
    assert params == [{"n": 2, "temperature": 0.7, "top_p": 0.8, "top_k": -1, "seed": 3, "logprobs": 0,
                       "max_tokens": MAX_LEN - len(ids)}]
    assert [(c.text, c.token_ids, c.logprobs, c.prompt_tokens, c.completion_tokens, c.finish_reason)
            for c in done] == [
        (f"{len(ids)}/0", (len(ids), 0), (-0.5, -1.0), len(ids), 2, "length"),
        (f"{len(ids)}/1", (len(ids), 1), (-1.0, -1.5), len(ids), 2, "stop"),
    ]


def test_prompt_longer_than_the_engine_is_context_exceeded(engine: vllm_backend.VLLMBackend) -> None:
    with pytest.raises(ContextExceeded, match=f"context is {MAX_LEN}"):
        engine.chat(chat(40), 1, Sampling())
    assert FakeLLM.instances[0].calls == []


def test_concurrent_callers_share_engine_calls(
    engine: vllm_backend.VLLMBackend, tiny_model_dir: Path
) -> None:
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    lengths = [len(prompt_ids(tok, chat(i), None)) for i in range(4)]
    results = in_threads(lambda i: engine.chat(chat(i), i + 1, Sampling(max_tokens=4)), 4)
    assert [[c.text for c in done] for done in results] == [
        [f"{lengths[i]}/{j}" for j in range(i + 1)] for i in range(4)
    ]
    calls = FakeLLM.instances[0].calls
    assert sum(len(prompts) for prompts, _ in calls) == 4 and len(calls) <= 2


@pytest.mark.skipif(importlib.util.find_spec("vllm") is not None, reason="vllm is installed")
def test_missing_vllm_says_how_to_get_it() -> None:
    with pytest.raises(EngineUnavailable, match=r"pip install '\.\[gpu\]'"):
        vllm_backend.VLLMBackend("tiny")
