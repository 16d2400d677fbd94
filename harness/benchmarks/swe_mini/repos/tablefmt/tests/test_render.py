import pytest

from tablefmt import tabulate


def test_headers_from_first_row_or_column_indices():
    out = tabulate([["name", "n"], ["a", 1]], headers="firstrow")
    assert out == "name  n\n----  -\na     1"
    out = tabulate([["a", "b"]], headers="keys", tablefmt="plain")
    assert out == "0  1\na  b"


def test_dict_rows():
    rows = [{"name": "ann", "age": 31}, {"name": "bob", "age": 4}]
    assert tabulate(rows, headers="keys") == "\n".join(
        ["name  age", "----  ---", "ann    31", "bob     4"]
    )


def test_dict_rows_with_header_labels():
    rows = [{"name": "ann", "age": 31}]
    out = tabulate(rows, headers={"name": "Name"}, tablefmt="plain")
    assert out == "Name  age\nann    31"


def test_dict_rows_with_different_keys():
    rows = [{"name": "ann", "age": 31}, {"name": "bob", "email": "bob@example.com"}]
    out = tabulate(rows, headers="keys", missingval="-")
    assert out == "\n".join(
        [
            "name  age  email          ",
            "----  ---  ---------------",
            "ann    31  -              ",
            "bob     -  bob@example.com",
        ]
    )


def test_dict_rows_keys_first_seen_in_later_rows_are_kept():
    out = tabulate([{"a": 1}, {"a": 2, "b": 3}], headers="keys", tablefmt="plain")
    assert out == "a  b\n1   \n2  3"


def test_floatfmt():
    out = tabulate([[3.14159], [2.5]], tablefmt="plain", floatfmt=".2f")
    assert out == "3.14\n2.50"
    out = tabulate([[1234567.891], [12.5]], tablefmt="plain", floatfmt=",.2f")
    assert out == "1,234,567.89\n       12.50"


def test_intfmt_thousands_separator():
    rows = [["Tokyo", 13960000], ["Paris", 2161000], ["Vaduz", None]]
    out = tabulate(rows, ["city", "population"], "grid", intfmt=",", missingval="n/a")
    assert out == "\n".join(
        [
            "+-------+------------+",
            "| city  | population |",
            "+=======+============+",
            "| Tokyo | 13,960,000 |",
            "+-------+------------+",
            "| Paris |  2,161,000 |",
            "+-------+------------+",
            "| Vaduz |        n/a |",
            "+-------+------------+",
        ]
    )
    out = tabulate([[1234, 1234.5]], tablefmt="plain", intfmt=",", floatfmt=".1f")
    assert out == "1,234  1234.5"


def test_missing_values():
    rows = [["a", None], ["b", 250], [None, 1000]]
    out = tabulate(rows, ["k", "v"], "grid", missingval="?")
    assert out == "\n".join(
        [
            "+---+------+",
            "| k |    v |",
            "+===+======+",
            "| a |    ? |",
            "+---+------+",
            "| b |  250 |",
            "+---+------+",
            "| ? | 1000 |",
            "+---+------+",
        ]
    )
    assert tabulate([["a", None], ["b", 7]], tablefmt="plain") == "a   \nb  7"


def test_ragged_rows_are_padded_with_missing_values():
    out = tabulate([["a", 1], ["b"]], ["k", "v", "extra"], "plain", missingval="-")
    assert out == "k  v  extra\na  1  -    \nb  -  -    "


def test_mixed_column_is_text():
    out = tabulate([["x", 1], ["y", "many"]], tablefmt="plain")
    assert out == "x  1   \ny  many"


def test_bool_columns_are_shown_as_text():
    rows = [["ok", True], ["failed", False]]
    out = tabulate(rows, ["job", "passed"])
    assert out == "\n".join(
        ["job     passed", "------  ------", "ok      True  ", "failed  False "]
    )
    assert tabulate([[1.5], [True]], tablefmt="plain", floatfmt=".2f") == "1.5 \nTrue"


def test_numalign_and_stralign():
    rows = [["a", 5], ["bbb", 100]]
    out = tabulate(rows, tablefmt="plain", numalign="left", stralign="right")
    assert out == "  a  5  \nbbb  100"


def test_colalign_overrides_defaults():
    rows = [["a", 5, "x"], ["bbb", 100, "yyy"]]
    out = tabulate(rows, tablefmt="plain", colalign=["center", None, "right"])
    assert out == " a     5    x\nbbb  100  yyy"


def test_invalid_alignment():
    with pytest.raises(ValueError, match="unknown alignment 'middle'"):
        tabulate([[1]], colalign=["middle"])
    with pytest.raises(ValueError, match="colalign"):
        tabulate([[1]], colalign=["left", "right"])


def test_decimal_alignment_of_floats():
    out = tabulate([[1.5], [22.25], [333.125]], tablefmt="plain")
    assert out == "  1.5  \n 22.25 \n333.125"


def test_decimal_alignment_with_integers():
    out = tabulate([["x", 1.5], ["y", 10], ["z", 100.25]], ["k", "v"])
    assert out == "\n".join(
        ["k       v", "-  ------", "x    1.5 ", "y   10   ", "z  100.25"]
    )


def test_decimal_alignment_with_whole_floats():
    out = tabulate([[0.5], [2.0], [12.75]], tablefmt="plain")
    assert out == " 0.5 \n 2   \n12.75"


def test_wide_characters_are_aligned():
    rows = [["東京", 13960000], ["Paris", 2161000]]
    assert tabulate(rows, ["city", "population"], "grid") == "\n".join(
        [
            "+-------+------------+",
            "| city  | population |",
            "+=======+============+",
            "| 東京  |   13960000 |",
            "+-------+------------+",
            "| Paris |    2161000 |",
            "+-------+------------+",
        ]
    )


def test_maxcolwidths_wraps_text():
    rows = [["The quick brown fox jumps", 1]]
    out = tabulate(rows, ["text", "n"], "grid", maxcolwidths=[10, None])
    assert out == "\n".join(
        [
            "+-----------+---+",
            "| text      | n |",
            "+===========+===+",
            "| The quick | 1 |",
            "| brown fox |   |",
            "| jumps     |   |",
            "+-----------+---+",
        ]
    )


def test_maxcolwidths_applies_to_headers():
    out = tabulate([["a"]], ["long header"], "plain", maxcolwidths=6)
    assert out == "long  \nheader\na     "


def test_wide_characters_in_headers_and_wrapped_cells():
    rows = [["日本語の文章", "\uff58"], ["abc", "x"]]
    out = tabulate(
        rows, ["名前", "c"], "grid", maxcolwidths=[4, None], colalign=[None, "center"]
    )
    assert out == "\n".join(
        [
            "+------+----+",
            "| 名前 | c  |",
            "+======+====+",
            "| 日本 | \uff58 |",
            "| 語の |    |",
            "| 文章 |    |",
            "+------+----+",
            "| abc  | x  |",
            "+------+----+",
        ]
    )


def test_overflow_truncate():
    rows = [["The quick brown fox jumps", "ok"]]
    out = tabulate(
        rows, ["text", "status"], "grid", maxcolwidths=[10, None], overflow="truncate"
    )
    assert out == "\n".join(
        [
            "+------------+--------+",
            "| text       | status |",
            "+============+========+",
            "| The quick\u2026 | ok     |",
            "+------------+--------+",
        ]
    )


def test_overflow_truncate_cuts_each_line_by_display_width():
    rows = [["short"], ["two\nmultiple lines"]]
    out = tabulate(rows, tablefmt="plain", maxcolwidths=7, overflow="truncate")
    assert out == "short  \ntwo    \nmultip\u2026"
    out = tabulate([["日本語の文章です"]], maxcolwidths=7, overflow="truncate")
    assert out == "日本語\u2026"
    with pytest.raises(ValueError):
        tabulate(rows, maxcolwidths=7, overflow="hide")


def test_overflow_truncate_applies_to_headers():
    out = tabulate([["ab"]], ["a long header"], "plain", maxcolwidths=[6], overflow="truncate")
    assert out == "a lon\u2026\nab    "


def test_multiline_header():
    out = tabulate([["x", 1]], ["name", "unit\nprice"], "simple")
    assert out == "\n".join(["name   unit", "      price", "----  -----", "x         1"])


def test_empty_input():
    assert tabulate([]) == ""
