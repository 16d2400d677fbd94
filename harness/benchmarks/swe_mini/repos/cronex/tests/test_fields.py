import pytest

from cronex import CronError
from cronex.fields import DAY_OF_MONTH, DAY_OF_WEEK, HOUR, MINUTE, MONTH, parse_field


def values(text, spec):
    return sorted(parse_field(text, spec).values)


def test_values_lists_and_ranges():
    assert values("5", MINUTE) == [5]
    assert values("0,15,45", MINUTE) == [0, 15, 45]
    assert values("9-17", HOUR) == list(range(9, 18))
    assert values("1-3,10,20-22", DAY_OF_MONTH) == [1, 2, 3, 10, 20, 21, 22]


def test_wildcard_covers_whole_field():
    field = parse_field("*", DAY_OF_MONTH)
    assert field.is_wildcard
    assert sorted(field.values) == list(range(1, 32))


def test_step_on_wildcard():
    assert values("*/15", MINUTE) == [0, 15, 30, 45]
    assert values("*/6", HOUR) == [0, 6, 12, 18]


def test_month_names_are_case_insensitive():
    assert values("JAN", MONTH) == [1]
    assert values("jan-Mar", MONTH) == [1, 2, 3]
    assert values("nov,DEC", MONTH) == [11, 12]


def test_day_names():
    assert values("MON-FRI", DAY_OF_WEEK) == [1, 2, 3, 4, 5]
    assert values("sun,sat", DAY_OF_WEEK) == [0, 6]


def test_out_of_range_value_names_field_and_bounds():
    with pytest.raises(CronError) as info:
        parse_field("60", MINUTE)
    assert "minute" in str(info.value)
    assert "0-59" in str(info.value)


def test_unknown_name_or_invalid_value_is_reported():
    with pytest.raises(CronError, match="unknown month name 'JUNE'"):
        parse_field("JUNE", MONTH)
    with pytest.raises(CronError, match="invalid hour value '9am'"):
        parse_field("9am", HOUR)


def test_backwards_range_is_rejected():
    with pytest.raises(CronError, match="backwards"):
        parse_field("17-9", HOUR)


def test_malformed_terms_are_rejected():
    with pytest.raises(CronError, match="needs a range"):
        parse_field("5/10", MINUTE)
    with pytest.raises(CronError, match="invalid step"):
        parse_field("*/x", MINUTE)
    with pytest.raises(CronError, match="empty item"):
        parse_field("1,,2", MINUTE)


def test_step_on_range_starts_at_range_start():
    assert values("5-20/10", MINUTE) == [5, 15]
    assert values("1-12/4", MONTH) == [1, 5, 9]


def test_step_on_day_of_month_wildcard_starts_at_first_day():
    assert values("*/10", DAY_OF_MONTH) == [1, 11, 21, 31]


def test_day_of_week_accepts_seven():
    for text in ("7", "5-7", "FRI-7", "0,7", "*/7"):
        parse_field(text, DAY_OF_WEEK)
    with pytest.raises(CronError, match="out of range"):
        parse_field("8", DAY_OF_WEEK)


def test_zero_step_is_rejected():
    with pytest.raises(CronError):
        parse_field("*/0", MINUTE)
    with pytest.raises(CronError):
        parse_field("1-10/0", HOUR)


def test_last_day_token_is_only_allowed_in_day_of_month():
    for text in ("L", "l", "1,15,L"):
        parse_field(text, DAY_OF_MONTH)
    for spec in (MINUTE, HOUR, MONTH, DAY_OF_WEEK):
        with pytest.raises(CronError):
            parse_field("L", spec)
