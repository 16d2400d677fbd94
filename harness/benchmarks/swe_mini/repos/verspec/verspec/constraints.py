"""Version constraints such as ``^1.2``, ``>=1.0,<2.0`` or ``1.x || >=3``."""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Optional, Tuple, TypeVar, Union

from .errors import InvalidConstraint, InvalidVersion
from .version import Version, as_version

VersionLike = TypeVar("VersionLike", Version, str)

_PART = r"0|[1-9][0-9]*|[xX*]"
_COMPARATOR_RE = re.compile(
    rf"""
    (?P<op><=|>=|==|!=|<|>|=|\^|~)?
    [vV]?
    (?P<major>{_PART})
    (?:\.(?P<minor>{_PART})
        (?:\.(?P<patch>{_PART})
            (?:-(?P<prerelease>[0-9A-Za-z.-]+))?
            (?:\+[0-9A-Za-z.-]+)?
        )?
    )?
    """,
    re.VERBOSE,
)
_HYPHEN_RE = re.compile(r"(?P<low>\S+)\s+-\s+(?P<high>\S+)")
_OP_SPACE_RE = re.compile(r"(<=|>=|==|!=|<|>|=|\^|~)\s+")
_SEPARATOR_RE = re.compile(r"[\s,]+")

_OPERATORS: Dict[str, Callable[[Version, Version], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt,
    ">=": operator.ge, "=": operator.eq, "!=": operator.ne,
}


@dataclass(frozen=True)
class Comparator:
    """A primitive comparison against one version, e.g. ``>=1.2.0``."""

    op: str
    version: Version

    def matches(self, version: Version) -> bool:
        return _OPERATORS[self.op](version, self.version)

    def __str__(self) -> str:
        return f"{self.op}{self.version}"


@dataclass(frozen=True)
class _Partial:
    """A version as written in a constraint; ``None`` fields are wildcards."""

    major: Optional[int]
    minor: Optional[int] = None
    patch: Optional[int] = None
    prerelease: Optional[str] = None

    def floor(self) -> Version:
        """The lowest version matching the wildcard."""
        return Version(self.major or 0, self.minor or 0, self.patch or 0, self.prerelease)

    def ceiling(self) -> Version:
        """The lowest release above the wildcard."""
        if self.minor is None:
            return Version(self.major + 1, 0, 0)
        return Version(self.major, self.minor + 1, 0)


def _below(version: Version) -> Comparator:
    """``<version`` that also rules out the pre-releases of *version*."""
    return Comparator("<", Version(*version.release, "0"))


def _parse_comparator(token: str) -> Tuple[Optional[str], _Partial]:
    match = _COMPARATOR_RE.fullmatch(token)
    if match is None:
        raise InvalidConstraint(f"invalid comparator: {token!r}")
    numbers: List[Optional[int]] = []
    for name in ("major", "minor", "patch"):
        if match[name] is None or match[name] in ("x", "X", "*"):
            break
        numbers.append(int(match[name]))
    numbers += [None] * (3 - len(numbers))
    prerelease = match["prerelease"] if numbers[2] is not None else None
    return match["op"], _Partial(*numbers, prerelease)


def _expand(op: str, partial: _Partial) -> List[Comparator]:
    """Translate one written comparator into primitive comparators."""
    if op == "==":
        op = "="
    if partial.major is None:
        if op in ("=", ">=", "<=", "^", "~"):
            return []
        raise InvalidConstraint(f"'{op}' cannot be used with a bare wildcard")
    low = partial.floor()
    if partial.patch is None:
        if op == "!=":
            raise InvalidConstraint("'!=' needs a full version")
        if op == "=":
            return [Comparator(">=", low), _below(partial.ceiling())]
        if op == ">":
            return [Comparator(">=", partial.ceiling())]
        if op == "<=":
            return [_below(partial.ceiling())]
    if op in _OPERATORS:
        return [Comparator(op, low)]
    if op == "~":
        return [Comparator(">=", low), _below(partial.ceiling())]
    # Caret: allow changes that do not modify the left-most non-zero part.
    if partial.major > 0 or partial.minor is None:
        upper = Version(partial.major + 1, 0, 0)
    elif partial.minor > 0 or partial.patch is None:
        upper = Version(0, partial.minor + 1, 0)
    else:
        upper = Version(0, 0, partial.patch + 1)
    return [Comparator(">=", low), _below(upper)]


def _parse_range(text: str) -> List[Comparator]:
    """Parse one ``||``-separated alternative into comparators."""
    text = text.strip()
    if not text:
        raise InvalidConstraint("empty version range")
    hyphen = _HYPHEN_RE.fullmatch(text)
    if hyphen:
        (low_op, low), (high_op, high) = map(_parse_comparator, hyphen.group("low", "high"))
        if low_op or high_op:
            raise InvalidConstraint(f"operators are not allowed in a hyphen range: {text!r}")
        return _expand(">=", low) + _expand("<=", high)
    comparators: List[Comparator] = []
    for token in _SEPARATOR_RE.split(_OP_SPACE_RE.sub(r"\1", text)):
        op, partial = _parse_comparator(token)
        comparators.extend(_expand(op or "=", partial))
    return comparators


class Constraint:
    """One or more version ranges joined with ``||``.

    Within a range, comparators are separated by spaces or commas and must
    all match.  Like npm, a pre-release version is only matched by a range
    that itself names a pre-release of the same ``major.minor.patch``,
    unless ``include_prerelease`` is true.
    """

    def __init__(self, text: str, *, include_prerelease: bool = False) -> None:
        if not isinstance(text, str):
            raise TypeError(f"expected a string, not {type(text).__name__}")
        self.text = text
        self.include_prerelease = include_prerelease
        try:
            self._ranges = [_parse_range(part) for part in text.split("||")]
        except InvalidVersion as exc:
            raise InvalidConstraint(f"invalid constraint {text!r}: {exc}") from None

    def allows(self, version: Union[Version, str]) -> bool:
        """Return whether *version* satisfies the constraint."""
        version = as_version(version)
        return any(self._range_allows(comparators, version) for comparators in self._ranges)

    __contains__ = allows

    def _range_allows(self, comparators: List[Comparator], version: Version) -> bool:
        if not all(comparator.matches(version) for comparator in comparators):
            return False
        if not version.prerelease or self.include_prerelease:
            return True
        return any(
            c.version.prerelease and c.version.release == version.release for c in comparators
        )

    def filter(self, versions: Iterable[VersionLike]) -> List[VersionLike]:
        """The allowed items of *versions*, in their original order.

        Items may be :class:`Version` objects or strings; strings that are
        not valid versions are skipped.
        """
        allowed = []
        for item in versions:
            try:
                if self.allows(item):
                    allowed.append(item)
            except InvalidVersion:
                continue
        return allowed

    def max_satisfying(self, versions: Iterable[VersionLike]) -> Optional[VersionLike]:
        """The highest allowed item of *versions*, or ``None``."""
        return max(self.filter(versions), key=as_version, default=None)

    def __str__(self) -> str:
        return " || ".join(" ".join(map(str, r)) or "*" for r in self._ranges)

    def __repr__(self) -> str:
        return f"Constraint({self.text!r})"
