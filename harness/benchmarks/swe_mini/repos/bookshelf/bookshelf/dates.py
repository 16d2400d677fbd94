"""Opening days and due dates. Every function takes its dates explicitly (no clock)."""

from datetime import timedelta

LOAN_DAYS = 21
CLOSED_WEEKDAYS = frozenset({6})  # Sunday


def is_open(day, holidays=()):
    """Whether the library is open on ``day``: not a closed weekday nor a holiday."""
    return day.weekday() not in CLOSED_WEEKDAYS and day not in holidays


def next_open_day(day, holidays=()):
    """``day`` itself when the library is open then, else the first open day after it."""
    while not is_open(day, holidays):
        day += timedelta(days=1)
    return day


def due_date(start, days=LOAN_DAYS, holidays=()):
    """The due date of a loan of ``days`` days from ``start``, moved to an open day."""
    return next_open_day(start + timedelta(days=days), holidays)


def days_overdue(due_on, returned_on):
    """Whole days between the due date and the return date; 0 when returned on time."""
    return max(0, (returned_on - due_on).days)
