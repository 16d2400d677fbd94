"""Parsing of the five individual fields of a cron expression.

Each field is a comma-separated list of terms.  A term is one of::

    *          every value
    */STEP     every STEP-th value
    N          a single value (a number, or a name such as ``MON``/``JAN``)
    A-B        an inclusive range
    A-B/STEP   every STEP-th value of a range, starting at A

The day-of-month field additionally accepts ``L`` for the last day of the
month.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class CronError(ValueError):
    """Raised when a cron expression is malformed."""


@dataclass(frozen=True)
class FieldSpec:
    """The name, bounds and accepted value names of one field."""

    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()

    def value_of(self, token: str) -> int:
        """Convert a single number or name into an in-range value."""
        if token.isdigit():
            value = int(token)
        elif token.upper() in self.names:
            return self.names.index(token.upper()) + self.low
        elif token.isalpha() and self.names:
            raise CronError(f"unknown {self.name} name {token!r}")
        else:
            raise CronError(f"invalid {self.name} value {token!r}")
        if not self.low <= value <= self.high:
            raise CronError(
                f"{self.name} value {value} is out of range "
                f"({self.low}-{self.high})"
            )
        return value


MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN",
               "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
DAY_NAMES = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")

MINUTE = FieldSpec("minute", 0, 59)
HOUR = FieldSpec("hour", 0, 23)
DAY_OF_MONTH = FieldSpec("day-of-month", 1, 31)
MONTH = FieldSpec("month", 1, 12, MONTH_NAMES)
DAY_OF_WEEK = FieldSpec("day-of-week", 0, 7, DAY_NAMES)

#: The specs in the order the fields appear in an expression.
SPECS = (MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK)


@dataclass(frozen=True)
class Term:
    """One comma-separated item of a field, as the range ``start-end/step``."""

    start: int
    end: int
    step: int = 1
    wildcard: bool = False

    def values(self) -> Iterable[int]:
        """The values the term covers, in increasing order."""
        return range(self.start, self.end + 1, self.step)


@dataclass(frozen=True)
class Field:
    """A parsed field: its source text, its terms and the values it allows."""

    spec: FieldSpec
    text: str
    terms: tuple[Term, ...]
    values: frozenset[int]
    last_day: bool = False

    @property
    def is_wildcard(self) -> bool:
        """True if the field was written as a bare ``*``."""
        return self.text == "*"

    def __contains__(self, value: int) -> bool:
        return value in self.values


def parse_field(text: str, spec: FieldSpec) -> Field:
    """Parse the source ``text`` of a field described by ``spec``."""
    terms = []
    last_day = False
    for part in text.split(","):
        if spec is DAY_OF_MONTH and part.upper() == "L":
            last_day = True
        else:
            terms.append(_parse_term(part, spec))
    values = frozenset(v for term in terms for v in term.values())
    if spec is DAY_OF_WEEK:
        # 7 is accepted as an alias for Sunday.
        values = frozenset(v % 7 for v in values)
    return Field(spec, text, tuple(terms), values, last_day)


def _parse_term(part: str, spec: FieldSpec) -> Term:
    if not part:
        raise CronError(f"empty item in {spec.name} field")
    base, slash, step_text = part.partition("/")
    step = 1
    if slash:
        if not step_text.isdigit():
            raise CronError(f"invalid step {step_text!r} in {spec.name} field")
        step = int(step_text)
        if step == 0:
            raise CronError(f"step must be at least 1 in {spec.name} field")

    if base == "*":
        return Term(spec.low, spec.high, step, wildcard=True)
    first, dash, last = base.partition("-")
    start = spec.value_of(first)
    if not dash:
        if slash:
            raise CronError(
                f"step {part!r} in {spec.name} field needs a range or '*'"
            )
        return Term(start, start)
    end = spec.value_of(last)
    if start > end:
        raise CronError(f"range {base!r} in {spec.name} field runs backwards")
    return Term(start, end, step)
