"""Cron expressions and the times at which they fire."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from typing import Iterator

from .fields import SPECS, CronError, parse_field

#: Shorthand expressions and what they stand for.
MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}

#: The most days each month can have (February in a leap year).
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

#: How many years ahead to look for a fire time before giving up.  Leap
#: days can be eight years apart (2096 -> 2104), so this must exceed that.
_SEARCH_YEARS = 10


class CronExpression:
    """A parsed five-field cron expression.

    >>> expr = CronExpression("30 9 * * MON-FRI")
    >>> expr.next_after(datetime(2024, 3, 1, 12, 0))
    datetime.datetime(2024, 3, 4, 9, 30)
    """

    def __init__(self, expression: str) -> None:
        self.expression = expression
        text = expression.strip()
        if text.startswith("@"):
            if text.lower() not in MACROS:
                raise CronError(f"unknown macro {text!r}")
            text = MACROS[text.lower()]
        parts = text.split()
        if len(parts) != 5:
            raise CronError(
                f"expected 5 fields (minute hour day-of-month month "
                f"day-of-week), got {len(parts)} in {expression!r}"
            )
        self.minute, self.hour, self.day, self.month, self.weekday = (
            parse_field(part, spec) for part, spec in zip(parts, SPECS)
        )
        self._check_satisfiable()

    def __repr__(self) -> str:
        return f"CronExpression({self.expression!r})"

    def __str__(self) -> str:
        return self.expression

    def _check_satisfiable(self) -> None:
        """Reject day-of-month/month pairs that never occur, like Feb 30."""
        if not self.weekday.is_wildcard or self.day.last_day:
            return
        first_day = min(self.day.values)
        if all(first_day > _MONTH_DAYS[m - 1] for m in self.month.values):
            raise CronError(
                f"day {first_day} never occurs in month "
                f"{self.month.text!r}, so {self.expression!r} never fires"
            )

    def _day_matches(self, day: date) -> bool:
        in_month = day.day in self.day or (
            self.day.last_day
            and day.day == calendar.monthrange(day.year, day.month)[1]
        )
        in_week = day.isoweekday() % 7 in self.weekday
        if self.day.is_wildcard or self.weekday.is_wildcard:
            return in_month and in_week
        # When both day fields are restricted, either one may match.
        return in_month or in_week

    def matches(self, moment: datetime) -> bool:
        """Return True if the expression fires at ``moment`` (to the minute)."""
        return (
            moment.minute in self.minute
            and moment.hour in self.hour
            and moment.month in self.month
            and self._day_matches(moment.date())
        )

    def next_after(self, after: datetime) -> datetime:
        """Return the first fire time strictly after the naive ``after``."""
        if after.tzinfo is not None:
            raise ValueError("only naive datetimes are supported")
        t = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
        limit = t.year + _SEARCH_YEARS
        while t.year <= limit:
            if t.month not in self.month:
                t = _start_of_next_month(t)
            elif not self._day_matches(t.date()):
                t = t.replace(hour=0, minute=0) + timedelta(days=1)
            elif t.hour not in self.hour:
                t = t.replace(minute=0) + timedelta(hours=1)
            elif t.minute not in self.minute:
                t += timedelta(minutes=1)
            else:
                return t
        raise CronError(
            f"{self.expression!r} does not fire within {_SEARCH_YEARS} years "
            f"after {after:%Y-%m-%d %H:%M}"
        )

    def iter_after(self, after: datetime) -> Iterator[datetime]:
        """Yield fire times after ``after`` in order, without end."""
        while True:
            after = self.next_after(after)
            yield after

    def next_times(self, after: datetime, count: int) -> list[datetime]:
        """Return the next ``count`` fire times after ``after``."""
        if count < 0:
            raise ValueError("count must not be negative")
        times = self.iter_after(after)
        return [next(times) for _ in range(count)]

    def describe(self) -> str:
        """Return a plain-English description, e.g. ``At 09:30``."""
        from .describe import describe

        return describe(self)


def _start_of_next_month(t: datetime) -> datetime:
    if t.month == 12:
        return t.replace(year=t.year + 1, month=1, day=1, hour=0, minute=0)
    return t.replace(month=t.month + 1, day=1, hour=0, minute=0)
