"""Turning values into cell text, and measuring and placing that text.

Widths here are *display* widths, the number of terminal columns a string
occupies: wide East Asian characters take two and combining marks none.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Iterable, Sequence

ELLIPSIS = "\u2026"


def char_width(ch: str) -> int:
    """Number of terminal columns taken by the single character ``ch``."""
    if unicodedata.combining(ch):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


def display_width(text: str) -> int:
    """Display width of ``text``; for multi-line text, that of its widest line."""
    return max(sum(char_width(ch) for ch in line) for line in text.split("\n"))


def _fit(text: str, width: int) -> int:
    """How many leading characters of ``text`` fit into ``width`` columns."""
    used = 0
    for index, ch in enumerate(text):
        used += char_width(ch)
        if used > width:
            return index
    return len(text)


def is_number(value: object) -> bool:
    """Whether ``value`` is formatted and aligned as a number."""
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def column_type(values: Iterable[object]) -> type:
    """The most specific of ``int``, ``float`` and ``str`` that fits a column.

    Missing values (``None``) do not affect the result, so a numeric column
    with gaps is still numeric.
    """
    present = [value for value in values if value is not None]
    if not present or not all(is_number(value) for value in present):
        return str
    if all(isinstance(value, int) for value in present):
        return int
    return float


def format_cell(
    value: object,
    coltype: type,
    floatfmt: str = "g",
    intfmt: str = "",
    missingval: str = "",
) -> str:
    """Render one value as text according to the type of its column."""
    if value is None:
        return missingval
    if coltype is int:
        return format(value, intfmt)
    if coltype is float:
        return format(value, floatfmt)
    return str(value)


def wrap(text: str, width: int) -> str:
    """Word-wrap ``text`` so that no line is wider than ``width`` columns.

    Existing line breaks are kept. Words that are too long on their own
    are split across lines.
    """
    lines = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            while display_width(word) > width:
                if current:
                    lines.append(current)
                    current = ""
                cut = max(_fit(word, width), 1)
                lines.append(word[:cut])
                word = word[cut:]
            if not word:
                continue
            candidate = f"{current} {word}" if current else word
            if display_width(candidate) <= width:
                current = candidate
            else:
                lines.append(current)
                current = word
        lines.append(current)
    return "\n".join(lines)


def truncate(text: str, width: int, placeholder: str = ELLIPSIS) -> str:
    """Shorten every line of ``text`` to ``width`` columns.

    Lines that had to be cut end with ``placeholder``.
    """
    lines = []
    for line in text.split("\n"):
        if display_width(line) > width:
            room = max(width - display_width(placeholder), 0)
            line = line[: _fit(line, room)].rstrip() + placeholder
        lines.append(line)
    return "\n".join(lines)


def pad(text: str, width: int, align: str) -> str:
    """Pad a single line of text with spaces to ``width`` columns.

    ``decimal`` alignment pads like ``right``; the decimal points are lined
    up beforehand by :func:`align_decimal`.
    """
    gap = width - display_width(text)
    if gap <= 0:
        return text
    if align in ("right", "decimal"):
        return " " * gap + text
    if align == "center":
        left = gap // 2
        return " " * left + text + " " * (gap - left)
    return text + " " * gap


def _fraction_width(text: str) -> int:
    """Width of the part of a number from its decimal point on."""
    _, point, fraction = text.partition(".")
    return len(point + fraction)


def align_decimal(texts: Sequence[str]) -> list[str]:
    """Right-pad formatted numbers so that their decimal points line up."""
    widest = max((_fraction_width(text) for text in texts), default=0)
    return [text + " " * (widest - _fraction_width(text)) for text in texts]
