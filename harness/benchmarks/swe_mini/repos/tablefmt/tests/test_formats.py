import pytest

from tablefmt import FORMATS, Line, RowStyle, TableFormat, tabulate

ROWS = [["apple", 1.5], ["banana", 12.25], ["cherry", 100.125]]
HEADERS = ["fruit", "price"]


def test_plain():
    assert tabulate(ROWS, HEADERS, "plain") == "\n".join(
        [
            "fruit     price",
            "apple     1.5  ",
            "banana   12.25 ",
            "cherry  100.125",
        ]
    )


def test_simple_is_the_default():
    expected = "\n".join(
        [
            "fruit     price",
            "------  -------",
            "apple     1.5  ",
            "banana   12.25 ",
            "cherry  100.125",
        ]
    )
    assert tabulate(ROWS, HEADERS) == expected
    assert tabulate(ROWS, HEADERS, "simple") == expected


def test_simple_without_headers():
    assert tabulate([["a", 1], ["bb", 22]]) == "a    1\nbb  22"


def test_grid():
    assert tabulate(ROWS, HEADERS, "grid") == "\n".join(
        [
            "+--------+---------+",
            "| fruit  |   price |",
            "+========+=========+",
            "| apple  |   1.5   |",
            "+--------+---------+",
            "| banana |  12.25  |",
            "+--------+---------+",
            "| cherry | 100.125 |",
            "+--------+---------+",
        ]
    )


def test_grid_with_headers_only():
    assert tabulate([], ["a", "b"], "grid") == "\n".join(
        ["+---+---+", "| a | b |", "+===+===+", "+---+---+"]
    )


def test_grid_multiline_cells():
    out = tabulate([["one\ntwo", "x"], ["three", "y"]], ["n", "c"], "grid")
    assert out == "\n".join(
        [
            "+-------+---+",
            "| n     | c |",
            "+=======+===+",
            "| one   | x |",
            "| two   |   |",
            "+-------+---+",
            "| three | y |",
            "+-------+---+",
        ]
    )


def test_markdown_alignment_colons():
    rows = [["left", "mid", "right"], ["a", "b", "c"]]
    out = tabulate(rows, "firstrow", "markdown", colalign=["left", "center", "right"])
    assert out == "\n".join(
        [
            "| left | mid | right |",
            "|:-----|:---:|------:|",
            "| a    |  b  |     c |",
        ]
    )


def test_markdown_numeric_columns_are_right_aligned():
    rows = [["apple", 3, 0.5], ["kiwi", 12, 1.25]]
    out = tabulate(rows, ["fruit", "qty", "price"], "markdown")
    assert out == "\n".join(
        [
            "| fruit | qty | price |",
            "|:------|----:|------:|",
            "| apple |   3 |  0.5  |",
            "| kiwi  |  12 |  1.25 |",
        ]
    )


def test_markdown_columns_are_at_least_three_wide():
    assert tabulate([["x"]], ["a"], "markdown") == "| a   |\n|:----|\n| x   |"


def test_markdown_escapes_pipes_in_cells():
    out = tabulate([["a|b", "c"]], ["x|y", "z"], "markdown")
    assert out == "\n".join(
        [
            "| x\\|y | z   |",
            "|:-----|:----|",
            "| a\\|b | c   |",
        ]
    )
    assert tabulate([["a|b"]], tablefmt="plain") == "a|b"


def test_custom_table_format():
    fmt = TableFormat(
        row=RowStyle("[", ";", "]"),
        below_header=Line("[", "~", ";", "]"),
    )
    out = tabulate([["a", "b"]], ["x", "yy"], fmt)
    assert out == "[x;yy]\n[~;~~]\n[a;b ]"


def test_unknown_format_is_rejected():
    assert sorted(FORMATS) == ["grid", "markdown", "plain", "simple"]
    with pytest.raises(ValueError, match="unknown table format 'html'"):
        tabulate([[1]], tablefmt="html")
