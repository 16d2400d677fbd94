import pytest

from unitconv import Quantity, UnitError, convert, convert_delta, factor

LINEAR = [
    pytest.param(1, "in", "cm", 2.54, id="1 in to cm"),
    pytest.param(1, "mi", "km", 1.609344, id="1 mi to km"),
    pytest.param(3, "ft", "in", 36, id="3 ft to in"),
    pytest.param(1, "lb", "oz", 16, id="1 lb to oz"),
    pytest.param(14, "lb", "st", 1, id="14 lb to st"),
    pytest.param(90, "min", "h", 1.5, id="90 min to h"),
]


@pytest.mark.parametrize("value, src, dst, expected", LINEAR)
def test_linear(value, src, dst, expected):
    assert convert(value, src, dst) == pytest.approx(expected)


TEMPERATURES = [
    pytest.param(100, "°C", "K", 373.15, id="100 °C to K"),
    pytest.param(0, "K", "°C", -273.15, id="0 K to °C"),
    pytest.param(212, "°F", "°C", 100, id="212 °F to °C"),
    pytest.param(-40, "°F", "°C", -40, id="-40 °F to °C"),
    pytest.param(32, "°F", "K", 273.15, id="32 °F to K"),
    pytest.param(491.67, "°R", "°C", 0, id="491.67 °R to °C"),
    pytest.param(100, "°C", "°F", 212, id="100 °C to °F"),
    pytest.param(-40, "°C", "°F", -40, id="-40 °C to °F"),
    pytest.param(0, "K", "°F", -459.67, id="0 K to °F"),
    pytest.param(50, "°F", "°F", 50, id="50 °F to °F"),
]


@pytest.mark.parametrize("value, src, dst, expected", TEMPERATURES)
def test_temperature(value, src, dst, expected):
    assert convert(value, src, dst) == pytest.approx(expected, abs=1e-9)


def test_delta_ignores_offsets():
    assert convert_delta(10, "°C", "°F") == pytest.approx(18)
    assert convert_delta(9, "°F", "K") == pytest.approx(5)


def test_incompatible_units():
    with pytest.raises(UnitError, match=r"cannot convert length \(m\) to mass \(kg\)"):
        convert(1, "m", "kg")


def test_factor():
    assert factor("km", "m") == 1000
    with pytest.raises(UnitError, match="not a plain ratio"):
        factor("°C", "K")


def test_quantity_equality_across_units():
    assert Quantity(1, "ft") == Quantity(12, "in")
    assert Quantity(1, "kg") != Quantity(1, "lb")
    assert not Quantity(1, "km") > Quantity(1, "mi")
    assert sorted([Quantity(1, "mi"), Quantity(1, "km"), Quantity(1, "ft")]) == [
        Quantity(1, "ft"), Quantity(1, "km"), Quantity(1, "mi")
    ]


def test_quantity_arithmetic():
    total = Quantity(1, "ft") + Quantity(6, "in")
    assert total.unit.symbol == "ft" and total.value == pytest.approx(1.5)
    assert (Quantity(1, "h") - Quantity(15, "min")).value == pytest.approx(0.75)
    assert (2 * Quantity(3, "kg")).value == 6
    warmer = Quantity(20, "°C") + Quantity(9, "°R")
    assert warmer.value == pytest.approx(25)
    with pytest.raises(UnitError, match="two temperatures"):
        Quantity(20, "°C") + Quantity(10, "°C")


def test_quantity_to():
    assert Quantity(5, "km").to("m") == Quantity(5000, "m")
    assert Quantity(20, "°C").to("°F").value == pytest.approx(68)
    assert Quantity(20, "°C").to("°F") == Quantity(20, "°C")
    assert repr(Quantity(2, "lb")) == "Quantity(2, 'lb')"
