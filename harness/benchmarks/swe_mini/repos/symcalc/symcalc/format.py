"""Text forms of units and quantities, readable back by `parse_unit` and `parse_quantity`."""

from __future__ import annotations

from sympy import Expr, Integer, Mul, Rational, floor


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power(name: str, exp: Rational, unicode: bool) -> str:
    """`m` with exponent 2 -> `m^2` (`m²`); fractional exponents get parentheses: `m^(1/2)`."""
    if exp == 1:
        return name
    if not exp.is_Integer:
        return f"{name}^({exp})"
    return name + str(exp).translate(_SUPERSCRIPTS) if unicode else f"{name}^{exp}"


def format_unit(unit: Expr, unicode: bool = False) -> str:
    """`kg*m**2*s**-2` -> `kg*m^2/s^2` (`kg·m²/s²` with `unicode`); `1/(m*s)` -> `1/(m*s)`."""
    coeff, rest = unit.as_coeff_Mul()
    numerator, denominator = [], []
    if coeff.p != 1:
        numerator.append(str(coeff.p))
    if coeff.q != 1:
        denominator.append(str(coeff.q))
    factors = sorted(Mul.make_args(rest), key=lambda f: str(f.as_base_exp()[0]))
    for factor in factors:
        if factor == 1:
            continue
        base, exp = factor.as_base_exp()
        if exp > 0:
            numerator.append(_power(base.name, exp, unicode))
        else:
            denominator.append(_power(base.name, -exp, unicode))
    times = "·" if unicode else "*"
    text = times.join(numerator) or "1"
    if len(denominator) == 1:
        text += "/" + denominator[0]
    elif denominator:
        text += "/(" + times.join(denominator) + ")"
    return text


def format_decimal(value: Rational, places: int) -> str:
    """`value` rounded half up to `places` decimal places: 5/18, 3 -> `0.278`."""
    if places < 0:
        raise ValueError("places must not be negative")
    scaled = int(floor(Rational(value) * 10**places + Rational(1, 2)))
    digits = str(abs(scaled)).rjust(places + 1, "0")
    sign = "-" if scaled < 0 else ""
    if not places:
        return sign + digits
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def format_quantity(quantity, places: int | None = None, unicode: bool = False) -> str:
    """`5/18 m/s`, or with `places` a decimal value: `0.28 m/s`. Dimensionless: the value alone."""
    value = quantity.value
    text = str(value) if places is None else format_decimal(value, places)
    if quantity.unit == Integer(1):
        return text
    return f"{text} {format_unit(quantity.unit, unicode)}"
