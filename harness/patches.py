"""Unified-diff facts the harness needs: which files a patch touches, and whether it is safe to apply."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from harness.errors import BadInput

_HEADER = re.compile(r"^(?:--- |\+\+\+ |rename from |rename to |copy from |copy to )(.+?)\s*$")
_GIT_HEADER = re.compile(r"^diff --git (\S+) (\S+)\s*$")


@dataclass(frozen=True)
class PatchFiles:
    """Paths (repository-relative) a patch modifies, creates and deletes."""

    modified: tuple[str, ...]
    created: tuple[str, ...]
    deleted: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        return self.modified + self.created + self.deleted


def _strip(path: str) -> str | None:
    path = path.split("\t", 1)[0].strip().strip('"')
    if path == "/dev/null":
        return None
    return path[2:] if path[:2] in ("a/", "b/") else path


def header_paths(patch: str) -> list[str]:
    """Every path named in the patch's headers (diff --git, ---/+++, rename/copy)."""
    found: list[str] = []
    for line in patch.splitlines():
        git = _GIT_HEADER.match(line)
        names = git.groups() if git else (m.group(1),) if (m := _HEADER.match(line)) else ()
        found += [p for p in map(_strip, names) if p is not None]
    return list(dict.fromkeys(found))


def unsafe_paths(patch: str) -> list[str]:
    """Paths that would escape the repository or touch git internals (absolute, `..`, `.git/`)."""
    bad = []
    for path in header_paths(patch):
        parts = PurePosixPath(path).parts
        if path.startswith("/") or ".." in parts or ".git" in parts or "\\" in path:
            bad.append(path)
    return bad


def patch_files(patch: str) -> PatchFiles:
    """Classify the files of a patch; raises BadInput when it does not parse as a unified diff."""
    from unidiff import PatchSet
    from unidiff.errors import UnidiffParseError

    try:
        files = PatchSet(patch)
    except UnidiffParseError as exc:
        raise BadInput(f"patch does not parse: {exc}") from exc
    if patch.strip() and not len(files):
        raise BadInput("patch does not parse: no file diffs found")
    pick = lambda cond: tuple(f.path for f in files if cond(f))  # noqa: E731
    return PatchFiles(
        modified=pick(lambda f: not f.is_added_file and not f.is_removed_file),
        created=pick(lambda f: f.is_added_file),
        deleted=pick(lambda f: f.is_removed_file),
    )
