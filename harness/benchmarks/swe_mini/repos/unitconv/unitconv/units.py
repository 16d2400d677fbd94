"""The unit registry: what each unit measures and how it relates to its dimension's base unit."""

from __future__ import annotations

from dataclasses import dataclass, field


class UnitError(ValueError):
    """An unknown unit, or units that cannot be converted into each other."""


@dataclass(frozen=True)
class Unit:
    """A unit of ``dimension``: ``base = (value + offset) * factor``.

    Base units are the metre, kilogram, kelvin and second. Only temperature
    scales such as Celsius and Fahrenheit have an offset.
    """

    symbol: str
    name: str
    plural: str
    dimension: str
    factor: float
    offset: float = 0.0
    aliases: tuple[str, ...] = field(default=(), compare=False)

    def to_base(self, value: float) -> float:
        """``value`` in this unit, expressed in the base unit."""
        return (value + self.offset) * self.factor

    def from_base(self, value: float) -> float:
        """``value`` in the base unit, expressed in this unit."""
        return value / self.factor - self.offset

    def __str__(self) -> str:
        return self.symbol


UNITS = (
    Unit("mm", "millimetre", "millimetres", "length", 0.001, aliases=("millimeter", "millimeters")),
    Unit("cm", "centimetre", "centimetres", "length", 0.01, aliases=("centimeter", "centimeters")),
    Unit("m", "metre", "metres", "length", 1.0, aliases=("meter", "meters")),
    Unit("km", "kilometre", "kilometres", "length", 1000.0, aliases=("kilometer", "kilometers")),
    Unit("in", "inch", "inches", "length", 0.0254, aliases=('"', "″")),
    Unit("ft", "foot", "feet", "length", 0.3048, aliases=("'", "′")),
    Unit("yd", "yard", "yards", "length", 0.9144),
    Unit("mi", "mile", "miles", "length", 1609.344),
    Unit("nmi", "nautical mile", "nautical miles", "length", 1852.0),
    Unit("mg", "milligram", "milligrams", "mass", 1e-6),
    Unit("g", "gram", "grams", "mass", 0.001),
    Unit("kg", "kilogram", "kilograms", "mass", 1.0),
    Unit("t", "tonne", "tonnes", "mass", 1000.0),
    Unit("oz", "ounce", "ounces", "mass", 0.028349523125),
    Unit("lb", "pound", "pounds", "mass", 0.45359237, aliases=("lbs",)),
    Unit("st", "stone", "stone", "mass", 6.35029318),
    Unit("K", "kelvin", "kelvins", "temperature", 1.0),
    Unit("°C", "degree Celsius", "degrees Celsius", "temperature", 1.0, 273.15,
         aliases=("degC", "celsius")),
    Unit("°F", "degree Fahrenheit", "degrees Fahrenheit", "temperature", 5 / 9, 459.67,
         aliases=("degF", "fahrenheit")),
    Unit("°R", "degree Rankine", "degrees Rankine", "temperature", 5 / 9,
         aliases=("degR", "rankine")),
    Unit("s", "second", "seconds", "time", 1.0, aliases=("sec",)),
    Unit("min", "minute", "minutes", "time", 60.0),
    Unit("h", "hour", "hours", "time", 3600.0, aliases=("hr",)),
    Unit("d", "day", "days", "time", 86400.0),
)

_BY_SYMBOL = {u.symbol: u for u in UNITS}
_BY_NAME = {n.lower(): u for u in UNITS for n in (u.name, u.plural, *u.aliases)}


def get_unit(name: str | Unit) -> Unit:
    """Look a unit up by symbol (case-sensitive: ``m``, ``Mm``) or by name (case-insensitive)."""
    if isinstance(name, Unit):
        return name
    key = name.strip()
    unit = _BY_SYMBOL.get(key) or _BY_NAME.get(key.lower())
    if unit is None:
        raise UnitError(f"unknown unit {name!r}")
    return unit


def units_of(dimension: str) -> list[Unit]:
    """The units that measure ``dimension``, smallest first."""
    found = [u for u in UNITS if u.dimension == dimension]
    if not found:
        raise UnitError(f"unknown dimension {dimension!r}")
    return sorted(found, key=lambda u: u.factor)
