"""In-process vLLM, token-in/token-out, on its async engine: prompts are tokenized here with the model's
chat template, and each agent's request joins the engine's running batch as it arrives (continuous
batching), so no agent waits for the slowest turn of a batch. Needs the `gpu` extra (CUDA only).
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from typing import Any

from harness.backends import Completion, Sampling
from harness.backends.hf import continuation_ids, prompt_ids, room
from harness.backends.tiny import resolve_model
from harness.errors import EngineUnavailable


def load_vllm() -> tuple[Any, Any, Any, Any]:
    """vLLM's AsyncLLMEngine, AsyncEngineArgs, SamplingParams and TokensPrompt (tests replace this
    function with fakes)."""
    try:
        from vllm import AsyncEngineArgs, AsyncLLMEngine, SamplingParams
        from vllm.inputs import TokensPrompt
    except ImportError as exc:
        raise EngineUnavailable(
            "vLLM is not installed: pip install '.[gpu]' on a CUDA machine, "
            "or run `vllm serve` and use the openai backend"
        ) from exc
    return AsyncLLMEngine, AsyncEngineArgs, SamplingParams, TokensPrompt


class VLLMBackend:
    """One async vLLM engine shared by all agent threads, driven by an event loop on a thread of its
    own; `engine_kwargs` go to `AsyncEngineArgs` unchanged."""

    def __init__(
        self, model: str, tensor_parallel_size: int = 1, max_model_len: int | None = None,
        gpu_memory_utilization: float = 0.9, **engine_kwargs: Any,
    ) -> None:
        from transformers import AutoTokenizer

        engine, engine_args, self._params, self._prompt = load_vllm()
        self.model = model
        path = resolve_model(model)
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, name="vllm-engine", daemon=True).start()
        args = engine_args(model=path, tensor_parallel_size=tensor_parallel_size, max_model_len=max_model_len,
                           gpu_memory_utilization=gpu_memory_utilization, **engine_kwargs)
        self._engine = self._run(_make(engine, args))  # built on the loop that will drive it
        self._max_len = max_model_len or self._engine.model_config.max_model_len
        self._tok = AutoTokenizer.from_pretrained(path)
        self._tok_lock = threading.Lock()  # a fast tokenizer raises "Already borrowed" if shared
        self._ids = itertools.count()

    def chat(
        self, messages: list[dict[str, Any]], n: int, sampling: Sampling,
        tools: list[dict[str, Any]] | None = None,
    ) -> list[Completion]:
        """`n` samples of the next turn. `logprobs=0` returns the sampled token's log-prob only (vLLM's
        default logprobs mode is the raw model distribution, as the hf backend reports)."""
        with self._tok_lock:
            ids = prompt_ids(self._tok, messages, tools)
        params = self._params(
            n=n, temperature=sampling.temperature, top_p=sampling.top_p,
            top_k=sampling.top_k if sampling.top_k > 0 else -1,
            max_tokens=room(len(ids), self._max_len, sampling.max_tokens), seed=sampling.seed, logprobs=0,
        )
        out = self._run(self._final(ids, params))
        return [_completion(o, len(ids)) for o in out.outputs]

    def continuation_logprobs(self, messages: list[dict[str, Any]],
                              continuations: list[str]) -> list[float]:
        """Sum of each continuation's prompt log-probs (`prompt_logprobs=0`: the actual tokens' only)."""
        with self._tok_lock:
            pairs = [continuation_ids(self._tok, messages, text) for text in continuations]
        params = self._params(max_tokens=1, prompt_logprobs=0)
        outs = self._run(asyncio.gather(*(self._final(ids + cont, params) for ids, cont in pairs)))
        return [sum(out.prompt_logprobs[len(ids) + i][t].logprob for i, t in enumerate(cont))
                for (ids, cont), out in zip(pairs, outs, strict=True)]

    def prompt_tokens(self, messages: list[dict[str, Any]]) -> int:
        with self._tok_lock:
            return len(prompt_ids(self._tok, messages, None))

    def close(self) -> None:
        """Stop the engine and its loop."""
        if self._engine is not None:
            self._engine.shutdown()
            self._engine = None
        self._loop.call_soon_threadsafe(self._loop.stop)

    def _run(self, coro: Any) -> Any:
        """Run `coro` on the engine's loop and wait for it here, in the caller's (agent's) thread."""
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    async def _final(self, ids: list[int], params: Any) -> Any:
        """The finished RequestOutput of one request, which joins the running batch at the next step."""
        final = None
        async for out in self._engine.generate(self._prompt(prompt_token_ids=list(ids)), params,
                                               f"harness-{next(self._ids)}"):
            final = out
        return final


async def _make(engine: Any, args: Any) -> Any:
    return engine.from_engine_args(args)


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
