from sympy import Rational

from sympy.external import import_module
from sympy.testing.pytest import raises, skip

from symcalc import Quantity, format_quantity, format_unit, parse_quantity, parse_unit
from symcalc.format import format_decimal


def unit_text(text, **options):
    return format_unit(parse_unit(text), **options)


def test_format_simple_units():
    assert unit_text("m") == "m"
    assert unit_text("km/h") == "km/h"
    assert unit_text("1") == "1"


def test_format_powers():
    assert unit_text("kg*m**2*s**-2") == "kg*m^2/s^2"
    assert unit_text("m^3") == "m^3"


def test_format_denominators():
    assert unit_text("1/s") == "1/s"
    assert unit_text("1/(m*s)") == "1/(m*s)"
    assert unit_text("W/(m*K)") == "W/(K*m)"


def test_format_numeric_factors():
    assert unit_text("60*s") == "60*s"
    assert unit_text("m^3/1000") == "m^3/1000"
    assert unit_text("3/(4*s)") == "3/(4*s)"


def test_format_fractional_exponents():
    assert unit_text("m^(1/2)") == "m^(1/2)"
    assert unit_text("s^(-3/2)") == "1/s^(3/2)"


def test_str_and_repr_of_quantities():
    speed = Quantity(Rational(5, 18), "m/s")
    assert str(speed) == "5/18 m/s"
    assert repr(speed) == "Quantity('5/18', 'm/s')"
    assert str(Quantity(-2, "N*m")) == "-2 N*m"


def test_format_dimensionless():
    assert str(Quantity(3)) == "3"
    assert str(Quantity(1, "m") / Quantity(4, "m")) == "1/4"


def test_decimal_places():
    assert format_quantity(Quantity(Rational(5, 18), "m/s"), 3) == "0.278 m/s"
    assert format_quantity(Quantity(-Rational(5, 18), "m"), 2) == "-0.28 m"
    assert format_quantity(Quantity(1000, "m"), 1) == "1000.0 m"
    assert format_decimal(Rational(1, 2), 0) == "1"
    assert format_decimal(Rational(1, 200), 2) == "0.01"
    raises(ValueError, lambda: format_decimal(Rational(1, 2), -1))


def test_round_trip_through_text():
    for text in ("5/18 m/s", "3 kg*m^2/s^2", "1/2 W/(K*m)", "7 1/s", "-4 m^(1/2)"):
        quantity = parse_quantity(text)
        assert str(quantity) == text
        assert parse_quantity(str(quantity)) == quantity


def test_unicode_unit_text():
    assert unit_text("kg*m^2/s^2", unicode=True) == "kg·m²/s²"
    assert unit_text("W/(m*K)", unicode=True) == "W/(K·m)"
    assert unit_text("1/s^10", unicode=True) == "1/s¹⁰"
    assert unit_text("m^(1/2)", unicode=True) == "m^(1/2)"


def test_unicode_quantity_text():
    accel = parse_quantity("9.81 m/s^2")
    assert format_quantity(accel, unicode=True) == "981/100 m/s²"
    assert format_quantity(accel, 1, unicode=True) == "9.8 m/s²"
    assert parse_quantity(format_quantity(accel, unicode=True)) == accel


def test_numpy_integers_are_accepted():
    numpy = import_module("numpy")
    if not numpy:
        skip("numpy is not installed")
    assert Quantity(numpy.int64(3), "m") == Quantity(3, "m")
