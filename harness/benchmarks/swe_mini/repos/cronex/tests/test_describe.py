from cronex import CronExpression, describe


def test_time_on_weekdays():
    assert describe("30 9 * * MON-FRI") == "At 09:30, on Monday through Friday"


def test_every_minute_and_every_n_minutes():
    assert describe("* * * * *") == "Every minute"
    assert describe("*/15 * * * *") == "Every 15 minutes"
    assert describe("*/15 9-17 * * *") == "Every 15 minutes, between 09:00 and 17:59"
    assert describe("10-50/20 * * * *") == (
        "Every 20 minutes, minutes 10 through 50 past the hour"
    )


def test_several_times_of_day():
    assert describe("5 9,17 * * *") == "At 09:05 and 17:05"


def test_minutes_past_every_hour():
    assert describe("30 * * * *") == "At 30 minutes past the hour"
    assert describe("0 */2 * * *") == "At 0 minutes past the hour, every 2 hours"


def test_days_of_month_and_months():
    assert describe("0 0 1,15 * *") == "At 00:00, on day 1 and 15 of the month"
    assert describe("0 12 * JAN-MAR *") == "At 12:00, in January through March"
    assert describe("0 0 1 12 *") == "At 00:00, on day 1 of the month, in December"


def test_list_of_week_days():
    assert describe("0 18 * * 1,3,5") == "At 18:00, on Monday, Wednesday and Friday"


def test_day_of_month_or_day_of_week():
    assert describe("0 0 13 * FRI") == "At 00:00, on day 13 of the month or on Friday"


def test_describe_method_matches_function():
    expr = CronExpression("@daily")
    assert expr.describe() == describe(expr) == "At 00:00"


def test_sunday_as_seven():
    assert describe("0 10 * * 5-7") == "At 10:00, on Friday through Sunday"
    assert describe("0 10 * * 7") == "At 10:00, on Sunday"


def test_last_day_of_month():
    assert describe("0 23 L * *") == "At 23:00, on the last day of the month"
    assert describe("0 0 1,L * *") == (
        "At 00:00, on day 1 of the month and on the last day of the month"
    )
