"""Unified-diff facts: the paths a patch names, which of them are unsafe, and file classification."""

from __future__ import annotations

import subprocess

import pytest

from harness.errors import BadInput
from harness.patches import PatchFiles, header_paths, patch_files, unsafe_paths


def diff(old: str, new: str, body: str = "@@ -1 +1 @@\n-a\n+b\n", git: bool = True) -> str:
    head = f"diff --git a/{old} b/{new}\n" if git else ""
    return f"{head}--- a/{old}\n+++ b/{new}\n{body}"


MODIFY = diff("pkg/mod.py", "pkg/mod.py")
CREATE = (
    "diff --git a/tests/test_new.py b/tests/test_new.py\nnew file mode 100644\n"
    "--- /dev/null\n+++ b/tests/test_new.py\n@@ -0,0 +1,2 @@\n+def test_x():\n+    pass\n"
)
DELETE = (
    "diff --git a/old.txt b/old.txt\ndeleted file mode 100644\n"
    "--- a/old.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-gone\n"
)
RENAME = (
    "diff --git a/src/a.py b/src/b.py\nsimilarity index 100%\n"
    "rename from src/a.py\nrename to src/b.py\n"
)


def test_header_paths():
    assert header_paths(MODIFY) == ["pkg/mod.py"]
    assert header_paths(CREATE) == ["tests/test_new.py"]
    assert header_paths(DELETE) == ["old.txt"]
    assert header_paths(RENAME) == ["src/a.py", "src/b.py"]
    assert header_paths(MODIFY + CREATE) == ["pkg/mod.py", "tests/test_new.py"]
    assert header_paths("--- a/x.py\t2024-01-01 00:00:00\n+++ b/x.py\t2024-01-02\n") == ["x.py"]


def test_hunk_lines_that_look_like_headers_are_content(tmp_path):
    # removing the SQL comment "-- /etc/passwd" and adding "++ ../up" are edits of x.sql
    body = "@@ -1,2 +1,2 @@\n--- /etc/passwd\n+++ ../up\n keep\n\\ No newline at end of file\n"
    patch = diff("x.sql", "x.sql", body) + MODIFY
    assert header_paths(patch) == ["x.sql", "pkg/mod.py"]
    assert unsafe_paths(patch) == []
    (tmp_path / "x.sql").write_text("-- /etc/passwd\nkeep")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text("a\n")
    check = subprocess.run(["git", "apply", "--check", "-"], input=patch, cwd=tmp_path,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr  # git reads it the same way
    # ...but once the hunk's counts are used up, a header is a header again
    assert unsafe_paths(diff("x.sql", "x.sql", "@@ -1 +1 @@\n-a\n+b\n--- /etc/passwd\n")) == ["/etc/passwd"]


@pytest.mark.parametrize(("patch", "unsafe"), [
    (diff("../outside.py", "../outside.py"), ["../outside.py"]),
    (diff("pkg/../../up.py", "pkg/../../up.py"), ["pkg/../../up.py"]),
    ("--- /etc/passwd\n+++ /etc/passwd\n@@ -1 +1 @@\n-a\n+b\n", ["/etc/passwd"]),
    (diff(".git/config", ".git/config"), [".git/config"]),
    (diff("sub/.git/hooks/pre-commit", "sub/.git/hooks/pre-commit"), ["sub/.git/hooks/pre-commit"]),
    ("diff --git a/ok.py b/ok.py\nrename from ok.py\nrename to ../evil.py\n", ["../evil.py"]),
    ("diff --git a/ok.py b/ok.py\ncopy from ok.py\ncopy to /tmp/evil.py\n", ["/tmp/evil.py"]),
    ('diff --git "a/../q.py" "b/../q.py"\n--- "a/../q.py"\n+++ "b/../q.py"\n', ["../q.py"]),
    # a C-quoted name may hide "/" as \057; any backslash is refused
    ('--- "a/..\\057evil"\n+++ "b/..\\057evil"\n', ["..\\057evil"]),
    (diff("win\\path.py", "win\\path.py"), ["win\\path.py"]),
])
def test_unsafe_paths(patch, unsafe):
    assert unsafe_paths(patch) == unsafe


def test_safe_lookalikes():
    names = [".gitignore", ".github/workflows/ci.yml", "docs/..rst", "a..b/c.py", "dir/.git-keep"]
    assert unsafe_paths("".join(diff(n, n) for n in names)) == []


def test_patch_files_classifies():
    assert patch_files(MODIFY + CREATE + DELETE) == PatchFiles(
        modified=("pkg/mod.py",), created=("tests/test_new.py",), deleted=("old.txt",)
    )
    assert patch_files(MODIFY + CREATE).all == ("pkg/mod.py", "tests/test_new.py")
    assert patch_files("") == PatchFiles((), (), ())


@pytest.mark.parametrize(("patch", "message"), [
    ("not a patch at all\n", "patch does not parse: no file diffs found"),
    (diff("x", "x", "@@ -1,2 +1,2 @@\n-a\n"), "patch does not parse: Hunk is shorter than expected"),
])
def test_patch_files_parse_error(patch, message):
    with pytest.raises(BadInput) as err:
        patch_files(patch)
    assert str(err.value) == message
