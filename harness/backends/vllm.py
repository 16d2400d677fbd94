"""In-process vLLM, token-in/token-out: prompts are tokenized here with the model's chat template and
the agents' concurrent calls are gathered into one `LLM.generate` (the offline engine is not
thread-safe, and its speed comes from batching). Needs the `gpu` extra (CUDA only).
"""

from __future__ import annotations

import threading
from typing import Any

from harness.backends import Completion, Sampling
from harness.backends.batching import Batcher
from harness.backends.hf import TokenRequest, continuation_ids, prompt_ids, room
from harness.backends.tiny import resolve_model
from harness.errors import EngineUnavailable


def load_vllm() -> tuple[Any, Any, Any]:
    """vLLM's LLM, SamplingParams and TokensPrompt (tests replace this function with fakes)."""
    try:
        from vllm import LLM, SamplingParams
        from vllm.inputs import TokensPrompt
    except ImportError as exc:
        raise EngineUnavailable(
            "vLLM is not installed: pip install '.[gpu]' on a CUDA machine, "
            "or run `vllm serve` and use the openai backend"
        ) from exc
    return LLM, SamplingParams, TokensPrompt


class VLLMBackend:
    """One vLLM engine shared by all agent threads; `engine_kwargs` go to `vllm.LLM` unchanged."""

    def __init__(
        self, model: str, tensor_parallel_size: int = 1, max_model_len: int | None = None,
        gpu_memory_utilization: float = 0.9, max_wait: float = 0.02, **engine_kwargs: Any,
    ) -> None:
        from transformers import AutoTokenizer

        llm, self._params, self._prompt = load_vllm()
        self.model = model
        path = resolve_model(model)
        self._llm = llm(
            model=path, tensor_parallel_size=tensor_parallel_size, max_model_len=max_model_len,
            gpu_memory_utilization=gpu_memory_utilization, **engine_kwargs,
        )
        self._max_len = max_model_len or self._llm.llm_engine.model_config.max_model_len
        self._tok = AutoTokenizer.from_pretrained(path)
        self._tok_lock = threading.Lock()  # a fast tokenizer raises "Already borrowed" if shared
        self._batcher = Batcher(self._generate, max_wait=max_wait)

    def chat(
        self, messages: list[dict[str, Any]], n: int, sampling: Sampling,
        tools: list[dict[str, Any]] | None = None,
    ) -> list[Completion]:
        with self._tok_lock:
            ids = prompt_ids(self._tok, messages, tools)
        max_tokens = room(len(ids), self._max_len, sampling.max_tokens)
        return self._batcher.submit(TokenRequest(tuple(ids), n, sampling, max_tokens))

    def continuation_logprobs(self, messages: list[dict[str, Any]],
                              continuations: list[str]) -> list[float]:
        """Sum of each continuation's prompt log-probs (`prompt_logprobs=0`: the actual tokens' only)."""
        with self._tok_lock:
            pairs = [continuation_ids(self._tok, messages, text) for text in continuations]
        prompts = [self._prompt(prompt_token_ids=ids + cont) for ids, cont in pairs]
        outputs = self._llm.generate(prompts, self._params(max_tokens=1, prompt_logprobs=0), use_tqdm=False)
        return [sum(out.prompt_logprobs[len(ids) + i][t].logprob for i, t in enumerate(cont))
                for (ids, cont), out in zip(pairs, outputs, strict=True)]

    def prompt_tokens(self, messages: list[dict[str, Any]]) -> int:
        with self._tok_lock:
            return len(prompt_ids(self._tok, messages, None))

    def close(self) -> None:
        """Finish pending batches, refuse new ones, drop the engine."""
        self._batcher.close()
        self._llm = None

    def _generate(self, batch: list[TokenRequest]) -> list[list[Completion]]:
        """One engine call for the batch. `logprobs=0` returns the sampled token's log-prob only
        (vLLM's default logprobs mode is the raw model distribution, as the hf backend reports)."""
        prompts = [self._prompt(prompt_token_ids=list(r.ids)) for r in batch]
        params = [self._params(
            n=r.n, temperature=r.sampling.temperature, top_p=r.sampling.top_p,
            top_k=r.sampling.top_k if r.sampling.top_k > 0 else -1, max_tokens=r.max_tokens,
            seed=r.sampling.seed, logprobs=0,
        ) for r in batch]
        outputs = self._llm.generate(prompts, params, use_tqdm=False)
        return [
            [_completion(o, len(r.ids)) for o in out.outputs]
            for r, out in zip(batch, outputs, strict=True)
        ]


def _completion(out: Any, prompt_len: int) -> Completion:
    """A vLLM CompletionOutput as a Completion (`logprobs` is one {token id: Logprob} per step)."""
    ids = tuple(out.token_ids)
    logprobs = None if out.logprobs is None else tuple(
        step[t].logprob for step, t in zip(out.logprobs, ids, strict=True)
    )
    return Completion(
        text=out.text, token_ids=ids, logprobs=logprobs, prompt_tokens=prompt_len,
        completion_tokens=len(ids), finish_reason="length" if out.finish_reason == "length" else "stop",
    )
