from fractions import Fraction

from sympy import Rational, symbols

from sympy.testing.pytest import XFAIL, raises

from symcalc import DimensionError, Quantity, convert, parse_quantity

m, s, K, km, h = symbols("m s K km h", positive=True)


def test_quantity_keeps_exact_values():
    assert Quantity("2/3", "m").value == Rational(2, 3)
    assert Quantity(Fraction(1, 3), "s").value == Rational(1, 3)
    assert Quantity(Rational(5, 7)).value == Rational(5, 7)
    assert Quantity(Rational(10, 3), "m").value * 3 == 10


def test_decimal_strings_are_exact():
    assert Quantity("0.1", "m").value == Rational(1, 10)
    assert Quantity("1e3", "m").value == 1000
    assert parse_quantity("1.5 km/h").value == Rational(3, 2)
    assert parse_quantity("1.5 km/h").unit == km / h


def test_floats_become_short_decimals():
    assert Quantity(0.1, "m").value == Rational(1, 10)
    assert Quantity(1.1, "s").value == Rational(11, 10)
    assert Quantity(2.5).value == Rational(5, 2)
    assert parse_quantity("0.3 m") == Quantity(0.3, "m")


def test_non_numbers_are_rejected():
    raises(TypeError, lambda: Quantity("abc", "m"))
    raises(TypeError, lambda: Quantity(None, "m"))
    raises(TypeError, lambda: Quantity([1], "m"))
    raises(TypeError, lambda: Quantity(symbols("x"), "m"))


def test_convert_speed():
    assert convert(90, "km/h", "m/s") == 25
    assert Quantity(25, "m/s").to("km/h").value == 90
    assert Quantity(25, "m/s").to("km/h").unit == km / h


def test_convert_imperial():
    assert convert(1, "mi", "km") == Rational(25146, 15625)
    assert convert(6, "ft", "in") == 72
    assert convert(1, "lb", "g") == Rational(45359237, 100000)


def test_convert_derived_units():
    assert Quantity(1, "kW*h").to("J").value == 3600000
    assert convert(1, "bar", "Pa") == 100000
    assert convert(3, "N*m", "J") == 3
    assert convert(1, "L", "m^3") == Rational(1, 1000)


def test_convert_incompatible_raises():
    raises(DimensionError, lambda: convert(1, "m", "s"))
    raises(DimensionError, lambda: Quantity(1, "J").to("W"))
    try:
        convert(1, "km", "h")
    except DimensionError as exc:
        assert "length" in str(exc) and "time" in str(exc)


def test_celsius_and_kelvin():
    assert convert(0, "degC", "K") == Rational(5463, 20)
    assert convert(300, "K", "degC") == Rational(537, 20)
    assert convert(-273, "degC", "K") == Rational(3, 20)


def test_from_fahrenheit():
    assert convert(212, "degF", "degC") == 100
    assert convert(32, "degF", "K") == Rational(5463, 20)
    assert convert(-40, "degF", "degC") == -40


def test_to_fahrenheit():
    assert convert(100, "degC", "degF") == 212
    assert convert(-40, "degC", "degF") == -40
    assert convert(0, "K", "degF") == Rational(-45967, 100)


def test_to_base_units():
    speed = Quantity(1, "km/h").to_base()
    assert (speed.value, speed.unit) == (Rational(5, 18), m / s)
    warm = Quantity(20, "degC").to_base()
    assert (warm.value, warm.unit) == (Rational(5863, 20), K)


def test_addition_converts_to_left_unit():
    total = Quantity(1, "km") + Quantity(5, "m")
    assert (total.value, total.unit) == (Rational(201, 200), km)
    total = Quantity(5, "m") + Quantity(1, "km")
    assert (total.value, total.unit) == (1005, m)


def test_subtraction_and_negation():
    rest = Quantity(1, "h") - Quantity(15, "s")
    assert (rest.value, rest.unit) == (Rational(239, 240), h)
    assert (-Quantity(2, "m")).value == -2
    assert abs(Quantity(-3, "m")) == Quantity(3, "m")
    assert 5 - Quantity(2) == Quantity(3)


def test_adding_mismatched_quantities_raises():
    raises(DimensionError, lambda: Quantity(1, "m") + Quantity(1, "s"))
    raises(DimensionError, lambda: Quantity(1, "m") + 1)
    raises(DimensionError, lambda: Quantity(20, "degC") + Quantity(5, "degC"))


def test_multiplication_and_division():
    area = Quantity(3, "m") * Quantity(2, "m")
    assert (area.value, area.unit) == (6, m**2)
    speed = Quantity(1, "km") / Quantity(2, "h")
    assert (speed.value, speed.unit) == (Rational(1, 2), km / h)
    assert (2 * Quantity(3, "m")).value == 6
    assert (Quantity(3, "m") / 4).value == Rational(3, 4)
    rate = 1 / Quantity(4, "s")
    assert (rate.value, rate.unit) == (Rational(1, 4), 1 / s)
    raises(DimensionError, lambda: Quantity(2, "degC") * Quantity(3, "m"))


def test_integer_powers():
    volume = Quantity(2, "m") ** 3
    assert (volume.value, volume.unit) == (8, m**3)
    assert (Quantity(2, "s") ** -1).unit == 1 / s
    assert (Quantity(2, "s") ** 0).unit == 1
    raises(TypeError, lambda: Quantity(2, "m") ** 0.5)


def test_comparisons_across_units():
    assert Quantity(1, "km") == Quantity(1000, "m")
    assert Quantity(1, "km") != Quantity(1000, "s")
    assert Quantity(1, "km") > Quantity(999, "m")
    assert Quantity(59, "s") < Quantity(1, "h")
    assert Quantity(0, "degC") >= Quantity(273, "K")
    assert Quantity(3) == 3
    raises(DimensionError, lambda: Quantity(1, "m") < Quantity(1, "s"))


def test_dimensionless_ratios():
    ratio = Quantity(1, "m") / Quantity(2, "km")
    assert ratio.to("1").value == Rational(1, 2000)
    assert Quantity(3) + 2 == 5
    assert Quantity(1, "km").dimension == symbols("length", positive=True)


@XFAIL
def test_fractional_powers():
    # Square roots of areas are not supported yet: only integer powers are.
    assert Quantity(4, "m^2") ** Rational(1, 2) == Quantity(2, "m")
