"""Atomic file writes (a reader, or a run resumed after a kill -9, sees the whole file or none) that
other users of a shared store or cache can read."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

READABLE = 0o644


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, fsync it, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.fchmod(fd, READABLE)  # mkstemp makes it private
    with os.fdopen(fd, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def share(folder: Path) -> None:
    """Make the files of a saved model readable by all: save_pretrained writes the weights 0600."""
    for path in Path(folder).iterdir():
        if path.is_file():
            path.chmod(READABLE)
