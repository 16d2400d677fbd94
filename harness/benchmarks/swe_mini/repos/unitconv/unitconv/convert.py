"""Converting numbers between units of the same dimension."""

from __future__ import annotations

from .units import Unit, UnitError, get_unit


def _pair(from_unit: str | Unit, to_unit: str | Unit) -> tuple[Unit, Unit]:
    src, dst = get_unit(from_unit), get_unit(to_unit)
    if src.dimension != dst.dimension:
        raise UnitError(
            f"cannot convert {src.dimension} ({src.symbol}) to {dst.dimension} ({dst.symbol})"
        )
    return src, dst


def convert(value: float, from_unit: str | Unit, to_unit: str | Unit) -> float:
    """Convert a reading: ``convert(100, "°C", "°F")`` -> ``212.0``."""
    src, dst = _pair(from_unit, to_unit)
    return dst.from_base(src.to_base(value))


def convert_delta(value: float, from_unit: str | Unit, to_unit: str | Unit) -> float:
    """Convert a difference, ignoring offsets: a rise of 10 °C is a rise of 18 °F."""
    src, dst = _pair(from_unit, to_unit)
    return value * src.factor / dst.factor


def factor(from_unit: str | Unit, to_unit: str | Unit) -> float:
    """How many ``to_unit`` make one ``from_unit``; only for units without an offset."""
    src, dst = _pair(from_unit, to_unit)
    if src.offset or dst.offset:
        raise UnitError(f"{src.symbol} to {dst.symbol} is not a plain ratio (the scales are offset)")
    return src.factor / dst.factor
