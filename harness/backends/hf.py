"""In-process sampling with transformers: exact token ids and raw log-probs, no server. The agents'
concurrent `chat` calls are gathered (batching.Batcher) into one left-padded decode on a KV cache.
Sampling is exactly the request's settings: a model's generation_config defaults are not applied.
Meant for small models (tests, the embedded "tiny" model, debugging); use vllm or openai at scale.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from typing import Any

from harness.backends import Completion, ContextExceeded, Sampling
from harness.backends.batching import Batcher
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


@dataclass
class _Row:
    """One sequence of a batch: its prompt, its token budget, how it picks tokens (no generator:
    greedy), and what it has decoded so far."""

    prompt: tuple[int, ...]
    max_new: int
    warpers: tuple[Any, ...] = ()
    generator: Any = None
    tokens: list[int] = field(default_factory=list)
    logprobs: list[float] = field(default_factory=list)

    def pick(self, logits: Any) -> Any:
        """The next token from this row's raw logits: their argmax, or a draw from the warped
        distribution with the row's own generator."""
        import torch

        if self.generator is None:
            return logits.argmax()
        scores = logits[None]
        for warp in self.warpers:
            scores = warp(None, scores)
        return torch.multinomial(scores[0].softmax(-1), 1, generator=self.generator)[0]


def _rows(request: TokenRequest, device: Any) -> list[_Row]:
    """A request's sequences: one when greedy (its answer serves all n samples), else n."""
    if request.sampling.temperature <= 0:
        return [_Row(request.ids, request.max_tokens)]
    warpers = _warpers(request.sampling)
    return [_Row(request.ids, request.max_tokens, warpers, _generator(request.sampling.seed, i, device))
            for i in range(request.n)]


def _warpers(sampling: Sampling) -> tuple[Any, ...]:
    """Temperature, then top-k (0: none), then top-p (1: none), in the order `generate` applies them."""
    from transformers import TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper

    top_k = (TopKLogitsWarper(sampling.top_k),) if sampling.top_k > 0 else ()
    top_p = (TopPLogitsWarper(sampling.top_p),) if sampling.top_p < 1 else ()
    return (TemperatureLogitsWarper(float(sampling.temperature)), *top_k, *top_p)


def _generator(seed: int | None, index: int, device: Any) -> Any:
    """A generator of one sample's own, so its draws do not depend on the rest of its batch: seeded
    from (the request's seed, the sample's index), or at random when the request has no seed."""
    import torch

    generator = torch.Generator(device=device)
    if seed is None:
        generator.seed()
    else:
        digest = hashlib.sha256(f"{seed}:{index}".encode()).digest()
        generator.manual_seed(int.from_bytes(digest[:8], "little"))
    return generator


def _left_padded(states: list[Any], width: int) -> Any:
    """Cached keys or values of single rows ([1, heads, length, dim]) as one batch padded on the left
    with zeros to `width` positions."""
    import torch
    import torch.nn.functional as F

    return torch.cat([F.pad(state, (0, 0, width - state.shape[-2], 0)) for state in states])


def _token_logprobs(logits: Any, tokens: Any) -> Any:
    """Log-prob of each token under the raw logits of its position (`logits` [N, vocab], `tokens` [N])."""
    return logits.float().log_softmax(-1).gather(-1, tokens[:, None]).squeeze(-1)


class HFBackend:
    """A transformers causal LM; `model` may be "tiny". One batcher thread decodes the pending `chat`
    calls together (waiting up to `max_wait` s for the other threads that call `chat`); a lock keeps
    that decode and `continuation_logprobs` from sharing the model."""

    def __init__(
        self, model: str, device: str | None = None, dtype: str | None = None,
        max_context: int | None = None, max_wait: float = 0.02,
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
        pad = self._tok.pad_token_id
        self._pad = min(self._eos) if pad is None else pad
        self._lock = threading.Lock()  # the model
        self._tok_lock = threading.Lock()  # a fast tokenizer raises "Already borrowed" if shared
        self._batcher = Batcher(self._run, max_wait=max_wait)

    def chat(
        self, messages: list[dict[str, Any]], n: int, sampling: Sampling,
        tools: list[dict[str, Any]] | None = None,
    ) -> list[Completion]:
        """`n` samples, decoded with the other threads' pending calls; temperature 0 is greedy (one
        decode, repeated). A prompt that does not fit raises ContextExceeded here, before batching."""
        with self._tok_lock:
            ids = prompt_ids(self._tok, messages, tools)
        max_tokens = room(len(ids), self._max_context, sampling.max_tokens)
        return self._batcher.submit(TokenRequest(tuple(ids), n, sampling, max_tokens))

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
                found.append(_token_logprobs(logits, x[0, len(ids):]).sum().item())
        return found

    def prompt_tokens(self, messages: list[dict[str, Any]]) -> int:
        with self._tok_lock:
            return len(prompt_ids(self._tok, messages, None))

    def close(self) -> None:
        """Finish pending batches, refuse new ones, and drop the model so its memory can be reclaimed."""
        import torch

        self._batcher.close()
        with self._lock:
            self._lm = None
        if self._device.type == "cuda":
            torch.cuda.empty_cache()

    def _run(self, batch: list[TokenRequest]) -> list[list[Completion]]:
        """The batcher's function: the rows of all requests decoded together, then regrouped."""
        import torch

        groups = [_rows(request, self._device) for request in batch]
        with self._lock, torch.inference_mode():
            self._generate([row for group in groups for row in group])
        return [
            [self._completion(row, len(request.ids)) for row in group] * (request.n // len(group))
            for request, group in zip(batch, groups, strict=True)  # a greedy request decoded one row
        ]

    def _generate(self, rows: list[_Row]) -> None:
        """Decode the rows as one batch, filling their tokens and raw log-probs: a token per unfinished
        row per step on one KV cache; a row leaves the batch at eos or at its budget."""
        import torch

        logits, cache, mask = self._prefill(rows)
        positions = torch.tensor([[len(row.prompt)] for row in rows], device=self._device)
        live = rows
        while True:
            chosen = torch.stack([row.pick(x) for row, x in zip(live, logits, strict=True)])
            for row, token, logprob in zip(live, chosen.tolist(), _token_logprobs(logits, chosen).tolist(),
                                           strict=True):
                row.tokens.append(token)
                row.logprobs.append(logprob)
            keep = [j for j, row in enumerate(live) if not self._finished(row)]
            if not keep:
                return
            if len(keep) < len(live):
                index = torch.tensor(keep, device=self._device)
                chosen, positions, mask = chosen[index], positions[index], mask[index]
                cache.batch_select_indices(index)
                live = [live[j] for j in keep]
            mask = torch.cat([mask, mask.new_ones(len(live), 1)], dim=1)
            out = self._lm(input_ids=chosen[:, None], attention_mask=mask, position_ids=positions,
                           cache=cache, use_cache=True)
            logits, positions = out.logits[:, -1].float(), positions + 1

    def _prefill(self, rows: list[_Row]) -> tuple[Any, Any, Any]:
        """The rows' last-token logits, one KV cache and its attention mask. Each distinct prompt runs
        alone (a padded batch needs a full attention mask: 2x slower on CPU at 3k tokens), then its keys
        and values are left-padded with zeros, masked out, to the longest prompt (full attention layers:
        a sliding window's cropped cache would not line up)."""
        import torch
        from transformers import DynamicCache

        alone = {prompt: self._lm(input_ids=torch.tensor([prompt], device=self._device), use_cache=True,
                                  logits_to_keep=1)
                 for prompt in dict.fromkeys(row.prompt for row in rows)}
        width = max(map(len, alone))
        outs = [alone[row.prompt] for row in rows]
        layers = zip(*(out.cache for out in outs), strict=True)  # per layer: each row's (keys, values, ...)
        cache = DynamicCache([(_left_padded([kv[0] for kv in layer], width),
                               _left_padded([kv[1] for kv in layer], width)) for layer in layers],
                             config=self._lm.config)
        mask = torch.tensor([[0] * (width - len(row.prompt)) + [1] * len(row.prompt) for row in rows],
                            device=self._device)
        return torch.cat([out.logits[:, -1] for out in outs]).float(), cache, mask

    def _finished(self, row: _Row) -> bool:
        """Whether the row has just sampled an eos or used its token budget."""
        return row.tokens[-1] in self._eos or len(row.tokens) >= row.max_new

    def _completion(self, row: _Row, prompt_len: int) -> Completion:
        """One decoded row: it ends at its first eos ("stop") or at its token budget ("length")."""
        with self._tok_lock:
            text = self._tok.decode(row.tokens, skip_special_tokens=True)
        return Completion(
            text=text, token_ids=tuple(row.tokens), logprobs=tuple(row.logprobs), prompt_tokens=prompt_len,
            completion_tokens=len(row.tokens),
            finish_reason="stop" if row.tokens[-1] in self._eos else "length",
        )
