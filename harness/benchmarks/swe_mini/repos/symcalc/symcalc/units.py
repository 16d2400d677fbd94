"""The unit registry and unit parsing.

A unit is a SymPy expression in unit symbols (`km/h` is `km*h**-1`); its meaning comes from the
registry, where every named unit is an exact multiple of a product of the seven SI base units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from tokenize import TokenError

from sympy import Expr, Mul, Rational, S, Symbol
from sympy.parsing.sympy_parser import convert_xor, parse_expr, standard_transformations


class UnitError(ValueError):
    """A unit name or unit expression that cannot be understood."""


class DimensionError(ValueError):
    """Units or quantities whose dimensions do not fit the operation."""


@dataclass(frozen=True)
class UnitDef:
    """A named unit: its size in base units and, for temperature scales, its zero point in K."""

    scale: Expr
    base: Expr
    offset: Expr = S.Zero
    prefixable: bool = True


BASE_UNITS = {
    "m": "length",
    "kg": "mass",
    "s": "time",
    "A": "current",
    "K": "temperature",
    "mol": "amount",
    "cd": "luminosity",
}
PREFIXES = [
    ("da", Rational(10)),
    ("T", Rational(10) ** 12),
    ("G", Rational(10) ** 9),
    ("M", Rational(10) ** 6),
    ("k", Rational(10) ** 3),
    ("h", Rational(10) ** 2),
    ("d", Rational(1, 10)),
    ("c", Rational(1, 10**2)),
    ("m", Rational(1, 10**3)),
    ("u", Rational(1, 10**6)),
    ("µ", Rational(1, 10**6)),
    ("n", Rational(1, 10**9)),
    ("p", Rational(1, 10**12)),
]
_NAME = re.compile(r"[^\W\d]\w*")
_SUPERSCRIPT = re.compile("[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_PLAIN_DIGITS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
_TRANSFORMS = standard_transformations + (convert_xor,)
_UNITS: dict[str, UnitDef] = {}


def unit_symbol(name: str) -> Symbol:
    """The symbol that stands for the unit `name` in unit expressions."""
    return Symbol(name, positive=True)


def lookup(name: str) -> UnitDef:
    """The definition of a unit name, which may carry an SI prefix (`km`, `mA`, `µs`)."""
    if name in _UNITS:
        return _UNITS[name]
    for prefix, factor in PREFIXES:
        stem = name[len(prefix):]
        if name.startswith(prefix) and stem in _UNITS and _UNITS[stem].prefixable:
            unit = _UNITS[stem]
            return UnitDef(factor * unit.scale, unit.base, prefixable=False)
    raise UnitError(f"unknown unit {name!r}")


def parse_unit(text: str) -> Expr:
    """Parse `km/h`, `kg*m^2/s^2`, `1/s`, `m**3` or `kg·m²/s²` into a unit expression."""
    symbols: dict[str, Symbol] = {}

    def placeholder(match: re.Match) -> str:
        lookup(match.group())
        key = f"_u{len(symbols)}"
        symbols[key] = unit_symbol(match.group())
        return key

    source = _SUPERSCRIPT.sub(lambda m: "^" + m.group().translate(_PLAIN_DIGITS), text)
    source = _NAME.sub(placeholder, source.replace("·", "*").strip() or "1")
    try:
        unit = parse_expr(source, local_dict=symbols, transformations=_TRANSFORMS)
    except (SyntaxError, TypeError, TokenError) as exc:
        raise UnitError(f"cannot parse unit {text!r}") from exc
    coeff, rest = unit.as_coeff_Mul() if isinstance(unit, Expr) else (None, None)
    if coeff is None or not coeff.is_Rational or not coeff.is_positive:
        raise UnitError(f"not a unit: {text!r}")
    for factor in Mul.make_args(rest):
        base, exp = factor.as_base_exp()
        if factor != 1 and not (base.is_Symbol and exp.is_Rational):
            raise UnitError(f"not a unit: {text!r}")
    if has_zero_point(unit) and not unit.is_Symbol:
        raise DimensionError(f"{text!r}: a temperature scale cannot be combined with other units")
    return unit


def has_zero_point(unit: Expr) -> bool:
    """Whether `unit` mentions a temperature scale with a zero point of its own (`degC`)."""
    return any(lookup(s.name).offset for s in unit.free_symbols)


def offset(unit: Expr) -> Expr:
    """The zero point of a unit in base units: nonzero only for `degC` and `degF`."""
    return lookup(unit.name).offset if unit.is_Symbol else S.Zero


def to_base(unit: Expr) -> tuple[Expr, Expr]:
    """Split a unit into its size and its product of base units: `km/h` -> (5/18, m/s)."""
    sizes = {s: lookup(s.name).scale * lookup(s.name).base for s in unit.free_symbols}
    return unit.xreplace(sizes).as_coeff_Mul()


def dimension(unit: Expr | str) -> Expr:
    """The dimension of a unit as an expression in dimension names: `km/h` -> length/time."""
    if isinstance(unit, str):
        unit = parse_unit(unit)
    names = {unit_symbol(u): Symbol(d, positive=True) for u, d in BASE_UNITS.items()}
    return to_base(unit)[1].xreplace(names)


def define(name: str, size: str, *, zero: Rational = S.Zero, prefixable: bool = True) -> None:
    """Register unit `name` as `size`, a unit expression such as `1000*m` or `kg*m/s^2`."""
    if not _NAME.fullmatch(name) or name in _UNITS:
        raise UnitError(f"cannot define unit {name!r}")
    scale, base = to_base(parse_unit(size))
    _UNITS[name] = UnitDef(scale, base, Rational(zero), prefixable)


for _name in BASE_UNITS:
    _UNITS[_name] = UnitDef(S.One, unit_symbol(_name), prefixable=_name != "kg")

for _name, _size in [
    ("g", "kg/1000"),
    ("min", "60*s"),
    ("h", "3600*s"),
    ("d", "86400*s"),
    ("in", "254/10000*m"),
    ("ft", "12*in"),
    ("yd", "3*ft"),
    ("mi", "1760*yd"),
    ("lb", "45359237/100000000*kg"),
    ("L", "m^3/1000"),
    ("Hz", "1/s"),
    ("N", "kg*m/s^2"),
    ("J", "N*m"),
    ("W", "J/s"),
    ("Pa", "N/m^2"),
    ("bar", "100000*Pa"),
    ("C", "A*s"),
    ("V", "W/A"),
]:
    define(_name, _size)

define("degC", "K", zero=Rational(5463, 20), prefixable=False)
define("degF", "5/9*K", zero=Rational(45967, 180), prefixable=False)
