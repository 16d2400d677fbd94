from decimal import Decimal

from tablefmt.cells import (
    align_decimal,
    column_type,
    display_width,
    format_cell,
    pad,
    wrap,
)


def test_display_width_wide_and_fullwidth_characters():
    assert display_width("日本語") == 6
    assert display_width("\uff21\uff22") == 4  # fullwidth A and B
    assert display_width("a한b") == 4


def test_display_width_ignores_combining_marks():
    assert display_width("e\u0301te\u0301") == 3


def test_display_width_of_plain_and_multiline_text():
    assert display_width("hello") == 5
    assert display_width("") == 0
    assert display_width("ab\nabcd\nabc") == 4


def test_column_type():
    assert column_type([1, 2, 3]) is int
    assert column_type([1, 2.5]) is float
    assert column_type([Decimal("1.10"), 3]) is float
    assert column_type([1, "two"]) is str
    assert column_type([]) is str


def test_column_type_ignores_missing_values():
    assert column_type([None, 4, None]) is int
    assert column_type([None, None]) is str


def test_format_cell():
    assert format_cell(3.14159, float, floatfmt=".2f") == "3.14"
    assert format_cell(2, float, floatfmt=".1f") == "2.0"
    assert format_cell(1234567.891, float, floatfmt=",.1f") == "1,234,567.9"
    assert format_cell("x", str) == "x"
    assert format_cell(None, float, missingval="n/a") == "n/a"


def test_wrap_breaks_at_spaces():
    assert wrap("the quick brown fox", 10) == "the quick\nbrown fox"


def test_wrap_splits_long_words_and_keeps_line_breaks():
    assert wrap("abcdefgh ij", 3) == "abc\ndef\ngh\nij"
    assert wrap("one\ntwo three", 5) == "one\ntwo\nthree"


def test_wrap_measures_display_width():
    assert wrap("日本語の文章", 4) == "日本\n語の\n文章"


def test_pad():
    assert pad("ab", 5, "left") == "ab   "
    assert pad("ab", 5, "right") == "   ab"
    assert pad("ab", 5, "center") == " ab  "
    assert pad("abcdef", 3, "left") == "abcdef"


def test_align_decimal_lines_up_points():
    assert align_decimal(["1.5", "22.25", "3.125"]) == ["1.5  ", "22.25 ", "3.125"]
