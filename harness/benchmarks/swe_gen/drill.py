"""Copy drills for pretraining the tiny agent from scratch: chats that define made-up names and values
and then ask for them back, looked up by a key or repeated in order. Every swe-gen action copies
(the function's name from the issue, the call and its arguments, the buggy line from the view), and
a few-million-parameter model trained on demonstrations alone did not learn to copy within the
steps a CPU run affords (README, "The agent"); drills mixed into the same SFT data teach it densely.

The words have 4 syllables, so no drill word is a swe-gen module or function name (those have 2-3):
drills share the tokenizer's syllable pieces with the tasks, never a name."""

from __future__ import annotations

import random

from harness.benchmarks.swe_gen.generate import CONSONANTS, MODULE_THINGS, VOWELS
from harness.benchmarks.swe_gen.templates import TEMPLATES

ROUNDS = (3, 5)  # user/assistant rounds per drill chat (about 600 tokens)


def drills(n: int, seed: int = 0) -> list[list[dict[str, str]]]:
    """`n` drill chats (user and assistant messages); same seed, same chats."""
    rng = random.Random(f"drill:{seed}")
    return [_chat(rng) for _ in range(n)]


def _chat(rng: random.Random) -> list[dict[str, str]]:
    messages = []
    for _ in range(rng.randint(*ROUNDS)):
        ask, answer = rng.choice((_lookup, _repeat))(rng)
        messages += [{"role": "user", "content": ask}, {"role": "assistant", "content": answer}]
    return messages


def _lookup(rng: random.Random) -> tuple[str, str]:
    """Key = value lines, then some of the keys in another order with their values."""
    pairs = [(_word(rng), _value(rng)) for _ in range(rng.randint(3, 7))]
    asked = rng.sample(pairs, rng.randint(1, len(pairs)))
    lines = "\n".join(f"{k} = {v}" for k, v in pairs)
    keys = ", ".join(f"`{k}`" for k, _ in asked)
    return f"{lines}\n\nWhat are {keys}?", "\n".join(f"`{k}` is `{v}`." for k, v in asked)


def _repeat(rng: random.Random) -> tuple[str, str]:
    """A line of values, then the same line."""
    line = " ".join(_value(rng) for _ in range(rng.randint(2, 6)))
    return f"Repeat exactly:\n{line}", line


def _value(rng: random.Random) -> str:
    """What the agent copies: a function or module name, a call with its arguments, or a number list."""
    word = _word(rng)
    kind = rng.randrange(4)
    if kind == 0:
        return rng.choice(TEMPLATES).function_name(word)
    if kind == 1:
        return f"{word}_{rng.choice(MODULE_THINGS)}"
    numbers = ", ".join(str(rng.randint(-20, 99)) for _ in range(rng.randint(1, 5)))
    return f"[{numbers}]" if kind == 2 else f"{rng.choice(TEMPLATES).function_name(word)}([{numbers}])"


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(CONSONANTS) + rng.choice(VOWELS) for _ in range(4))
