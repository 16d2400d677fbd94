"""Writing quantities back out: ``"3.5 ft"``, ``"1 foot"``, ``"5 ft 11 in"``."""

from __future__ import annotations

from collections.abc import Sequence

from .convert import convert
from .quantity import Quantity
from .units import Unit, UnitError, get_unit


def format_number(value: float, precision: int = 2) -> str:
    """Round to ``precision`` decimals and drop trailing zeros: ``2.50`` -> ``"2.5"``."""
    text = f"{value:.{precision}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_quantity(quantity: Quantity, precision: int = 2, *, style: str = "symbol") -> str:
    """``"3.5 ft"`` with ``style="symbol"``, ``"3.5 feet"`` / ``"1 foot"`` with ``style="name"``."""
    number = format_number(quantity.value, precision)
    unit = quantity.unit
    if style == "symbol":
        return f"{number} {unit.symbol}"
    if style == "name":
        return f"{number} {unit.name if number in ('1', '-1') else unit.plural}"
    raise ValueError(f"unknown style {style!r}; expected 'symbol' or 'name'")


def format_compound(
    quantity: Quantity, units: Sequence[str | Unit] = ("ft", "in"), precision: int = 0
) -> str:
    """Spell ``quantity`` out in several units, largest first: ``"5 ft 11 in"``.

    Only the last unit gets a fractional part; rounding carries into the larger
    units, so 71.9 inches is ``"6 ft 0 in"`` rather than ``"5 ft 12 in"``.
    """
    chosen = [get_unit(u) for u in units]
    if not chosen:
        raise ValueError("format_compound needs at least one unit")
    if any(u.offset for u in chosen) or any(u.dimension != quantity.unit.dimension for u in chosen):
        raise UnitError(f"cannot write {quantity.unit.symbol} as a compound of {list(units)}")
    smallest = chosen[-1]
    total = round(abs(convert(quantity.value, quantity.unit, smallest)), precision)
    sign = "-" if quantity.value < 0 and total else ""
    pieces = []
    for unit in chosen[:-1]:
        per = round(convert(1, unit, smallest), 9)
        count = int(total // per)
        pieces.append(f"{count} {unit.symbol}")
        total -= count * per
    pieces.append(f"{format_number(total, precision)} {smallest.symbol}")
    return sign + " ".join(pieces)
