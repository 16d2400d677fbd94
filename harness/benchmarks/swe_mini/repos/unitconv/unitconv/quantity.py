"""Quantities: a number together with its unit."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import total_ordering

from .convert import convert, convert_delta
from .units import Unit, UnitError, get_unit


@total_ordering
@dataclass(frozen=True, eq=False)
class Quantity:
    """``Quantity(3, "ft")``; equal to any quantity of the same size in another unit."""

    value: float
    unit: Unit

    def __init__(self, value: float, unit: str | Unit) -> None:
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "unit", get_unit(unit))

    def to(self, unit: str | Unit) -> Quantity:
        """The same quantity expressed in ``unit``."""
        return Quantity(convert(self.value, self.unit, unit), unit)

    def _base(self, other: Quantity) -> tuple[float, float]:
        if not isinstance(other, Quantity):
            raise TypeError(f"expected a Quantity, not {type(other).__name__}")
        if other.unit.dimension != self.unit.dimension:
            raise UnitError(f"cannot compare {self.unit.dimension} with {other.unit.dimension}")
        return self.unit.to_base(self.value), other.unit.to_base(other.value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Quantity) or other.unit.dimension != self.unit.dimension:
            return NotImplemented
        mine, theirs = self._base(other)
        return math.isclose(mine, theirs, rel_tol=1e-9, abs_tol=1e-12)

    def __lt__(self, other: Quantity) -> bool:
        mine, theirs = self._base(other)
        return mine < theirs and not self == other

    def __hash__(self) -> int:
        return hash((self.unit.dimension, round(self.unit.to_base(self.value), 9)))

    def __add__(self, other: Quantity) -> Quantity:
        """Sum in this quantity's unit; a temperature may only be raised by a difference."""
        self._base(other)
        if self.unit.offset and other.unit.offset:
            raise UnitError("cannot add two temperatures on offset scales")
        return Quantity(self.value + convert_delta(other.value, other.unit, self.unit), self.unit)

    def __sub__(self, other: Quantity) -> Quantity:
        return self + other * -1

    def __mul__(self, number: float) -> Quantity:
        return Quantity(self.value * number, self.unit)

    __rmul__ = __mul__

    def __repr__(self) -> str:
        return f"Quantity({self.value!r}, {self.unit.symbol!r})"
