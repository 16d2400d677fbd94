"""How well a model copies what an episode is about, teacher-forced on held-out demonstrations: the
share of the agent's tokens it predicts, and of the pieces of the issue's function and module names
inside its turns. The tiny agent's failures are miscopied names (README, "The agent"), and this
separates two pretraining runs whose losses agree in seconds, without a rollout."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

# token ids of an episode -> the model's guess of each next token (position i guesses token i + 1)
Predict = Callable[[list[int]], list[int]]


@dataclass(frozen=True)
class Copying:
    """Teacher-forced accuracy over `episodes`: every agent token, and the pieces of the names."""

    episodes: int
    agent_tokens: float
    function_pieces: float
    module_pieces: float
    function_names: float  # episodes whose name the agent's first writing of it guesses whole
    module_names: float


def copying(tokenizer: Any, predict: Predict,
            episodes: Sequence[tuple[list[dict[str, str]], str, str]]) -> Copying:
    """`episodes`: (messages, function name, module name). A token counts when it is the agent's (the
    chat template's assistant mask) and, for a name, when its characters overlap an occurrence of it.
    A name counts whole when every token of its first occurrence in the agent's turns is guessed: one
    wrong piece is a wrong import (per-piece accuracy hides names whose rare pieces the model never
    writes)."""
    right = {"agent": 0, "function": 0, "module": 0}
    seen = dict.fromkeys(right, 0)
    whole = {"function": 0, "module": 0}
    for messages, function, module in episodes:
        text = tokenizer.apply_chat_template(messages, tokenize=False)  # the names' spans are in this text
        encoded = tokenizer.apply_chat_template(messages, tokenize=True, return_dict=True,
                                                return_assistant_tokens_mask=True,
                                                tokenizer_kwargs={"return_offsets_mapping": True})
        ids, offsets, mask = encoded["input_ids"], encoded["offset_mapping"], encoded["assistant_masks"]
        spans = {name: [m.span() for m in re.finditer(re.escape(word), text)]
                 for name, word in (("function", function), ("module", module))}
        guesses = predict(ids)
        first: dict[str, tuple[int, int] | None] = dict.fromkeys(whole)  # the first span the agent writes
        hits: dict[str, list[bool]] = {name: [] for name in whole}  # the guesses of that span's tokens
        for i in range(1, len(ids)):
            if not mask[i]:
                continue
            hit = guesses[i - 1] == ids[i]
            start, end = offsets[i]
            right["agent"] += hit
            seen["agent"] += 1
            for name in whole:
                span = next(((a, b) for a, b in spans[name] if start < b and end > a), None)
                if span is None:
                    continue
                right[name] += hit
                seen[name] += 1
                if first[name] in (None, span):
                    first[name] = span
                    hits[name].append(hit)
        for name in whole:
            whole[name] += bool(hits[name]) and all(hits[name])
    share = {name: round(right[name] / seen[name], 4) if seen[name] else 0.0 for name in right}
    names = {name: round(whole[name] / len(episodes), 4) if episodes else 0.0 for name in whole}
    return Copying(len(episodes), share["agent"], share["function"], share["module"], names["function"],
                   names["module"])


def model_predict(path: str) -> Predict:
    """The greedy next-token guesses of the causal LM at `path`, one forward pass an episode."""
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(path).eval()

    def predict(ids: list[int]) -> list[int]:
        with torch.no_grad():
            return model(torch.tensor([ids])).logits[0].argmax(-1).tolist()

    return predict
