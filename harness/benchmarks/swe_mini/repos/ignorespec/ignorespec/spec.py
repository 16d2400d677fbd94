"""Ordered sets of gitignore patterns, as read from one ignore file."""

from __future__ import annotations

import os
from typing import Iterable, Iterator

from .pattern import Pattern, parse_line

__all__ = ["IgnoreSpec", "normalize_path"]

PathLike = str | os.PathLike


def normalize_path(path: PathLike, is_dir: bool = False) -> tuple[str, bool]:
    """Return *path* as a clean ``/``-separated relative path.

    ``.`` and empty components are dropped, and a trailing separator marks
    the path as a directory.  Absolute paths and paths that climb out of
    the root with ``..`` are rejected with :class:`ValueError`.
    """
    text = os.fspath(path)
    if os.sep != "/":
        text = text.replace(os.sep, "/")
    if text.startswith("/"):
        raise ValueError(f"expected a relative path, got {text!r}")
    if text.endswith("/"):
        is_dir = True
    parts = [part for part in text.split("/") if part not in ("", ".")]
    if not parts:
        raise ValueError(f"path {text!r} does not name anything below the root")
    if ".." in parts:
        raise ValueError(f"path {text!r} must not contain '..'")
    return "/".join(parts), is_dir


class IgnoreSpec:
    """The patterns of one gitignore file, in file order.

    Later patterns take precedence over earlier ones: the last pattern that
    matches a path decides whether it is ignored.  Paths are interpreted
    relative to the directory that holds the ignore file.
    """

    def __init__(self, patterns: Iterable[Pattern] = ()) -> None:
        self.patterns: list[Pattern] = list(patterns)

    @classmethod
    def from_lines(
        cls,
        lines: str | Iterable[str],
        *,
        source: str | None = None,
        ignore_case: bool = False,
    ) -> "IgnoreSpec":
        """Build a spec from the text of an ignore file or from its lines.

        *source* names the file the lines come from; it is recorded on each
        pattern along with its line number.  With *ignore_case*, patterns
        match paths regardless of the case of their letters.
        """
        if isinstance(lines, str):
            lines = lines.splitlines()
        patterns = []
        for lineno, line in enumerate(lines, start=1):
            pattern = parse_line(
                line, source=source, lineno=lineno, ignore_case=ignore_case
            )
            if pattern is not None:
                patterns.append(pattern)
        return cls(patterns)

    @classmethod
    def from_file(cls, path: PathLike, *, ignore_case: bool = False) -> "IgnoreSpec":
        """Read an ignore file from disk."""
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        return cls.from_lines(text, source=os.fspath(path), ignore_case=ignore_case)

    def __len__(self) -> int:
        return len(self.patterns)

    def __iter__(self) -> Iterator[Pattern]:
        return iter(self.patterns)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({[p.raw for p in self.patterns]!r})"

    def _last_match(self, path: str, is_dir: bool) -> Pattern | None:
        for pattern in reversed(self.patterns):
            if pattern.match(path, is_dir):
                return pattern
        return None

    def match(self, path: PathLike, is_dir: bool = False) -> Pattern | None:
        """Return the pattern that decides about *path*, or ``None``.

        The decision is taken by the last pattern matching the path, unless
        one of its parent directories is excluded: a path inside an
        excluded directory cannot be re-included, and the pattern that
        excluded the directory is returned instead.
        """
        path, is_dir = normalize_path(path, is_dir)
        parts = path.split("/")
        for depth in range(1, len(parts)):
            pattern = self._last_match("/".join(parts[:depth]), True)
            if pattern is not None and not pattern.negated:
                return pattern
        return self._last_match(path, is_dir)

    def is_ignored(self, path: PathLike, is_dir: bool = False) -> bool:
        """Return whether *path* is ignored by this spec."""
        pattern = self.match(path, is_dir)
        return pattern is not None and not pattern.negated

    def filter(self, paths: Iterable[PathLike]) -> Iterator[PathLike]:
        """Yield the paths that are not ignored, in their original order.

        Paths ending with a ``/`` are treated as directories.
        """
        for path in paths:
            if not self.is_ignored(path):
                yield path
