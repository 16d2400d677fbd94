"""What a run or a shipped model records of the code that made it: HEAD's commit, marked when the
tracked files differ from it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from harness.provenance import git_sha


def test_git_sha_marks_a_checkout_whose_tracked_files_changed(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=tmp_path, check=True,
                       capture_output=True)

    assert git_sha(tmp_path) == "unknown"
    git("init", "-q")
    (tmp_path / "code.py").write_text("x = 1\n")
    git("add", "code.py")
    git("commit", "-qm", "one")
    clean = git_sha(tmp_path)
    assert re.fullmatch(r"[0-9a-f]{40}", clean)
    (tmp_path / "notes.txt").write_text("untracked: not code that ran\n")
    assert git_sha(tmp_path) == clean
    (tmp_path / "code.py").write_text("x = 2\n")
    assert git_sha(tmp_path) == clean + "-dirty"
