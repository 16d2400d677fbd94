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


def copying(tokenizer: Any, predict: Predict,
            episodes: Sequence[tuple[list[dict[str, str]], str, str]]) -> Copying:
    """`episodes`: (messages, function name, module name). A token counts when it is the agent's (the
    chat template's assistant mask) and, for a name, when its characters overlap an occurrence of it."""
    right = {"agent": 0, "function": 0, "module": 0}
    seen = dict.fromkeys(right, 0)
    for messages, function, module in episodes:
        text = tokenizer.apply_chat_template(messages, tokenize=False)  # the names' spans are in this text
        encoded = tokenizer.apply_chat_template(messages, tokenize=True, return_dict=True,
                                                return_assistant_tokens_mask=True,
                                                tokenizer_kwargs={"return_offsets_mapping": True})
        ids, offsets, mask = encoded["input_ids"], encoded["offset_mapping"], encoded["assistant_masks"]
        spans = {name: [m.span() for m in re.finditer(re.escape(word), text)]
                 for name, word in (("function", function), ("module", module))}
        guesses = predict(ids)
        for i in range(1, len(ids)):
            if not mask[i]:
                continue
            hit = guesses[i - 1] == ids[i]
            start, end = offsets[i]
            for name in right:
                if name == "agent" or any(start < b and end > a for a, b in spans[name]):
                    right[name] += hit
                    seen[name] += 1
    share = {name: round(right[name] / seen[name], 4) if seen[name] else 0.0 for name in right}
    return Copying(len(episodes), share["agent"], share["function"], share["module"])


def model_predict(path: str) -> Predict:
    """The greedy next-token guesses of the causal LM at `path`, one forward pass an episode."""
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(path).eval()

    def predict(ids: list[int]) -> list[int]:
        with torch.no_grad():
            return model(torch.tensor([ids])).logits[0].argmax(-1).tolist()

    return predict
