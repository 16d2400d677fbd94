"""Plain-English descriptions of cron expressions.

>>> describe("30 9 * * MON-FRI")
'At 09:30, on Monday through Friday'
"""

from __future__ import annotations

from typing import Callable

from .fields import Field, Term
from .schedule import CronExpression

DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday",
             "Thursday", "Friday", "Saturday")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July",
               "August", "September", "October", "November", "December")


def describe(expression: CronExpression | str) -> str:
    """Describe when ``expression`` fires, e.g. ``At 09:30, in January``."""
    if isinstance(expression, str):
        expression = CronExpression(expression)
    parts = [_describe_time(expression.minute, expression.hour)]

    days = []
    if not expression.day.is_wildcard:
        days.append(_describe_month_days(expression.day))
    if not expression.weekday.is_wildcard:
        days.append(_describe_terms(expression.weekday, "day", _day_name, "on "))
    if days:
        parts.append(" or ".join(days))
    if not expression.month.is_wildcard:
        parts.append(_describe_terms(expression.month, "month", _month_name, "in "))
    return ", ".join(parts)


def _day_name(value: int) -> str:
    return DAY_NAMES[value % 7]


def _month_name(value: int) -> str:
    return MONTH_NAMES[value - 1]


def _join(items: list[str]) -> str:
    """Join ``["a", "b", "c"]`` as ``"a, b and c"``."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _is_plain(field: Field) -> bool:
    """True if the field is a list of single values, like ``0,30``."""
    return all(term.start == term.end for term in field.terms)


def _term_text(term: Term, unit: str, name: Callable[[int], str]) -> str:
    if term.wildcard:
        return f"every {unit}" if term.step == 1 else f"every {term.step} {unit}s"
    if term.start == term.end:
        return name(term.start)
    text = f"{name(term.start)} through {name(term.end)}"
    if term.step > 1:
        text = f"every {term.step} {unit}s, {text}"
    return text


def _describe_terms(field: Field, unit: str, name: Callable[[int], str],
                    prefix: str) -> str:
    """Describe a field; ``prefix`` is used unless it starts with a step."""
    texts = [_term_text(term, unit, name) for term in field.terms]
    first = field.terms[0]
    if first.wildcard or first.step > 1:
        return _join(texts)
    return prefix + _join(texts)


def _describe_month_days(field: Field) -> str:
    if not field.terms:
        return "on the last day of the month"
    text = _describe_terms(field, "day", str, "on day ") + " of the month"
    if field.last_day:
        text += " and on the last day of the month"
    return text


def _describe_time(minute: Field, hour: Field) -> str:
    if minute.is_wildcard and hour.is_wildcard:
        return "Every minute"
    if _is_plain(minute) and _is_plain(hour):
        times = [f"{h:02d}:{m:02d}"
                 for h in sorted(hour.values) for m in sorted(minute.values)]
        return "At " + _join(times)

    if minute.is_wildcard:
        text = "Every minute"
    elif len(minute.terms) == 1 and minute.terms[0].step > 1:
        term = minute.terms[0]
        text = f"Every {term.step} minutes"
        if not term.wildcard:
            text += f", minutes {term.start} through {term.end} past the hour"
    else:
        minutes = _join([_term_text(t, "minute", str) for t in minute.terms])
        text = f"At {minutes} minutes past the hour"
    if hour.is_wildcard:
        return text
    hours = [_hour_range(term) for term in hour.terms]
    return f"{text}, {_join(hours)}"


def _hour_range(term: Term) -> str:
    if term.wildcard:
        return f"every {term.step} hours"
    text = f"between {term.start:02d}:00 and {term.end:02d}:59"
    if term.step > 1:
        text = f"every {term.step} hours, {text}"
    return text
