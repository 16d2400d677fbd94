"""Unified-diff facts the harness needs: which files a patch touches, and whether it is safe to apply."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from harness.errors import BadInput

_HEADER = re.compile(r"^(?:--- |\+\+\+ |rename from |rename to |copy from |copy to )(.+?)\s*$")
_GIT_HEADER = re.compile(r"^diff --git (\S+) (\S+)\s*$")
_HUNK = re.compile(r"^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@")


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
    """Every path named in the patch's headers (diff --git, ---/+++, rename/copy).

    Hunk bodies are skipped by their line counts, as git apply reads them: a removed line
    `-- x` reads `--- x` and is content, not a header.
    """
    found: list[str] = []
    old = new = 0  # lines left in the current hunk body
    for line in patch.splitlines():
        if old > 0 or new > 0:
            if not line.startswith("\\"):  # "\ No newline at end of file" counts for neither side
                old -= not line.startswith("+")
                new -= not line.startswith("-")
            continue
        if hunk := _HUNK.match(line):
            old, new = (1 if n is None else int(n) for n in hunk.groups())
            continue
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
    files = _parse(patch)
    if patch.strip() and not len(files):
        raise BadInput("patch does not parse: no file diffs found")
    pick = lambda cond: tuple(f.path for f in files if cond(f))  # noqa: E731
    return PatchFiles(
        modified=pick(lambda f: not f.is_added_file and not f.is_removed_file),
        created=pick(lambda f: f.is_added_file),
        deleted=pick(lambda f: f.is_removed_file),
    )


def _parse(patch: str):
    from unidiff import PatchSet
    from unidiff.errors import UnidiffParseError

    try:
        return PatchSet(patch)
    except UnidiffParseError as exc:
        raise BadInput(f"patch does not parse: {exc}") from exc


_HEADER_SWAPS = {"new file mode": "deleted file mode", "old mode": "new mode"}
_HEADER_SWAPS |= {"rename from": "rename to", "copy from": "copy to"}
_HEADER_SWAPS |= {new: old for old, new in _HEADER_SWAPS.items()}


def _reverse_header(line: str) -> str:
    """A git diff header line as it reads for the reverse diff."""
    if m := re.match(r"diff --git a/(\S+) b/(\S+)$", line.rstrip("\n")):
        return f"diff --git a/{m[2]} b/{m[1]}\n"
    if m := re.match(r"index (\w+)\.\.(\w+)(.*)$", line.rstrip("\n")):
        return f"index {m[2]}..{m[1]}{m[3]}\n"
    prefix = next((p for p in _HEADER_SWAPS if line.startswith(p + " ")), None)
    return _HEADER_SWAPS[prefix] + line[len(prefix) :] if prefix else line


def _side(path: str, prefix: str) -> str:
    """`a/x` or `b/x` re-prefixed for the other side of a diff; /dev/null stays."""
    return path if path == "/dev/null" else prefix + path.split("/", 1)[-1]


def reverse_patch(patch: str) -> str:
    """The diff that undoes `patch` (`git apply -R` as text): SWE-smith ships bug-creating diffs."""
    files = _parse(patch)
    out: list[str] = []
    for f in files:
        out += [_reverse_header(line) for line in f.patch_info]
        out.append(f"--- {_side(f.target_file, 'a/')}\n+++ {_side(f.source_file, 'b/')}\n")
        for h in f:
            ranges = f"-{h.target_start},{h.target_length} +{h.source_start},{h.source_length}"
            out.append(f"@@ {ranges} @@ {h.section_header}".rstrip() + "\n")
            out += [{"+": "-", "-": "+"}.get(ln.line_type, ln.line_type) + ln.value for ln in h]
    return "".join(out)


def normalise_patch(patch: str) -> str:
    """A patch reduced to what it changes: file names and added/removed lines with whitespace
    collapsed, without index lines, hunk positions or context, so equal fixes compare equal
    (majority voting, distinct-patch counts)."""
    kept = []
    for line in patch.splitlines():
        if line.startswith(("+++ ", "--- ")):
            kept.append(line[:4] + (_strip(line[4:]) or "/dev/null"))
        elif line[:1] in "+-" and line[:1] and (body := " ".join(line[1:].split())):
            kept.append(line[0] + body)
    return "\n".join(kept)
