from sympy import Rational, Symbol, symbols

from sympy.testing.pytest import raises

from symcalc import DimensionError, UnitError, define, dimension, parse_unit, to_base

m, kg, s, A, K = symbols("m kg s A K", positive=True)
km, h, W, J = symbols("km h W J", positive=True)
length, mass, time, luminosity = symbols("length mass time luminosity", positive=True)


def base(text):
    return to_base(parse_unit(text))


def test_parse_simple_units():
    assert parse_unit("m") == m
    assert parse_unit("km/h") == km / h
    assert parse_unit(" kg ") == kg


def test_parse_powers_and_parentheses():
    assert parse_unit("kg*m^2/s^2") == kg * m**2 / s**2
    assert parse_unit("kg*m**2*s**-2") == kg * m**2 / s**2
    assert parse_unit("W/(m*K)") == W / (m * K)
    assert parse_unit("m^(1/2)") == m ** Rational(1, 2)


def test_dimensionless_unit():
    assert parse_unit("") == 1
    assert parse_unit("1") == 1
    assert parse_unit("m/m") == 1


def test_unknown_unit_is_rejected():
    raises(UnitError, lambda: parse_unit("furlong"))
    raises(UnitError, lambda: parse_unit("km/fortnight"))
    raises(UnitError, lambda: parse_unit("_u0"))


def test_malformed_unit_text():
    for text in ("m+s", "-m", "m s", "(m", "m^s", "m^0.5", "0*m", "m == s", "m, s"):
        raises(UnitError, lambda: parse_unit(text))


def test_si_prefixes():
    assert base("km") == (1000, m)
    assert base("mA") == (Rational(1, 1000), A)
    assert base("µs") == (Rational(1, 10**6), s)
    assert base("us") == (Rational(1, 10**6), s)
    assert base("GHz") == (10**9, 1 / s)
    assert base("dam") == (10, m)
    assert base("dL") == (Rational(1, 10**4), m**3)


def test_prefixes_on_grams_not_kilograms():
    assert base("mg") == (Rational(1, 10**6), kg)
    assert base("Mg") == (1000, kg)
    raises(UnitError, lambda: parse_unit("kkg"))


def test_prefixed_unit_cannot_be_prefixed_again():
    raises(UnitError, lambda: parse_unit("kkm"))
    raises(UnitError, lambda: parse_unit("mkm"))


def test_derived_units_reduce_to_base():
    assert base("J") == (1, kg * m**2 / s**2)
    assert base("kW*h") == (3600000, kg * m**2 / s**2)
    assert base("bar") == (100000, kg / (m * s**2))
    assert base("L") == (Rational(1, 1000), m**3)
    assert base("V") == (1, kg * m**2 / (A * s**3))


def test_imperial_lengths():
    assert base("in") == (Rational(127, 5000), m)
    assert base("ft") == (Rational(381, 1250), m)
    assert base("mi") == (Rational(201168, 125), m)
    assert base("lb") == (Rational(45359237, 10**8), kg)


def test_names_that_look_prefixed():
    assert base("min") == (60, s)
    assert base("h/min") == (60, 1)
    assert dimension("cd") == luminosity
    assert dimension("mcd") == luminosity


def test_dimension_names():
    assert dimension("km/h") == length / time
    assert dimension("Pa") == mass / (length * time**2)
    assert dimension(parse_unit("N*m")) == dimension("J")
    assert dimension("1") == 1


def test_temperature_scales_stand_alone():
    assert parse_unit("degC") == Symbol("degC", positive=True)
    raises(DimensionError, lambda: parse_unit("degC/s"))
    raises(DimensionError, lambda: parse_unit("2*degF"))
    raises(UnitError, lambda: parse_unit("mdegC"))


def test_define_new_unit():
    define("fathom", "6*ft")
    assert base("fathom/h") == (Rational(127, 250000), m / s)
    raises(UnitError, lambda: define("fathom", "2*yd"))
    raises(UnitError, lambda: define("two words", "m"))
    raises(UnitError, lambda: define("span", "ell"))


def test_parse_unicode_superscripts():
    assert parse_unit("m/s²") == m / s**2
    assert parse_unit("kg·m²/s²") == kg * m**2 / s**2
    assert parse_unit("m⁻¹") == 1 / m
    assert base("µm³") == (Rational(1, 10**18), m**3)


def test_units_cancel_and_combine():
    assert parse_unit("m*m/m") == m
    assert parse_unit("J/J") == 1
    assert to_base(parse_unit("W*s"))[1] == to_base(parse_unit("J"))[1]
