import random

import pytest

from harness.demos import edits


def _apply(text, steps):
    for old, new in steps:
        assert text.count(old) == 1, "every old_str is unique at its turn"
        text = text.replace(old, new, 1)
    return text


@pytest.mark.parametrize("old, new", [
    ("a\nb\nc\n", "a\nB\nc\n"),
    ("x = 1\nx = 1\nx = 1\ny\n", "x = 1\nx = 2\nx = 1\ny\n"),  # repeated lines need context
    ("a\nb\n", "a\nb\nc\n"),  # append
    ("a\nb\n", "z\na\nb\n"),  # prepend
    ("a\nb\nc\n", "a\nc\n"),  # delete
    ("", "new\n"),
    ("no newline", "no newline at end"),
])
def test_edits_reach_the_gold_text(old, new):
    assert _apply(old, edits(old, new)) == new


def test_edits_on_random_line_shuffles():
    rng = random.Random(0)
    for _ in range(200):
        lines = [rng.choice(["a", "b", "c", "pass", ""]) + "\n" for _ in range(rng.randint(0, 12))]
        changed = [line for line in lines if rng.random() > 0.3]
        for _ in range(rng.randint(0, 3)):
            changed.insert(rng.randint(0, len(changed)), rng.choice(["a", "d", "e"]) + "\n")
        old, new = "".join(lines), "".join(changed)
        assert _apply(old, edits(old, new)) == new


def test_one_step_per_separate_change():
    old = "".join(f"line {i}\n" for i in range(20))
    new = old.replace("line 2\n", "LINE 2\n").replace("line 15\n", "LINE 15\n")
    assert edits(old, new) == [("line 2\n", "LINE 2\n"), ("line 15\n", "LINE 15\n")]
