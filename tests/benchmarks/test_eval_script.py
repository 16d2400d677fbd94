"""make_eval_script: the exact SWE-bench 5.x script, accepted by make_test_spec, and it works in bash."""

from __future__ import annotations

import subprocess

from swebench.harness.utils import make_test_spec
from swebench.utils import generate_heredoc_delimiter

from harness.benchmarks.eval_script import make_eval_script

TEST_PATCH = """\
diff --git a/tests/test_a.py b/tests/test_a.py
--- a/tests/test_a.py
+++ b/tests/test_a.py
@@ -1 +1,2 @@
 A = 1
+A2 = 2
diff --git a/tests/test_new.py b/tests/test_new.py
new file mode 100644
--- /dev/null
+++ b/tests/test_new.py
@@ -0,0 +1 @@
+NEW = 1
"""
APPLY_FAIL = "|| { echo '>>>>> Patch Apply Failed'; exit 1; }"


def test_exact_lines():
    eof = generate_heredoc_delimiter(TEST_PATCH)
    reset = ["git checkout abc123 -- tests/test_a.py", "rm -f tests/test_new.py"]
    script = make_eval_script("abc123", TEST_PATCH, "pytest -rA tests", preamble=["source env.sh"])
    assert script.splitlines() == [
        "#!/bin/bash",
        "set -uxo pipefail",
        "source env.sh",
        "cd /testbed",
        *reset,
        f"git apply --verbose - <<'{eof}' {APPLY_FAIL}",
        *TEST_PATCH.splitlines(),
        eof,
        ": '>>>>> Start Test Output'",
        "pytest -rA tests",
        ": '>>>>> End Test Output'",
        *reset,
    ]
    assert script.endswith("\n") and eof not in TEST_PATCH


def test_only_created_files_need_no_checkout():
    created = TEST_PATCH[TEST_PATCH.index("diff --git a/tests/test_new.py"):]
    script = make_eval_script("abc123", created, "pytest")
    assert [line for line in script.splitlines() if line.startswith(("git checkout", "rm "))] == [
        "rm -f tests/test_new.py", "rm -f tests/test_new.py"
    ]


def test_passes_make_test_spec():
    script = make_eval_script("abc123", TEST_PATCH, "pytest -rA tests")
    spec = make_test_spec({
        "instance_id": "x__y-1", "image": "img:latest", "repo": "x/y", "version": "1.0",
        "FAIL_TO_PASS": ["tests/test_a.py::t"], "PASS_TO_PASS": [], "log_parser": "parse_log_pytest",
        "eval_type": "pass_and_fail", "eval_script": script,
    })
    lines = script.splitlines()[2:]  # swebench drops the shebang and `set` line, then re-adds them
    end = lines.index(": '>>>>> End Test Output'")
    assert spec.eval_script_list == [
        *lines[:end], "SWEBENCH_TEST_EXIT_CODE=$?", lines[end],
        'echo ">>>>> Test Exit Code: $SWEBENCH_TEST_EXIT_CODE"', *lines[end + 1:],
    ]


def git(repo, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True,
                          text=True).stdout


def test_runs_in_bash_resetting_test_files_before_and_after(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text("A = 1\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    base = git(tmp_path, "rev-parse", "HEAD").strip()
    # a candidate patch that edits the test file and pre-creates the new one
    (tmp_path / "tests" / "test_a.py").write_text("A = 'hacked'\n")
    (tmp_path / "tests" / "test_new.py").write_text("NEW = 'hacked'\n")
    script = make_eval_script(base, TEST_PATCH, "cat tests/test_a.py tests/test_new.py",
                              workdir=str(tmp_path))
    run = subprocess.run(["bash", "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "A = 1\nA2 = 2\nNEW = 1\n"
    assert git(tmp_path, "status", "--porcelain") == ""  # test files back at the base afterwards


def test_apply_failure_is_reported(tmp_path):
    git(tmp_path, "init", "-q")
    script = make_eval_script("HEAD", TEST_PATCH, "echo ran", workdir=str(tmp_path))
    run = subprocess.run(["bash", "-c", script], capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stdout.splitlines() == [">>>>> Patch Apply Failed"]
