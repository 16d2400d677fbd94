"""Parsing quantities written by people: ``"2.5 kg"``, ``"-40 °F"``, ``"3 ft 4 in"``, ``5'11"``."""

from __future__ import annotations

import re

from .convert import convert
from .quantity import Quantity
from .units import Unit, UnitError, get_unit

_PART = re.compile(
    r"\s*(?P<number>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)"
    r"\s*(?P<unit>°?[^\W\d_]+|['\"′″])"
)


class ParseError(ValueError):
    """Text that does not read as a quantity."""


def _parts(text: str) -> list[tuple[str, Unit]]:
    """Split ``text`` into (number, unit) pairs, or raise :class:`ParseError`."""
    parts, pos, end = [], 0, len(text.rstrip())
    while pos < end:
        match = _PART.match(text, pos)
        if not match:
            raise ParseError(f"cannot parse {text!r} at {text[pos:].strip()!r}")
        try:
            parts.append((match["number"], get_unit(match["unit"])))
        except UnitError as exc:
            raise ParseError(f"cannot parse {text!r}: {exc}") from None
        pos = match.end()
    if not parts:
        raise ParseError(f"no quantity in {text!r}")
    return parts


def parse_quantity(text: str) -> Quantity:
    """Read ``text`` as a quantity; a compound such as ``"1 h 30 min"`` gives its last unit (90 min).

    The parts of a compound must share one dimension, run from larger to
    smaller units and carry no sign but the first, which applies to the whole.
    """
    parts = _parts(text)
    if len(parts) == 1:
        number, unit = parts[0]
        return Quantity(float(number), unit)
    for (_, bigger), (number, smaller) in zip(parts, parts[1:]):
        if bigger.dimension != smaller.dimension or bigger.offset or smaller.offset:
            raise ParseError(f"cannot combine {bigger.symbol} and {smaller.symbol} in {text!r}")
        if bigger.factor <= smaller.factor:
            raise ParseError(f"{text!r}: the units of a compound must get smaller")
        if number[0] in "+-":
            raise ParseError(f"{text!r}: only the first part of a compound may have a sign")
    last = parts[-1][1]
    total = sum(convert(abs(float(number)), unit, last) for number, unit in parts)
    return Quantity(-total if parts[0][0].startswith("-") else total, last)


def parse_convert(text: str, to_unit: str | Unit) -> float:
    """Parse ``text`` and return its value in ``to_unit``: ``parse_convert("6 ft", "m")``."""
    return parse_quantity(text).to(to_unit).value
