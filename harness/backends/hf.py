"""In-process sampling with transformers `generate`: exact token ids and raw log-probs, no server.
Meant for small models (tests, the embedded "tiny" model, debugging); use vllm or openai at scale.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from harness.backends import BackendError, Completion, ContextExceeded, Sampling
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


@contextlib.contextmanager
def _seeded(seed: int | None, device: Any) -> Iterator[None]:
    """Seed torch for one generate call without touching the caller's RNG state."""
    if seed is None:
        yield
        return
    import torch

    with torch.random.fork_rng(devices=[device.index or 0] if device.type == "cuda" else []):
        torch.manual_seed(seed)
        yield


class HFBackend:
    """A transformers causal LM behind one lock (generate is not re-entrant); `model` may be "tiny"."""

    def __init__(
        self, model: str, device: str | None = None, dtype: str | None = None,
        max_context: int | None = None,
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
        self._lm = lm.to(self._device).eval()
        self._max_context = max_context or lm.config.max_position_embeddings
        eos = lm.generation_config.eos_token_id
        if eos is None:
            eos = self._tok.eos_token_id
        self._eos = set(eos) if isinstance(eos, list) else {eos}
        pad = self._tok.pad_token_id
        self._pad = min(self._eos) if pad is None else pad
        self._lock = threading.Lock()

    def chat(
        self, messages: list[dict[str, Any]], n: int, sampling: Sampling,
        tools: list[dict[str, Any]] | None = None,
    ) -> list[Completion]:
        """`n` samples; temperature 0 is greedy (one decode, repeated: generate refuses n>1 greedy)."""
        import torch

        greedy = sampling.temperature <= 0
        options: dict[str, Any] = {"do_sample": False} if greedy else {
            "do_sample": True, "temperature": sampling.temperature, "top_p": sampling.top_p,
            "top_k": max(sampling.top_k, 0), "num_return_sequences": n,  # top_k 0: no top-k filter
        }
        with self._lock:
            if self._lm is None:
                raise BackendError(f"the hf backend for {self.model!r} is closed")
            ids = prompt_ids(self._tok, messages, tools)
            max_new = room(len(ids), self._max_context, sampling.max_tokens)
            x = torch.tensor([ids], device=self._device)
            with torch.inference_mode(), _seeded(sampling.seed, self._device):
                out = self._lm.generate(
                    input_ids=x, attention_mask=torch.ones_like(x), max_new_tokens=max_new,
                    eos_token_id=sorted(self._eos), pad_token_id=self._pad,
                    output_logits=True, return_dict_in_generate=True, **options,
                )
        sampled = out.sequences[:, len(ids):]
        # `output_logits` are the raw logits of each step, before temperature/top-k/top-p warping.
        logprobs = torch.stack([
            step.float().log_softmax(-1).gather(-1, sampled[:, t, None]).squeeze(-1)
            for t, step in enumerate(out.logits)
        ], dim=1)
        rows = zip(sampled.tolist(), logprobs.tolist(), strict=True)
        done = [self._completion(row, lps, len(ids)) for row, lps in rows]
        return done * n if greedy else done

    def continuation_logprobs(self, messages: list[dict[str, Any]],
                              continuations: list[str]) -> list[float]:
        """Sum of log-probs of each continuation's tokens after the generation prompt (teacher forced)."""
        import torch

        found = []
        with self._lock, torch.inference_mode():
            for text in continuations:
                ids, cont = continuation_ids(self._tok, messages, text)
                x = torch.tensor([ids + cont], device=self._device)
                logits = self._lm(input_ids=x).logits[0, len(ids) - 1 : -1].float()
                found.append(logits.log_softmax(-1).gather(-1, x[0, len(ids):, None]).sum().item())
        return found

    def prompt_tokens(self, messages: list[dict[str, Any]]) -> int:
        with self._lock:
            return len(prompt_ids(self._tok, messages, None))

    def close(self) -> None:
        """Drop the model so its memory can be reclaimed."""
        import torch

        with self._lock:
            self._lm = None
        if self._device.type == "cuda":
            torch.cuda.empty_cache()

    def _completion(self, row: list[int], logprobs: list[float], prompt_len: int) -> Completion:
        """One sample cut after its first eos (generate pads finished rows up to the longest)."""
        stop = next((i + 1 for i, t in enumerate(row) if t in self._eos), None)
        row, logprobs = row[:stop], logprobs[:stop]
        return Completion(
            text=self._tok.decode(row, skip_special_tokens=True), token_ids=tuple(row),
            logprobs=tuple(logprobs), prompt_tokens=prompt_len, completion_tokens=len(row),
            finish_reason="length" if stop is None else "stop",
        )
