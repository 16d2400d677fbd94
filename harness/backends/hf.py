"""In-process sampling with transformers: exact token ids and raw log-probs, no server. The agents'
concurrent `chat` calls share one decode on a left-padded KV cache that rows join and leave at any
step (hf_batch), and reuse the keys and values of the prompts they start with (prefix_cache).
Sampling is exactly the request's settings: a model's generation_config defaults are not applied.
Meant for small models (tests, the embedded "tiny" model, debugging); use vllm or openai at scale.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from harness.backends import BackendError, Completion, ContextExceeded, Sampling
from harness.backends.hf_batch import Row, RunningBatch, rows_for, token_logprobs
from harness.backends.prefix_cache import Layers, PrefixCache
from harness.backends.tiny import resolve_model
from harness.errors import BadInput


def prompt_ids(
    tokenizer: Any, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None
) -> list[int]:
    """The chat's token ids through the assistant generation prompt, by the model's own template
    (transformers 5 returns a BatchEncoding unless `return_dict=False`)."""
    extra = {"tools": tools} if tools else {}
    return list(tokenizer.apply_chat_template(
        messages, add_generation_prompt=True, tokenize=True, return_dict=False, **extra
    ))


def continuation_ids(tokenizer: Any, messages: list[dict[str, Any]],
                     text: str) -> tuple[list[int], list[int]]:
    """(the chat's ids through the generation prompt, `text`'s ids after it)."""
    return prompt_ids(tokenizer, messages, None), list(tokenizer.encode(text, add_special_tokens=False))


def room(prompt_len: int, max_context: int, max_tokens: int) -> int:
    """How many tokens may follow a prompt of `prompt_len`; ContextExceeded when not even one fits."""
    if prompt_len + 1 > max_context:
        raise ContextExceeded(
            f"the conversation is {prompt_len} tokens; the model's context is {max_context}"
        )
    return min(max_tokens, max_context - prompt_len)


@dataclass(frozen=True)
class TokenRequest:
    """One `chat` call as a batching backend sees it: prompt ids, samples wanted, settings, and the
    room for new tokens (`room`)."""

    ids: tuple[int, ...]
    n: int
    sampling: Sampling
    max_tokens: int


class _Job:
    """A `chat` call in the decode: its request, its rows still running, and its caller's future."""

    def __init__(self, request: TokenRequest, future: Future[list[Completion]], device: Any) -> None:
        self.request, self.future = request, future
        self.rows = rows_for(request.ids, request.n, request.sampling, request.max_tokens, device)
        self.left = len(self.rows)
        for row in self.rows:
            row.owner = self


class HFBackend:
    """A transformers causal LM; `model` may be "tiny". One decoder thread runs every pending `chat`
    call in one batch, admitting new calls between steps and answering each as soon as its rows end;
    a lock keeps that decode and `continuation_logprobs` from sharing the model. Prompts reuse the keys
    and values of the recent prompt they share the longest start with (`prefix_cache_bytes` of them;
    0: none)."""

    def __init__(
        self, model: str, device: str | None = None, dtype: str | None = None,
        max_context: int | None = None, prefix_cache_bytes: int = 512 << 20,
    ) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.model = model
        path = resolve_model(model)
        self._device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        try:
            self._tok = AutoTokenizer.from_pretrained(path)
            lm = AutoModelForCausalLM.from_pretrained(path, dtype=dtype or "auto")
        except OSError as exc:
            raise BadInput(f"cannot load model {model!r}: {str(exc).splitlines()[0]}") from exc
        if "sliding_attention" in (getattr(lm.config, "layer_types", None) or ()):
            raise BadInput(f"{model!r} has sliding-window attention layers: the hf backend decodes "
                           "full-attention models only (use vllm)")
        self._lm = lm.to(self._device).eval()
        self._max_context = max_context or lm.config.max_position_embeddings
        eos = lm.generation_config.eos_token_id
        if eos is None:
            eos = self._tok.eos_token_id
        self._eos = set(eos) if isinstance(eos, list) else {eos}
        self._lock = threading.Lock()  # the model, the running batch and the prefix cache
        self._tok_lock = threading.Lock()  # a fast tokenizer raises "Already borrowed" if shared
        self._prefixes = PrefixCache(prefix_cache_bytes)
        self._batch = RunningBatch()
        self._pending: list[_Job] = []
        self._closed = False
        self._cond = threading.Condition()
        self._worker = threading.Thread(target=self._loop, name="hf-decoder", daemon=True)
        self._worker.start()

    def chat(
        self, messages: list[dict[str, Any]], n: int, sampling: Sampling,
        tools: list[dict[str, Any]] | None = None,
    ) -> list[Completion]:
        """`n` samples, decoded with the other threads' calls; temperature 0 is greedy (one decode,
        repeated). A prompt that does not fit raises ContextExceeded here, before it is queued."""
        with self._tok_lock:
            ids = prompt_ids(self._tok, messages, tools)
        max_tokens = room(len(ids), self._max_context, sampling.max_tokens)
        job = _Job(TokenRequest(tuple(ids), n, sampling, max_tokens), Future(), self._device)
        with self._cond:
            if self._closed:
                raise BackendError("the backend is closed; it takes no more requests")
            self._pending.append(job)
            self._cond.notify_all()
        return job.future.result()

    def continuation_logprobs(self, messages: list[dict[str, Any]],
                              continuations: list[str]) -> list[float]:
        """Sum of log-probs of each continuation's tokens after the generation prompt (teacher forced)."""
        import torch

        with self._tok_lock:
            pairs = [continuation_ids(self._tok, messages, text) for text in continuations]
        found = []
        with self._lock, torch.inference_mode():
            for ids, cont in pairs:
                x = torch.tensor([ids + cont], device=self._device)
                logits = self._lm(input_ids=x).logits[0, len(ids) - 1 : -1]
                found.append(token_logprobs(logits, x[0, len(ids):]).sum().item())
        return found

    def prompt_tokens(self, messages: list[dict[str, Any]]) -> int:
        with self._tok_lock:
            return len(prompt_ids(self._tok, messages, None))

    def close(self) -> None:
        """Finish the calls already made, refuse new ones, and drop the model so its memory can be
        reclaimed."""
        import torch

        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._worker.join()
        with self._lock:
            self._lm, self._prefixes = None, PrefixCache(0)
        if self._device.type == "cuda":
            torch.cuda.empty_cache()

    def _loop(self) -> None:
        """The decoder thread: admit what is pending, run one step, answer the calls whose rows all
        ended; a failure is raised in every caller whose rows were in the batch."""
        import torch

        while True:
            with self._cond:
                while not (self._pending or self._batch.rows or self._closed):
                    self._cond.wait()
                if self._closed and not (self._pending or self._batch.rows):
                    return
            with self._lock, torch.inference_mode():
                with self._cond:
                    jobs, self._pending = self._pending, []
                try:
                    if jobs:
                        self._admit([row for job in jobs for row in job.rows])
                    ended = self._batch.step(self._lm, self._finished)
                except Exception as exc:
                    for job in {row.owner for row in self._batch.clear()} | set(jobs):
                        if not job.future.done():
                            job.future.set_exception(exc)
                    continue
            for row in ended:
                row.owner.left -= 1
                if not row.owner.left:
                    self._answer(row.owner)

    def _admit(self, rows: list[Row]) -> None:
        """Run the new rows' prompts (each distinct one alone, after its cached start) and add them to
        the batch: a padded batch prefill needs a full attention mask, 2x slower on CPU at 3k tokens."""
        import torch

        alone = {prompt: self._alone(prompt) for prompt in dict.fromkeys(row.prompt for row in rows)}
        logits = torch.cat([alone[row.prompt][0] for row in rows]).float()
        self._batch.admit(rows, logits, [alone[row.prompt][1] for row in rows])

    def _alone(self, prompt: tuple[int, ...]) -> tuple[Any, Layers]:
        """One prompt's last-token logits and per-layer keys and values, running only the tokens after
        the longest start it shares with a recent prompt (the prefix cache)."""
        import torch
        from transformers import DynamicCache

        reused, known = self._prefixes.longest(prompt)
        past = {"cache": DynamicCache(list(known), config=self._lm.config)} if known else {}
        out = self._lm(input_ids=torch.tensor([prompt[reused:]], device=self._device), use_cache=True,
                       logits_to_keep=1, **past)
        layers = tuple((kv[0], kv[1]) for kv in out.cache)
        self._prefixes.store(prompt, layers)
        return out.logits[:, -1], layers

    def _finished(self, row: Row) -> bool:
        """Whether the row has just sampled an eos or used its token budget."""
        return row.tokens[-1] in self._eos or len(row.tokens) >= row.max_new

    def _answer(self, job: _Job) -> None:
        """A call's completions, each ending at its first eos ("stop") or its token budget ("length");
        a greedy call decoded one row for its n samples."""
        done = []
        for row in job.rows:
            with self._tok_lock:
                text = self._tok.decode(row.tokens, skip_special_tokens=True)
            done.append(Completion(
                text=text, token_ids=tuple(row.tokens), logprobs=tuple(row.logprobs),
                prompt_tokens=len(job.request.ids), completion_tokens=len(row.tokens),
                finish_reason="stop" if row.tokens[-1] in self._eos else "length",
            ))
        job.future.set_result(done * (job.request.n // len(job.rows)))
