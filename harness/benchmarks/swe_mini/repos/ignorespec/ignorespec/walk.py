"""Walking a directory tree while honouring nested ignore files."""

from __future__ import annotations

import os
from typing import Iterator

from .spec import IgnoreSpec, PathLike

__all__ = ["walk"]

# Pairs of (directory relative to the walk root, spec read in it).
_Specs = list[tuple[str, IgnoreSpec]]


def walk(
    root: PathLike,
    *,
    ignore_file: str = ".gitignore",
    extra: IgnoreSpec | None = None,
) -> Iterator[str]:
    """Yield the files below *root* that are not ignored.

    Paths are yielded relative to *root*, ``/``-separated, in sorted order.
    Every directory may hold an *ignore_file* whose patterns apply to the
    paths below that directory, relative to it; patterns in deeper files
    take precedence over those in shallower ones.  *extra* holds patterns
    applied from the root with the lowest precedence, much like
    ``.git/info/exclude``.  Ignored directories are not descended into, and
    ``.git`` directories are always skipped.
    """
    specs: _Specs = [("", extra)] if extra is not None else []
    yield from _walk_dir(os.fspath(root), "", specs, ignore_file)


def _walk_dir(
    root: str, rel_dir: str, specs: _Specs, ignore_file: str
) -> Iterator[str]:
    directory = os.path.join(root, rel_dir) if rel_dir else root
    spec_path = os.path.join(directory, ignore_file)
    if os.path.isfile(spec_path):
        specs = specs + [(rel_dir, IgnoreSpec.from_file(spec_path))]

    with os.scandir(directory) as entries:
        ordered = sorted(entries, key=lambda entry: entry.name)
    for entry in ordered:
        rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
        is_dir = entry.is_dir(follow_symlinks=False)
        if is_dir and entry.name == ".git":
            continue
        if _is_ignored(specs, rel, is_dir):
            continue
        if is_dir:
            yield from _walk_dir(root, rel, specs, ignore_file)
        else:
            yield rel


def _is_ignored(specs: _Specs, rel: str, is_dir: bool) -> bool:
    """Ask the specs from the deepest to the shallowest; the first that has
    a matching pattern decides."""
    for base, spec in reversed(specs):
        local = rel[len(base) + 1 :] if base else rel
        pattern = spec.match(local, is_dir)
        if pattern is not None:
            return not pattern.negated
    return False
