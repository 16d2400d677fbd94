import pytest

from unitconv import ParseError, Quantity, format_compound, format_quantity, parse_convert, parse_quantity

PARSED = {
    "2.5 kg": Quantity(2.5, "kg"),
    "-40 °F": Quantity(-40, "°F"),
    "3 ft 4 in": Quantity(40, "in"),
    "1 h 30 min": Quantity(90, "min"),
    "-3 ft 4 in": Quantity(-40, "in"),
    "1 mi 100 yd": Quantity(1860, "yd"),
    "  7 feet ": Quantity(7, "ft"),
    "5'11\"": Quantity(71, "in"),
    "6' 2\"": Quantity(74, "in"),
    "3′ 4″": Quantity(40, "in"),
    "-2' 6\"": Quantity(-30, "in"),
    "12'": Quantity(12, "ft"),
}


@pytest.mark.parametrize("text", list(PARSED))
def test_parse(text):
    parsed = parse_quantity(text)
    expected = PARSED[text]
    assert parsed.unit == expected.unit
    assert parsed.value == pytest.approx(expected.value)


COMPACT = {"12m": "12 m", "2.5kg": "2.5 kg", "20°C": "20 °C"}


@pytest.mark.parametrize("text", list(COMPACT))
def test_parse_without_space(text):
    assert parse_quantity(text) == parse_quantity(COMPACT[text])


BAD = {
    "": "no quantity",
    "3 furlongs": "unknown unit 'furlongs'",
    "1 kg 3 m": "cannot combine kg and m",
    "4 in 3 ft": "must get smaller",
    "3 ft -4 in": "only the first part",
    "5\" 11'": "must get smaller",
}


@pytest.mark.parametrize("text", list(BAD))
def test_parse_errors(text):
    with pytest.raises(ParseError, match=BAD[text]):
        parse_quantity(text)


def test_parse_convert():
    assert parse_convert("6 ft", "m") == pytest.approx(1.8288)
    assert parse_convert("5'10\"", "cm") == pytest.approx(177.8)
    assert parse_convert("5 ft 10 in", "cm") == pytest.approx(177.8)


def test_format_quantity():
    assert format_quantity(Quantity(3.5, "ft")) == "3.5 ft"
    assert format_quantity(Quantity(2.0, "kg")) == "2 kg"
    assert format_quantity(Quantity(1 / 3, "h"), precision=3) == "0.333 h"
    assert format_quantity(Quantity(-0.001, "m")) == "0 m"
    assert format_quantity(Quantity(21.5, "°C")) == "21.5 °C"


def test_format_quantity_names():
    assert format_quantity(Quantity(1, "ft"), style="name") == "1 foot"
    assert format_quantity(Quantity(3, "ft"), style="name") == "3 feet"
    assert format_quantity(Quantity(1.004, "in"), style="name") == "1 inch"
    with pytest.raises(ValueError, match="unknown style"):
        format_quantity(Quantity(1, "ft"), style="long")


COMPOUNDS = [
    pytest.param(Quantity(71, "in"), ("ft", "in"), "5 ft 11 in", id="71 in"),
    pytest.param(Quantity(71.9, "in"), ("ft", "in"), "6 ft 0 in", id="71.9 in carries"),
    pytest.param(Quantity(-40, "in"), ("ft", "in"), "-3 ft 4 in", id="negative"),
    pytest.param(Quantity(100, "min"), ("h", "min"), "1 h 40 min", id="100 min"),
    pytest.param(Quantity(9.5, "lb"), ("st", "lb"), "0 st 10 lb", id="9.5 lb rounds"),
]


@pytest.mark.parametrize("quantity, units, expected", COMPOUNDS)
def test_format_compound(quantity, units, expected):
    assert format_compound(quantity, units) == expected


def test_format_compound_rejects_temperatures():
    with pytest.raises(Exception, match="cannot write"):
        format_compound(Quantity(20, "°C"), ("°C", "K"))
