"""The functions swe-gen modules are made of: each a small pure function (its name takes a noun),
the bugs it can carry (one kind each: the exact text the bug replaces, and with what), and a seeded
source of test calls that cross its boundaries, so every bug has calls that expose it."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

Args = tuple  # the positional arguments of one call

BUG_KINDS = ("inverted_comparison", "off_by_one", "wrong_constant", "wrong_operator", "swapped_arguments",
             "missing_negation", "wrong_default", "wrong_variable", "dropped_call")


@dataclass(frozen=True)
class Bug:
    kind: str
    correct: str  # occurs exactly once in the function's source
    buggy: str


@dataclass(frozen=True)
class Template:
    name: str  # with `{n}` for the noun
    source: str  # the function, `{name}` for its name
    bugs: tuple[Bug, ...]
    calls: Callable[[random.Random], list[Args]]

    def function_name(self, noun: str) -> str:
        return self.name.format(n=noun)

    def render(self, noun: str, bug: Bug | None = None) -> str:
        text = self.source.format(name=self.function_name(noun))
        if bug is None:
            return text
        assert text.count(bug.correct) == 1, (self.name, bug)
        return text.replace(bug.correct, bug.buggy)


def _ints(rng: random.Random, k: int, low: int = -9, high: int = 30) -> list[int]:
    return [rng.randint(low, high) for _ in range(k)]


def _clamp(rng: random.Random) -> list[Args]:
    low = rng.randint(-5, 5)
    high = low + rng.randint(3, 9)
    return [(v, low, high) for v in (low - rng.randint(1, 5), low, low + 1, high, high + rng.randint(1, 5))]


def _threshold(rng: random.Random) -> list[Args]:
    values = _ints(rng, rng.randint(4, 7), 0, 20)
    return [(values, t) for t in (values[0], max(values), -1, rng.randint(0, 20))] + [([], 3)]


def _range_check(rng: random.Random) -> list[Args]:
    low = rng.randint(-5, 10)
    high = low + rng.randint(2, 8)
    return [(x, low, high) for x in (low - 1, low, (low + high) // 2, high, high + 1)]


def _values(rng: random.Random) -> list[Args]:
    return [(_ints(rng, k, 0, 20),) for k in (1, 2, 3, 5)] + [([],)]


def _items(rng: random.Random) -> list[Args]:
    items = _ints(rng, rng.randint(4, 7), 0, 9)
    return [(items, k) for k in (1, 2, len(items), len(items) + 2, 0)]


def _scale(rng: random.Random) -> list[Args]:
    return [(_ints(rng, rng.randint(1, 4), 0, 9), f) for f in (rng.randint(2, 5), 0, 1, rng.randint(3, 7))]


def _price(rng: random.Random) -> list[Args]:
    return [(rng.randint(1, 40) + rng.choice((0.0, 0.25, 0.5)), rng.randint(1, 6)) for _ in range(4)]


def _count_word(rng: random.Random) -> list[Args]:
    return [(c, "item", "items") for c in (0, 1, 2, rng.randint(3, 20))]


def _pad(rng: random.Random) -> list[Args]:
    word = rng.choice(("ab", "xyz", "k", "mid", "ok"))
    return [(word, w) for w in (len(word) - 1, len(word), len(word) + 1, len(word) + rng.randint(2, 5))]


def _steps(rng: random.Random) -> list[Args]:
    start = rng.randint(-3, 5)
    return [(start, start + d) for d in (0, 1, rng.randint(2, 6), rng.randint(7, 10))]


def _gaps(rng: random.Random) -> list[Args]:
    return [([rng.randint(0, 9)],), ([],)] + [(_ints(rng, k, -9, 20),) for k in (2, 3, 5)]


def _percent(rng: random.Random) -> list[Args]:
    whole = rng.randint(8, 80)
    return [(part, whole) for part in (0, rng.randint(1, whole), whole)] + [(rng.randint(1, 9), 0)]


def _blank(rng: random.Random) -> list[Args]:
    return [("",), ("  ",), (rng.choice(("a", "word", " x ")),), ("\t\n",), (rng.choice(("ok", "1")),)]


def _find(rng: random.Random) -> list[Args]:
    items = rng.sample(range(0, 30), rng.randint(4, 6))
    return [(items, items[0]), (items, items[-1]), (items, 99), ([], 1)]


def _discount(rng: random.Random) -> list[Args]:
    return [(a,) for a in (99, 100, 101, rng.randint(150, 400), rng.randint(1, 90))]


def _change(rng: random.Random) -> list[Args]:
    return [(rng.randint(0, 50), rng.randint(0, 50)) for _ in range(3)] + [(5, 5)]


def _empty(rng: random.Random) -> list[Args]:
    return [([],), (_ints(rng, rng.randint(1, 3), 0, 9),), ("",), (rng.choice(("a", "bc")),)]


TEMPLATES: tuple[Template, ...] = (
    Template("clamp_{n}", '''\
def {name}(value, low, high):
    """value limited to the range [low, high]."""
    if value < low:
        return low
    if value > high:
        return high
    return value
''', (Bug("inverted_comparison", "if value < low:", "if value > low:"),
      Bug("wrong_variable", "        return high\n", "        return low\n")), _clamp),
    Template("count_{n}_above", '''\
def {name}(values, threshold):
    """How many values are strictly greater than threshold."""
    return sum(1 for v in values if v > threshold)
''', (Bug("inverted_comparison", "v > threshold", "v < threshold"),
      Bug("off_by_one", "v > threshold", "v >= threshold")), _threshold),
    Template("{n}_in_range", '''\
def {name}(x, low, high):
    """Whether x lies between low and high, both included."""
    return low <= x <= high
''', (Bug("off_by_one", "low <= x <= high", "low <= x < high"),
      Bug("inverted_comparison", "low <= x <= high", "low >= x <= high")), _range_check),
    Template("average_{n}", '''\
def {name}(values, default=0.0):
    """The mean of values, or default when there are none."""
    if not values:
        return default
    return sum(values) / len(values)
''', (Bug("wrong_default", "default=0.0", "default=1.0"),
      Bug("wrong_operator", "sum(values) / len(values)", "sum(values) // len(values)"),
      Bug("missing_negation", "if not values:", "if values:")), _values),
    Template("last_{n}s", '''\
def {name}(items, count):
    """The last count items (all of them when there are fewer, none for count <= 0)."""
    if count <= 0:
        return []
    return items[-count:]
''', (Bug("off_by_one", "items[-count:]", "items[-count + 1:]"),
      Bug("inverted_comparison", "if count <= 0:", "if count >= 0:")), _items),
    Template("scale_{n}", '''\
def {name}(values, factor):
    """Each value multiplied by factor."""
    return [v * factor for v in values]
''', (Bug("wrong_operator", "v * factor", "v + factor"),
      Bug("wrong_variable", "[v * factor for v in values]", "[factor * factor for v in values]")), _scale),
    Template("{n}_total", '''\
def {name}(price, quantity, tax=0.2):
    """price * quantity with the tax rate added, rounded to cents."""
    return round(price * quantity * (1 + tax), 2)
''', (Bug("wrong_operator", "(1 + tax)", "(1 - tax)"),
      Bug("wrong_constant", "), 2)", "), 1)"),
      Bug("wrong_default", "tax=0.2", "tax=0.25")), _price),
    Template("{n}_label", '''\
def {name}(count, singular, plural):
    """'1 item' or '3 items': count with the matching form of the word."""
    word = singular if count == 1 else plural
    return f"{{count}} {{word}}"
''', (Bug("swapped_arguments", "singular if count == 1 else plural", "plural if count == 1 else singular"),
      Bug("wrong_constant", "count == 1", "count == 0")), _count_word),
    Template("pad_{n}", '''\
def {name}(text, width, fill="."):
    """text padded on the left with fill up to width characters."""
    if len(text) >= width:
        return text
    return fill * (width - len(text)) + text
''', (Bug("swapped_arguments", "fill * (width - len(text)) + text", "text + fill * (width - len(text))"),
      Bug("wrong_default", 'fill="."', 'fill="-"'),
      Bug("off_by_one", "(width - len(text))", "(width - len(text) - 1)")), _pad),
    Template("{n}_steps", '''\
def {name}(start, stop, step=1):
    """The numbers from start to stop inclusive, step apart."""
    return list(range(start, stop + 1, step))
''', (Bug("off_by_one", "stop + 1", "stop"),
      Bug("wrong_default", "step=1", "step=2")), _steps),
    Template("max_{n}_gap", '''\
def {name}(values):
    """The largest difference between neighbouring values (0 for fewer than two)."""
    if len(values) < 2:
        return 0
    return max(abs(b - a) for a, b in zip(values, values[1:]))
''', (Bug("dropped_call", "abs(b - a)", "(b - a)"),
      Bug("wrong_constant", "len(values) < 2", "len(values) < 3")), _gaps),
    Template("{n}_percent", '''\
def {name}(part, whole):
    """part as a percentage of whole, to one decimal (0.0 when whole is 0)."""
    if whole == 0:
        return 0.0
    return round(100 * part / whole, 1)
''', (Bug("swapped_arguments", "part / whole", "whole / part"),
      Bug("wrong_constant", "100 * part", "10 * part")), _percent),
    Template("is_blank_{n}", '''\
def {name}(text):
    """Whether text holds nothing but whitespace."""
    return not text.strip()
''', (Bug("missing_negation", "not text.strip()", "bool(text.strip())"),
      Bug("dropped_call", "text.strip()", "text")), _blank),
    Template("find_{n}", '''\
def {name}(items, target):
    """The index of the first item equal to target, or -1."""
    for i, item in enumerate(items):
        if item == target:
            return i
    return -1
''', (Bug("wrong_constant", "return -1", "return 0"),
      Bug("inverted_comparison", "item == target", "item != target")), _find),
    Template("{n}_discount", '''\
def {name}(amount, rate=0.1, minimum=100):
    """amount less rate of it once amount reaches minimum."""
    if amount >= minimum:
        return round(amount - amount * rate, 2)
    return amount
''', (Bug("off_by_one", "amount >= minimum", "amount > minimum"),
      Bug("wrong_operator", "amount - amount * rate", "amount + amount * rate"),
      Bug("wrong_default", "minimum=100", "minimum=150")), _discount),
    Template("{n}_change", '''\
def {name}(old, new):
    """How much new is above old (negative when below)."""
    return new - old
''', (Bug("swapped_arguments", "new - old", "old - new"),), _change),
    Template("has_no_{n}", '''\
def {name}(items):
    """Whether items is empty."""
    return not items
''', (Bug("missing_negation", "not items", "bool(items)"),), _empty),
)
