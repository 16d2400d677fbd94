"""The held-out copying measure: only the agent's tokens count, a name's pieces are the tokens that
overlap it inside the agent's turns, a name is copied whole only when every piece of the agent's first
writing of it is, and a guess off by one position is wrong."""

from __future__ import annotations

import pytest
from transformers import AutoTokenizer

from harness.backends.tiny import AGENT
from harness.copying import copying

FUNCTION, MODULE = "penuto_percent", "bunabe_estate"
MESSAGES = [
    {"role": "system", "content": "You fix issues."},
    {"role": "user", "content": f"`{FUNCTION}(17, 40)` returns `4.2` in {MODULE}, expected `42.5`."},
    {"role": "assistant", "content": f"<function=search>{FUNCTION}</function>"},
    {"role": "user", "content": f"/testbed/{MODULE}.py:4:def {FUNCTION}(part, whole):"},
    {"role": "assistant", "content": f"python3 -c 'from {MODULE} import {FUNCTION}'"},
]


@pytest.fixture(scope="module")
def tokenizer():
    return AutoTokenizer.from_pretrained(AGENT)


def _ids(tokenizer) -> tuple[list[int], list[tuple[int, int]], str]:
    text = tokenizer.apply_chat_template(MESSAGES, tokenize=False)
    encoded = tokenizer(text, return_offsets_mapping=True, add_special_tokens=False)
    return encoded["input_ids"], encoded["offset_mapping"], text


def test_a_perfect_guesser_scores_one_and_a_shifted_one_scores_nothing(tokenizer) -> None:
    perfect = copying(tokenizer, lambda ids: ids[1:] + [0], [(MESSAGES, FUNCTION, MODULE)])
    assert perfect == type(perfect)(1, 1.0, 1.0, 1.0, 1.0, 1.0)
    stale = copying(tokenizer, lambda ids: ids, [(MESSAGES, FUNCTION, MODULE)])  # repeats the current token
    assert stale.function_pieces == stale.module_pieces == 0.0 and stale.agent_tokens < 0.2
    assert stale.function_names == stale.module_names == 0.0


def test_only_the_names_inside_the_agents_turns_count(tokenizer) -> None:
    ids, offsets, text = _ids(tokenizer)
    starts = [i for i in range(len(text)) if text.startswith(FUNCTION, i)]
    # every piece of the function name, wherever it is, guessed wrong
    wrong = {i for i, (a, b) in enumerate(offsets) if any(a < s + len(FUNCTION) and b > s for s in starts)}

    def guess(ids: list[int]) -> list[int]:
        return [-1 if i + 1 in wrong else t for i, t in enumerate(ids[1:] + [0])]

    mask = tokenizer.apply_chat_template(MESSAGES, tokenize=True, return_dict=True,
                                         return_assistant_tokens_mask=True)["assistant_masks"]
    agent = [i for i in range(1, len(ids)) if mask[i]]
    result = copying(tokenizer, guess, [(MESSAGES, FUNCTION, MODULE)])
    assert result.function_pieces == 0.0 and result.module_pieces == 1.0
    assert result.function_names == 0.0 and result.module_names == 1.0
    # the names in the system and user turns are not the agent's: only its own pieces were counted
    assert result.agent_tokens == round(1 - len(wrong & set(agent)) / len(agent), 4)
    assert len(wrong - set(agent)) > 0 and len(wrong & set(agent)) > 0


def test_a_wrong_piece_of_the_first_writing_loses_the_whole_name_and_a_later_one_does_not(tokenizer) -> None:
    messages = [*MESSAGES, {"role": "user", "content": "ok"},
                {"role": "assistant", "content": f"python3 -m {MODULE}"}]  # a second writing of the module
    text = tokenizer.apply_chat_template(messages, tokenize=False)
    offsets = tokenizer(text, return_offsets_mapping=True, add_special_tokens=False)["offset_mapping"]
    first, second = text.index(f"from {MODULE}") + 5, text.index(f"-m {MODULE}") + 3

    def wrong_at(at: int):
        piece = next(i for i, (a, b) in enumerate(offsets) if a <= at + 2 < b)  # a piece inside the name
        return lambda ids: [-1 if i + 1 == piece else t for i, t in enumerate(ids[1:] + [0])]

    early, late = (copying(tokenizer, wrong_at(at), [(messages, FUNCTION, MODULE)]) for at in (first, second))
    assert early.module_names == 0.0 and late.module_names == 1.0
    assert early.module_pieces == late.module_pieces < 1.0 and early.function_names == 1.0
