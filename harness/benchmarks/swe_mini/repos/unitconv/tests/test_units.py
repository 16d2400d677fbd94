import pytest

from unitconv import UnitError, get_unit, units_of


@pytest.mark.parametrize("name", ["foot", "Feet", " ft "])
def test_lookup_by_symbol_or_name(name):
    assert get_unit(name).symbol == "ft"


def test_symbols_are_case_sensitive():
    assert get_unit("K").name == "kelvin"
    assert get_unit("kelvin").symbol == "K"
    with pytest.raises(UnitError, match="unknown unit 'M'"):
        get_unit("M")


@pytest.mark.parametrize("alias", ["degC", "celsius", "degrees celsius"])
def test_celsius_aliases(alias):
    assert get_unit(alias).symbol == "°C"


@pytest.mark.parametrize("symbol, expected", [("'", "ft"), ("′", "ft"), ('"', "in"), ("″", "in")])
def test_prime_symbols(symbol, expected):
    assert get_unit(symbol).symbol == expected


def test_unknown_unit():
    with pytest.raises(UnitError, match="unknown unit 'furlong'"):
        get_unit("furlong")


def test_units_of_dimension_smallest_first():
    assert [u.symbol for u in units_of("time")] == ["s", "min", "h", "d"]
    assert [u.symbol for u in units_of("mass")][:3] == ["mg", "g", "oz"]
    with pytest.raises(UnitError):
        units_of("luminosity")
