"""Splitting text into words: the step every case conversion starts from."""

from __future__ import annotations

import re

#: Characters removed inside words instead of splitting them: "don't" -> "dont".
APOSTROPHES = "'\u2019"

_NON_WORD = re.compile(r"[\W_]+")


def split_words(text: str, *, split_digits: bool = True) -> list[str]:
    """Split ``text`` at spaces, punctuation, underscores and changes of case.

    ``"parseHTTPResponse2xx"`` gives ``["parse", "HTTP", "Response", "2", "xx"]``.
    With ``split_digits=False`` digits stay attached to the letters around them.
    """
    for mark in APOSTROPHES:
        text = text.replace(mark, "")
    words: list[str] = []
    for chunk in _NON_WORD.split(text):
        if chunk:
            words.extend(_split_chunk(chunk, split_digits))
    return words


def _kind(char: str) -> str:
    """Classify a character as ``digit``, ``upper`` or ``lower`` (caseless letters count as lower)."""
    if char.isdigit():
        return "digit"
    return "upper" if char.isupper() else "lower"


def _split_chunk(chunk: str, split_digits: bool) -> list[str]:
    """Split a run of letters and digits at case and digit boundaries."""
    kinds = [_kind(c) for c in chunk]
    words = []
    start = 0
    for i in range(1, len(chunk)):
        following = kinds[i + 1] if i + 1 < len(chunk) else None
        if _is_boundary(kinds[i - 1], kinds[i], following, split_digits):
            words.append(chunk[start:i])
            start = i
    words.append(chunk[start:])
    return words


def _is_boundary(prev: str, cur: str, following: str | None, split_digits: bool) -> bool:
    """Whether a new word starts at ``cur``, given its neighbours' kinds."""
    if cur == "upper" and prev in ("lower", "digit"):
        return True  # camelCase, version2Beta
    if prev == cur == "upper" and following == "lower":
        return True  # the "S" of HTTPServer starts a word
    return split_digits and (prev == "digit") != (cur == "digit")


def count_words(text: str) -> int:
    """The number of words :func:`split_words` finds in ``text``."""
    return len(split_words(text))
