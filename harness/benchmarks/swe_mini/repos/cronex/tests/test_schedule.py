from datetime import datetime, timedelta, timezone

import pytest

from cronex import CronError, CronExpression


def test_wrong_number_of_fields():
    with pytest.raises(CronError, match="expected 5 fields"):
        CronExpression("* * * *")


def test_daily_and_hourly_macros():
    after = datetime(2024, 5, 10, 13, 20)
    assert CronExpression("@daily").next_after(after) == datetime(2024, 5, 11, 0, 0)
    assert CronExpression("@midnight").next_after(after) == datetime(2024, 5, 11, 0, 0)
    assert CronExpression("@hourly").next_after(after) == datetime(2024, 5, 10, 14, 0)
    assert CronExpression("@Daily").matches(datetime(2024, 7, 9, 0, 0))


def test_unknown_macro():
    with pytest.raises(CronError, match="unknown macro"):
        CronExpression("@fortnightly")


def test_next_after_is_strictly_after():
    expr = CronExpression("30 9 * * *")
    assert expr.next_after(datetime(2024, 5, 10, 9, 30)) == datetime(2024, 5, 11, 9, 30)


def test_seconds_are_ignored():
    expr = CronExpression("* * * * *")
    assert expr.next_after(datetime(2024, 5, 10, 9, 30, 45, 123)) == datetime(2024, 5, 10, 9, 31)


def test_next_times_every_quarter_hour():
    expr = CronExpression("*/15 * * * *")
    assert expr.next_times(datetime(2024, 5, 10, 23, 40), 3) == [
        datetime(2024, 5, 10, 23, 45),
        datetime(2024, 5, 11, 0, 0),
        datetime(2024, 5, 11, 0, 15),
    ]


def test_next_times_zero_and_negative_count():
    expr = CronExpression("* * * * *")
    assert expr.next_times(datetime(2024, 1, 1), 0) == []
    with pytest.raises(ValueError):
        expr.next_times(datetime(2024, 1, 1), -1)


def test_weekdays_skip_the_weekend():
    expr = CronExpression("30 9 * * MON-FRI")
    friday = datetime(2024, 3, 8, 10, 0)
    assert expr.next_times(friday, 2) == [
        datetime(2024, 3, 11, 9, 30),
        datetime(2024, 3, 12, 9, 30),
    ]


def test_day_31_skips_short_months():
    expr = CronExpression("0 12 31 * *")
    assert expr.next_times(datetime(2024, 1, 31, 12, 0), 3) == [
        datetime(2024, 3, 31, 12, 0),
        datetime(2024, 5, 31, 12, 0),
        datetime(2024, 7, 31, 12, 0),
    ]


def test_day_29_depends_on_leap_year():
    expr = CronExpression("0 0 29 2 *")
    assert expr.next_after(datetime(2024, 1, 15)) == datetime(2024, 2, 29)
    expr = CronExpression("0 0 29 * *")
    assert expr.next_after(datetime(2023, 1, 29)) == datetime(2023, 3, 29)


def test_month_names_in_schedule():
    expr = CronExpression("0 6 1 jun-aug *")
    assert expr.next_times(datetime(2024, 2, 1), 3) == [
        datetime(2024, 6, 1, 6, 0),
        datetime(2024, 7, 1, 6, 0),
        datetime(2024, 8, 1, 6, 0),
    ]


def test_day_of_week_only():
    expr = CronExpression("0 8 * * SUN")
    assert expr.next_after(datetime(2024, 5, 10)) == datetime(2024, 5, 12, 8, 0)


def test_impossible_date_is_rejected():
    with pytest.raises(CronError, match="never"):
        CronExpression("0 0 30 2 *")
    with pytest.raises(CronError, match="never"):
        CronExpression("0 0 31 4,6,9,11 *")


def test_matches():
    expr = CronExpression("*/10 9-17 * * MON-FRI")
    assert expr.matches(datetime(2024, 5, 10, 9, 20))
    assert not expr.matches(datetime(2024, 5, 10, 9, 25))
    assert not expr.matches(datetime(2024, 5, 11, 9, 20))


def test_iter_after_yields_in_order():
    times = CronExpression("0 */8 * * *").iter_after(datetime(2024, 5, 10, 1, 0))
    assert [next(times) for _ in range(4)] == [
        datetime(2024, 5, 10, 8, 0),
        datetime(2024, 5, 10, 16, 0),
        datetime(2024, 5, 11, 0, 0),
        datetime(2024, 5, 11, 8, 0),
    ]


def test_aware_datetimes_are_rejected():
    aware = datetime(2024, 5, 10, tzinfo=timezone(timedelta(hours=2)))
    with pytest.raises(ValueError, match="naive"):
        CronExpression("* * * * *").next_after(aware)


def test_str_and_repr():
    expr = CronExpression("0 9 * * 1")
    assert str(expr) == "0 9 * * 1"
    assert repr(expr) == "CronExpression('0 9 * * 1')"


def test_extra_whitespace_between_fields():
    after = datetime(2024, 5, 10, 8, 0)
    for text in ("0  9 * * *", "0\t9\t*\t*\t*", "  0 9 * * *\n", "0 9   *  *  *"):
        assert CronExpression(text).next_after(after) == datetime(2024, 5, 10, 9, 0)


def test_weekly_monthly_and_yearly_macros():
    after = datetime(2024, 5, 10, 13, 20)
    assert CronExpression("@weekly").next_after(after) == datetime(2024, 5, 12, 0, 0)
    assert CronExpression("@monthly").next_after(after) == datetime(2024, 6, 1, 0, 0)
    assert CronExpression("@Monthly").matches(datetime(2024, 7, 1, 0, 0))
    for macro in ("@yearly", "@annually"):
        assert CronExpression(macro).matches(datetime(2025, 1, 1, 0, 0))
        assert not CronExpression(macro).matches(datetime(2025, 2, 1, 0, 0))


def test_rolls_over_into_next_year():
    expr = CronExpression("0 0 1 JAN *")
    assert expr.next_after(datetime(2024, 12, 5, 10, 0)) == datetime(2025, 1, 1, 0, 0)
    expr = CronExpression("0 9 * 3 MON")
    assert expr.next_after(datetime(2024, 11, 20)) == datetime(2025, 3, 3, 9, 0)


def test_leap_day_in_a_later_year():
    expr = CronExpression("0 0 29 2 *")
    assert expr.next_times(datetime(2025, 3, 1), 2) == [
        datetime(2028, 2, 29),
        datetime(2032, 2, 29),
    ]
    assert expr.next_after(datetime(2096, 3, 1)) == datetime(2104, 2, 29)


def test_day_of_month_or_day_of_week():
    expr = CronExpression("0 0 13 * FRI")
    assert expr.next_times(datetime(2024, 9, 21), 4) == [
        datetime(2024, 9, 27),
        datetime(2024, 10, 4),
        datetime(2024, 10, 11),
        datetime(2024, 10, 13),
    ]
    assert CronExpression("0 0 1 * MON").matches(datetime(2024, 5, 6))


def test_sunday_as_seven():
    expr = CronExpression("0 10 * * 7")
    assert expr.next_after(datetime(2024, 5, 10)) == datetime(2024, 5, 12, 10, 0)
    weekend = CronExpression("0 10 * * 6-7")
    assert weekend.next_times(datetime(2024, 5, 10), 3) == [
        datetime(2024, 5, 11, 10, 0),
        datetime(2024, 5, 12, 10, 0),
        datetime(2024, 5, 18, 10, 0),
    ]


def test_stepped_days_of_month_start_on_the_first():
    expr = CronExpression("0 0 */10 * *")
    assert expr.next_times(datetime(2024, 1, 1, 12, 0), 4) == [
        datetime(2024, 1, 11),
        datetime(2024, 1, 21),
        datetime(2024, 1, 31),
        datetime(2024, 2, 1),
    ]


def test_last_day_of_month():
    expr = CronExpression("0 23 L * *")
    assert expr.next_times(datetime(2024, 1, 15), 4) == [
        datetime(2024, 1, 31, 23, 0),
        datetime(2024, 2, 29, 23, 0),
        datetime(2024, 3, 31, 23, 0),
        datetime(2024, 4, 30, 23, 0),
    ]
    assert CronExpression("0 0 L 2 *").next_after(datetime(2023, 1, 1)) == datetime(2023, 2, 28)
    twice = CronExpression("0 0 15,l * *")
    assert twice.next_times(datetime(2024, 4, 1), 3) == [
        datetime(2024, 4, 15),
        datetime(2024, 4, 30),
        datetime(2024, 5, 15),
    ]
