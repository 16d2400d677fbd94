"""Quantities: an exact rational value with a unit, and conversion between units."""

from __future__ import annotations

import numbers
from fractions import Fraction

from sympy import Expr, Rational, sympify

from symcalc.format import format_quantity, format_unit
from symcalc.units import DimensionError, dimension, has_zero_point, offset, parse_unit, to_base


def exact(value) -> Rational:
    """An exact rational from an int, a float, a Fraction, a SymPy number or a string `1.5`, `2/3`."""
    if isinstance(value, float):
        value = repr(value)
    elif isinstance(value, numbers.Integral):
        value = int(value)
    if not isinstance(value, (int, str, Fraction, Expr)):
        raise TypeError(f"not a number: {value!r}")
    try:
        number = Rational(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"not a number: {value!r}") from exc
    return number


def _unit(unit) -> Expr:
    return parse_unit(unit) if isinstance(unit, str) else sympify(unit)


class Quantity:
    """A value in a unit: `Quantity(3, "km/h")`. Values stay exact rationals."""

    __slots__ = ("value", "unit")
    __hash__ = None

    def __init__(self, value, unit="1"):
        self.value = exact(value)
        self.unit = _unit(unit)

    def __repr__(self) -> str:
        return f"Quantity({str(self.value)!r}, {format_unit(self.unit)!r})"

    def __str__(self) -> str:
        return format_quantity(self)

    @property
    def dimension(self) -> Expr:
        """The dimension of the unit, e.g. `length/time`."""
        return dimension(self.unit)

    def to(self, unit) -> Quantity:
        """The same quantity in `unit`; temperature scales (`degC`, `degF`) move their zero point."""
        target = _unit(unit)
        scale, base = to_base(self.unit)
        target_scale, target_base = to_base(target)
        if base != target_base:
            raise DimensionError(
                f"cannot convert {format_unit(self.unit)} ({self.dimension}) "
                f"to {format_unit(target)} ({dimension(target)})"
            )
        in_base = self.value * scale + offset(self.unit)
        return Quantity((in_base - offset(target)) / target_scale, target)

    def to_base(self) -> Quantity:
        """The same quantity in SI base units: `Quantity(1, "km/h")` -> 5/18 m/s."""
        scale, base = to_base(self.unit)
        return Quantity(self.value * scale + offset(self.unit), base)

    def _same_dimension(self, other) -> Quantity:
        other = other if isinstance(other, Quantity) else Quantity(other)
        if to_base(self.unit)[1] != to_base(other.unit)[1]:
            raise DimensionError(f"{self} and {other} have different dimensions")
        return other

    def _product(self, other, sign: int) -> Quantity:
        if not isinstance(other, Quantity):
            return Quantity(self.value * exact(other) ** sign, self.unit)
        if has_zero_point(self.unit) or has_zero_point(other.unit):
            raise DimensionError("convert temperatures on a scale with a zero point to K first")
        return Quantity(self.value * other.value**sign, self.unit * other.unit**sign)

    def __add__(self, other) -> Quantity:
        other = self._same_dimension(other)
        if has_zero_point(self.unit) or has_zero_point(other.unit):
            raise DimensionError("cannot add temperatures on a scale with a zero point")
        return Quantity(self.value + other.to(self.unit).value, self.unit)

    __radd__ = __add__

    def __sub__(self, other) -> Quantity:
        return self + (-self._same_dimension(other))

    def __rsub__(self, other) -> Quantity:
        return -self + other

    def __neg__(self) -> Quantity:
        return Quantity(-self.value, self.unit)

    def __abs__(self) -> Quantity:
        return Quantity(abs(self.value), self.unit)

    def __mul__(self, other) -> Quantity:
        return self._product(other, 1)

    __rmul__ = __mul__

    def __truediv__(self, other) -> Quantity:
        return self._product(other, -1)

    def __rtruediv__(self, other) -> Quantity:
        return Quantity(exact(other) / self.value, 1 / self.unit)

    def __pow__(self, exp) -> Quantity:
        if not isinstance(exp, int):
            raise TypeError("quantities can only be raised to integer powers")
        if has_zero_point(self.unit):
            raise DimensionError("convert temperatures on a scale with a zero point to K first")
        return Quantity(self.value**exp, self.unit**exp)

    def _compare(self, other) -> tuple[Rational, Rational]:
        other = self._same_dimension(other)
        return self.to_base().value, other.to_base().value

    def __eq__(self, other) -> bool:
        try:
            mine, theirs = self._compare(other)
        except (DimensionError, TypeError):
            return False
        return mine == theirs

    def __lt__(self, other) -> bool:
        mine, theirs = self._compare(other)
        return mine < theirs

    def __le__(self, other) -> bool:
        mine, theirs = self._compare(other)
        return mine <= theirs

    def __gt__(self, other) -> bool:
        mine, theirs = self._compare(other)
        return mine > theirs

    def __ge__(self, other) -> bool:
        mine, theirs = self._compare(other)
        return mine >= theirs


def parse_quantity(text: str) -> Quantity:
    """`"1.5 km/h"` -> Quantity(3/2, km/h); a number alone is dimensionless."""
    number, _, unit = text.strip().partition(" ")
    return Quantity(number, unit.strip() or "1")


def convert(value, from_unit: str, to_unit: str) -> Rational:
    """The exact value of `value` `from_unit` in `to_unit`: convert(90, "km/h", "m/s") == 25."""
    return Quantity(value, from_unit).to(to_unit).value
