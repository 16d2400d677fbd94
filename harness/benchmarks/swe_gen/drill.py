"""Copy drills for pretraining the tiny agent from scratch. Every swe-gen action copies (the function's
name from the issue, the call and its arguments, the buggy line from the view), and a few-million-
parameter model trained on demonstrations alone does not learn to copy in the steps a CPU run affords
(README, "The agent"). Two kinds, taught in this order:

- `copy`: repeat the line just shown. Copying at short range forms first (a sudden jump after ~700
  steps at batch 16), but on its own it does not reach past a few tokens: measured, a model drilled to
  0.90 copy accuracy here scored 0.20 with 50 other tokens between the line and its copy.
- `recall`: repeat a line shown before a stretch of distractor `key = value` lines (up to ~600 tokens),
  the range at which a swe-gen action copies from the issue or a view.

The words have 4 syllables, so no drill word is a swe-gen module or function name (those have 2-3):
drills share the tokenizer's syllable pieces with the tasks, never a name."""

from __future__ import annotations

import random

from harness.benchmarks.swe_gen.generate import CONSONANTS, MODULE_THINGS, VOWELS
from harness.benchmarks.swe_gen.templates import TEMPLATES

KINDS = ("copy", "recall")
VALUES = (2, 6)  # values in the line to copy
FILLER = (0, 50)  # distractor lines of a recall drill (about 12 tokens each)
RECALL = "Repeat the line you were asked to remember."


def drills(n: int, seed: int = 0, kind: str = "recall") -> list[list[dict[str, str]]]:
    """`n` drill chats of `kind` (a user message and the assistant's answer); same seed, same chats."""
    if kind not in KINDS:
        raise ValueError(f"drill kind must be one of {', '.join(KINDS)}, not {kind!r}")
    rng = random.Random(f"drill:{kind}:{seed}")
    return [_recall(rng) if kind == "recall" else _copy(rng) for _ in range(n)]


def _copy(rng: random.Random) -> list[dict[str, str]]:
    line = _line(rng)
    return _chat(f"Repeat exactly:\n{line}", line)


def _recall(rng: random.Random) -> list[dict[str, str]]:
    line = _line(rng)
    filler = "".join(f"{_word(rng)} = {_value(rng)}\n" for _ in range(rng.randint(*FILLER)))
    return _chat(f"Remember this line:\n{line}\n\n{filler}\n{RECALL}", line)


def _chat(ask: str, answer: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": ask}, {"role": "assistant", "content": answer}]


def _line(rng: random.Random) -> str:
    return " ".join(_value(rng) for _ in range(rng.randint(*VALUES)))


def _value(rng: random.Random) -> str:
    """What the agent copies: a function or module name, a call with its arguments, or a number list."""
    word = _word(rng)
    kind = rng.randrange(4)
    if kind == 1:
        return f"{word}_{rng.choice(MODULE_THINGS)}"
    function = rng.choice(TEMPLATES).function_name(word)
    if kind == 0:
        return function
    numbers = ", ".join(str(rng.randint(-20, 99)) for _ in range(rng.randint(1, 5)))
    return f"[{numbers}]" if kind == 2 else f"{function}([{numbers}])"


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(CONSONANTS) + rng.choice(VOWELS) for _ in range(4))
