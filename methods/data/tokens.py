"""One trajectory -> prompt ids, completion ids and an assistant-only mask, with the chat template's
`{% generation %}` markers (transformers' `return_assistant_tokens_mask`).

Token-in, token-out: where a turn's sampled ids were stored they replace the template's tokens of
that turn's generation span, so training scores exactly the tokens the policy sampled (re-tokenizing
the decoded text can split it differently). They are used only when they decode to the same text as
the span (special tokens skipped), so the rendered text never changes; otherwise the template's own
tokens stay and the turn is counted in `Rendered.mismatched`. Stored ids without the end-of-turn
token (a turn cut by the token limit, finish reason `length`; or a server that leaves the stop token
out of its ids) are closed: the template's end-of-turn tokens (the special tokens closing its span,
`<|im_end|>` for Qwen) are appended and masked like any assistant token, as the template closes a
truncated message: the next prompt at inference showed the turn closed, and the mask is then the
same whichever tokens a turn comes from. Whitespace a template puts after the
end-of-turn token inside the span is template glue: mask 0 (see `split_span`). An example's
`untrained` turns (a demonstration's deliberate mistakes) get mask 0 too, and their spans are returned
so a builder that trains every token can leave them out as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.errors import BadInput
from methods.data.examples import Example


class Unusable(Exception):
    """A trajectory this tokenizer cannot turn into a training row; `reason` is a DropReport key."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class Rendered:
    prompt_ids: list[int]  # system + issue, as the template renders that prefix alone
    completion_ids: list[int]
    completion_mask: list[int]  # 1 exactly on trained assistant tokens (end-of-turn included)
    untrained: tuple[tuple[int, int], ...] = ()  # [start, end) in the completion of the untrained turns
    replaced: int = 0  # turns that carry their sampled ids
    closed: int = 0  # of those, turns given the template's end-of-turn tokens (e.g. a `length` stop)
    mismatched: int = 0  # turns whose stored ids did not decode to the turn's text: template tokens used

    def __len__(self) -> int:
        return len(self.prompt_ids) + len(self.completion_ids)


def training_tokenizer(path: str) -> Any:
    """The tokenizer at `path` with a chat template that marks assistant tokens: its own when it has
    `{% generation %}` markers (the tiny model's), else TRL's shipped training template for a known
    model (Qwen, Llama, Gemma, ...); BadInput for an unknown template without markers."""
    from transformers import AutoTokenizer
    from trl.chat_template_utils import get_training_chat_template

    tokenizer = AutoTokenizer.from_pretrained(path)
    try:
        template = get_training_chat_template(tokenizer)
    except ValueError as exc:
        raise BadInput(f"{path}: its chat template has no {{% generation %}} markers and TRL ships no "
                       "training template for it; add the markers around assistant turns") from exc
    if template is not None:
        tokenizer.chat_template = template
    return tokenizer


def render(tokenizer: Any, example: Example) -> Rendered:
    """Render `example` once with its assistant mask; split at the prompt; splice in sampled ids."""
    prompt = example.prompt
    if prompt is None:
        raise Unusable("no_prompt", "no user message")
    extra = {"tools": example.tools} if example.tools else {}
    enc = tokenizer.apply_chat_template(example.messages, return_assistant_tokens_mask=True,
                                        return_dict=True, tokenize=True, **extra)
    ids, mask = list(enc["input_ids"]), list(enc["assistant_masks"])
    prompt_ids = list(tokenizer.apply_chat_template(prompt, return_dict=True, tokenize=True, **extra)
                      ["input_ids"])
    if ids[: len(prompt_ids)] != prompt_ids or any(mask[: len(prompt_ids)]):
        raise Unusable("prompt_not_prefix", "the template renders system + issue differently in context")
    spans = assistant_spans(mask)
    n_assistant = sum(m.get("role") == "assistant" for m in example.messages)
    if n_assistant == 0:
        raise Unusable("no_assistant")
    if len(spans) != n_assistant:
        raise Unusable("span_mismatch", f"{len(spans)} generation spans for {n_assistant} assistant messages"
                       " (does the chat template have {% generation %} markers?)")
    out_ids, out_mask, untrained = [], [], []
    at, replaced, closed, mismatched = len(prompt_ids), 0, 0, 0
    for i, (start, end) in enumerate(spans):
        turn, close, glue = split_span(tokenizer, ids[start:end])
        stored = example.turn_token_ids[i] if i < len(example.turn_token_ids) else None
        if stored is not None:
            if _text(tokenizer, stored) == _text(tokenizer, turn):
                k = next(k for k in range(len(close), -1, -1) if list(stored[len(stored) - k:]) == close[:k])
                turn, closed = list(stored) + close[k:], closed + (k < len(close))
                replaced += 1
            else:
                mismatched += 1
        out_ids += ids[at:start]
        trained = i not in example.untrained
        if not trained:
            untrained.append((len(out_ids), len(out_ids) + len(turn)))
        out_ids += turn + glue
        out_mask += [0] * (start - at) + [int(trained)] * len(turn) + [0] * len(glue)
        at = end
    out_ids += ids[at:]
    out_mask += [0] * (len(ids) - at)
    return Rendered(prompt_ids, out_ids, out_mask, tuple(untrained), replaced, closed, mismatched)


def assistant_spans(mask: list[int]) -> list[tuple[int, int]]:
    """[start, end) of each contiguous run of 1s."""
    spans, start = [], None
    for i, m in enumerate([*mask, 0]):
        if m and start is None:
            start = i
        elif not m and start is not None:
            spans.append((start, i))
            start = None
    return spans


def split_span(tokenizer: Any, span: list[int]) -> tuple[list[int], list[int], list[int]]:
    """(turn, close, glue): `turn` ends with `close`, the special tokens ending the turn (`<|im_end|>`);
    `glue` is whitespace a template puts after them inside the span (TRL's Qwen training templates
    end it with `<|im_end|>\n`), which the model never samples, so it gets mask 0."""
    special = lambda t: _text(tokenizer, [t]) == ""  # noqa: E731
    j = len(span)
    while j > 0 and not special(span[j - 1]) and not _text(tokenizer, [span[j - 1]]).strip():
        j -= 1
    i = j
    while i > 0 and special(span[i - 1]):
        i -= 1
    if i == j:  # no closing special token: nothing is glue
        return list(span), [], []
    return list(span[:j]), list(span[i:j]), list(span[j:])


def _text(tokenizer: Any, ids: list[int]) -> str:
    return tokenizer.decode(list(ids), skip_special_tokens=True)
