"""Semantic versions as defined by SemVer 2.0.0 (https://semver.org)."""

from __future__ import annotations

import re
from functools import total_ordering
from typing import Iterable, Tuple, Union

from .errors import InvalidVersion

_NUM = r"0|[1-9][0-9]*"
_PRERELEASE_ID_RE = re.compile(rf"{_NUM}|[0-9]*[A-Za-z-][0-9A-Za-z-]*")
_BUILD_ID_RE = re.compile(r"[0-9A-Za-z-]+")
_VERSION_RE = re.compile(
    rf"""
    [vV]?
    (?P<major>{_NUM})\.(?P<minor>{_NUM})\.(?P<patch>{_NUM})
    (?:-(?P<prerelease>[0-9A-Za-z.-]+))?
    (?:\+(?P<build>[0-9A-Za-z.-]+))?
    """,
    re.VERBOSE,
)

Identifiers = Union[str, Iterable[Union[str, int]], None]


def _identifiers(value: Identifiers, kind: str, pattern: re.Pattern) -> Tuple[str, ...]:
    """Normalise dotted identifiers (``"rc.1"`` or ``("rc", 1)``) to a tuple."""
    if value is None:
        return ()
    if isinstance(value, str):
        parts = value.split(".") if value else []
    else:
        parts = [str(part) for part in value]
    for part in parts:
        if not pattern.fullmatch(part):
            raise InvalidVersion(f"invalid {kind} identifier: {part!r}")
    return tuple(parts)


def _identifier_key(identifier: str) -> tuple:
    """Sort key for one pre-release identifier.

    Numeric identifiers compare numerically and always have lower
    precedence than alphanumeric ones, which compare lexically.
    """
    if identifier.isdigit():
        return (0, int(identifier))
    return (1, identifier)


@total_ordering
class Version:
    """An immutable semantic version such as ``1.4.0-rc.2+build.7``.

    Build metadata is kept and printed, but as the specification requires
    it is ignored when versions are compared or hashed.
    """

    __slots__ = ("major", "minor", "patch", "prerelease", "build")

    def __init__(self, major: int, minor: int = 0, patch: int = 0,
                 prerelease: Identifiers = (), build: Identifiers = ()) -> None:
        for name, value in (("major", major), ("minor", minor), ("patch", patch)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InvalidVersion(f"{name} must be a non-negative integer, not {value!r}")
        object.__setattr__(self, "major", major)
        object.__setattr__(self, "minor", minor)
        object.__setattr__(self, "patch", patch)
        object.__setattr__(
            self, "prerelease", _identifiers(prerelease, "pre-release", _PRERELEASE_ID_RE)
        )
        object.__setattr__(self, "build", _identifiers(build, "build", _BUILD_ID_RE))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} objects are immutable")

    @classmethod
    def parse(cls, text: str) -> "Version":
        """Parse a version string; surrounding whitespace is ignored."""
        if not isinstance(text, str):
            raise TypeError(f"expected a string, not {type(text).__name__}")
        match = _VERSION_RE.fullmatch(text.strip())
        if match is None:
            raise InvalidVersion(f"invalid version: {text!r}")
        major, minor, patch = (int(match[name]) for name in ("major", "minor", "patch"))
        return cls(major, minor, patch, match["prerelease"], match["build"])

    @property
    def release(self) -> Tuple[int, int, int]:
        """The ``(major, minor, patch)`` triple."""
        return (self.major, self.minor, self.patch)

    # -- comparison -------------------------------------------------------

    def _key(self) -> tuple:
        prerelease = tuple(_identifier_key(part) for part in self.prerelease)
        # A release sorts after every pre-release of the same triple.
        return (self.release, not self.prerelease, prerelease)

    def __eq__(self, other: object) -> bool:
        other = _coerce(other)
        if other is NotImplemented:
            return NotImplemented
        return self._key() == other._key()

    def __lt__(self, other: object) -> bool:
        other = _coerce(other)
        if other is NotImplemented:
            return NotImplemented
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    # -- bumping ----------------------------------------------------------

    def bump_major(self) -> "Version":
        """Next major release; ``2.0.0-rc.1`` bumps to ``2.0.0``."""
        if self.prerelease and self.minor == 0 and self.patch == 0:
            return Version(self.major, 0, 0)
        return Version(self.major + 1, 0, 0)

    def bump_minor(self) -> "Version":
        """Next minor release; ``1.3.0-rc.1`` bumps to ``1.3.0``."""
        if self.prerelease and self.patch == 0:
            return Version(self.major, self.minor, 0)
        return Version(self.major, self.minor + 1, 0)

    def bump_patch(self) -> "Version":
        """Next patch release; ``1.2.3-rc.1`` bumps to ``1.2.3``."""
        if self.prerelease:
            return Version(self.major, self.minor, self.patch)
        return Version(self.major, self.minor, self.patch + 1)

    def bump_prerelease(self, token: str = "rc") -> "Version":
        """Next pre-release.

        ``1.2.3`` becomes ``1.2.4-rc.0``, ``1.2.4-rc.0`` becomes
        ``1.2.4-rc.1`` and ``1.2.4-beta`` becomes ``1.2.4-beta.0``.
        """
        if not self.prerelease:
            return Version(self.major, self.minor, self.patch + 1, (token, "0"))
        *head, last = self.prerelease
        if last.isdigit():
            prerelease = (*head, str(int(last) + 1))
        else:
            prerelease = (*self.prerelease, "0")
        return Version(self.major, self.minor, self.patch, prerelease)

    # -- display ----------------------------------------------------------

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.prerelease:
            text += "-" + ".".join(self.prerelease)
        if self.build:
            text += "+" + ".".join(self.build)
        return text

    def __repr__(self) -> str:
        return f"Version({str(self)!r})"


def _coerce(value: object) -> "Version":
    if isinstance(value, Version):
        return value
    if isinstance(value, str):
        try:
            return Version.parse(value)
        except InvalidVersion:
            pass
    return NotImplemented


def as_version(value: Union[Version, str]) -> Version:
    """Return *value* as a :class:`Version`, parsing it if it is a string."""
    if isinstance(value, Version):
        return value
    if isinstance(value, str):
        return Version.parse(value)
    raise TypeError(f"expected a Version or a string, not {type(value).__name__}")
