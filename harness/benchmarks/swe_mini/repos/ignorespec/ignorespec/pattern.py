"""Parsing and matching of single gitignore patterns.

A pattern is one line of a ``.gitignore`` file.  :func:`parse_line` turns a
line into a :class:`Pattern` (or ``None`` for blank lines and comments), and
:meth:`Pattern.match` tests a normalized, ``/``-separated relative path
against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Pattern", "parse_line", "translate"]


@dataclass(frozen=True)
class Pattern:
    """A compiled gitignore pattern.

    Attributes:
        raw: the line as written in the file, without unescaped trailing
            spaces.
        regex: the compiled regular expression used for matching.
        negated: the pattern started with ``!`` and re-includes paths.
        dir_only: the pattern ended with ``/`` and only matches directories.
        anchored: the pattern contained a leading or middle ``/`` and is
            matched relative to the directory of its ignore file only.
        source: name of the file the pattern was read from, if known.
        lineno: 1-based line number of the pattern in its source.
    """

    raw: str
    regex: re.Pattern
    negated: bool = False
    dir_only: bool = False
    anchored: bool = False
    source: str | None = None
    lineno: int | None = None

    def match(self, path: str, is_dir: bool = False) -> bool:
        """Return whether *path* matches, ignoring the negation flag.

        *path* must be relative, ``/``-separated and normalized (no ``.``
        or empty components); *is_dir* tells whether it names a directory.
        """
        if self.dir_only and not is_dir:
            return False
        return self.regex.fullmatch(path) is not None

    def __str__(self) -> str:
        return self.raw


def parse_line(
    line: str,
    *,
    source: str | None = None,
    lineno: int | None = None,
    ignore_case: bool = False,
) -> Pattern | None:
    """Compile one line of a gitignore file.

    Returns ``None`` for lines that hold no pattern: blank lines and
    comments.  A backslash escapes the character after it, so ``\\#`` and
    ``\\!`` at the start of a line stand for a literal ``#`` or ``!``, and
    ``\\ `` keeps a trailing space that would otherwise be dropped.  With
    *ignore_case*, letters match regardless of their case.
    """
    line = _strip_trailing_spaces(line.rstrip("\r\n"))
    if not line or line.startswith("#"):
        return None
    raw = line

    negated = line.startswith("!")
    if negated:
        line = line[1:]
    dir_only = line.endswith("/")
    if dir_only:
        line = line[:-1]
    anchored = "/" in line
    if line.startswith("/"):
        line = line[1:]
    if not line:
        return None

    prefix = "" if anchored else "(?:.*/)?"
    flags = re.IGNORECASE if ignore_case else 0
    regex = re.compile(prefix + translate(line), flags)
    return Pattern(
        raw=raw,
        regex=regex,
        negated=negated,
        dir_only=dir_only,
        anchored=anchored,
        source=source,
        lineno=lineno,
    )


def _strip_trailing_spaces(line: str) -> str:
    """Drop trailing spaces unless they are escaped with a backslash."""
    end = 0
    i = 0
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line):
            i += 2
            end = i
            continue
        if line[i] != " ":
            end = i + 1
        i += 1
    return line[:end]


def translate(glob: str) -> str:
    """Translate a gitignore glob into a regular expression string.

    The glob must not carry the leading ``!`` or ``/`` and trailing ``/``
    markers, which :func:`parse_line` handles.  ``*`` and ``?`` never match
    a ``/``; ``**`` matches across directories when it forms a whole path
    component (``**/x``, ``x/**/y`` or ``x/**``) and behaves like ``*``
    otherwise.
    """
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        ch = glob[i]
        if ch == "*":
            j = i
            while j < n and glob[j] == "*":
                j += 1
            whole_component = (
                j - i == 2
                and (i == 0 or glob[i - 1] == "/")
                and (j == n or glob[j] == "/")
            )
            if whole_component and j == n:
                out.append(".*")
            elif whole_component:
                out.append("(?:.*/)?")
                j += 1
            else:
                out.append("[^/]*")
            i = j
        elif ch == "?":
            out.append("[^/]")
            i += 1
        elif ch == "[":
            end = _class_end(glob, i)
            if end is None:
                out.append(re.escape(ch))
                i += 1
            else:
                out.append(_translate_class(glob[i + 1 : end]))
                i = end + 1
        elif ch == "\\" and i + 1 < n:
            out.append(re.escape(glob[i + 1]))
            i += 2
        else:
            out.append(re.escape(ch))
            i += 1
    return "".join(out)


def _class_end(glob: str, start: int) -> int | None:
    """Return the index of the ``]`` closing the class opened at *start*."""
    i = start + 1
    if i < len(glob) and glob[i] in "!^":
        i += 1
    if i < len(glob) and glob[i] == "]":
        i += 1
    while i < len(glob) and glob[i] != "]":
        if glob[i] == "\\":
            i += 1
        i += 1
    return i if i < len(glob) else None


def _translate_class(body: str) -> str:
    """Translate the inside of a ``[...]`` bracket expression."""
    negate = body[:1] in ("!", "^")
    if negate:
        body = body[1:]
    items: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            items.append(re.escape(body[i + 1]))
            i += 2
        elif ch == "-" and items and i + 1 < len(body):
            items.append("-")
            i += 1
        else:
            items.append(re.escape(ch))
            i += 1
    if negate:
        return "[^/" + "".join(items) + "]"
    return "[" + "".join(items) + "]"
