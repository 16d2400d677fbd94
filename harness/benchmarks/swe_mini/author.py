"""Authoring tool for swe-mini: derive each task's base commit, FAIL_TO_PASS/PASS_TO_PASS and eval.sh.

    python -m harness.benchmarks.swe_mini.author build [INSTANCE_ID ...]   # write generated files
    python -m harness.benchmarks.swe_mini.author check [INSTANCE_ID ...]   # verify, write nothing

Tests run on this machine's Python (fast, no Docker); `harness validate-benchmark swe-mini` then
checks every verdict inside the real images.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from swebench.harness.log_parsers.python import parse_log_pytest
from swebench.task.repo import TESTS_FILE, dump_tests, dump_yaml, load_yaml

from harness.benchmarks.eval_script import make_eval_script
from harness.benchmarks.swe_mini import TASKS, TEST_COMMAND, checkout, image_name

AUTHORED_KEYS = ("instance_id", "repo", "split", "kind", "created_at")
PASSED = "PASSED"


@dataclass(frozen=True)
class Derived:
    base_commit: str
    fail_to_pass: list[str]
    pass_to_pass: list[str]
    problems: list[str]


def _run_tests(repo: Path) -> dict[str, str]:
    cmd = TEST_COMMAND.replace("python3", sys.executable, 1).split()
    proc = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, timeout=300)
    return parse_log_pytest(proc.stdout, None)


def derive(instance_id: str) -> Derived:
    """Run the suite on the base tree, with the test patch, and with both patches."""
    task = TASKS / instance_id
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "testbed"
        base_commit = checkout(instance_id, repo)
        base = _run_tests(repo)
        problems += [f"fails at base without the test patch: {t}"
                     for t, s in base.items() if s != PASSED]
        for name, patch in (("test", "test.patch"), ("gold", "gold.patch")):
            proc = subprocess.run(
                ["git", "apply", str(task / patch)], cwd=repo, capture_output=True, text=True
            )
            if proc.returncode:
                problems.append(f"{patch} does not apply to the base: {proc.stderr.strip()}")
                return Derived(base_commit, [], [], problems)
            if name == "test":
                before = _run_tests(repo)
        after = _run_tests(repo)
    problems += [f"fails with the gold patch: {t}" for t, s in after.items() if s != PASSED]
    f2p = sorted(t for t, s in after.items() if s == PASSED and before.get(t) != PASSED)
    p2p = sorted(t for t, s in after.items() if s == PASSED and before.get(t) == PASSED)
    if not f2p:
        problems.append("no test fails before the gold patch and passes after it")
    return Derived(base_commit, f2p, p2p, problems)


def build(instance_id: str, write: bool) -> list[str]:
    """Derive one task; with `write`, store task.yaml, tests.json and eval.sh. Returns problems."""
    task = TASKS / instance_id
    meta = load_yaml(task / "task.yaml")
    problems = [f"task.yaml lacks {k}" for k in AUTHORED_KEYS if k not in meta]
    if meta.get("instance_id") != instance_id:
        problems.append(f"task.yaml instance_id {meta.get('instance_id')!r} != folder name")
    derived = derive(instance_id)
    problems += derived.problems
    if write and not problems:
        meta = {k: meta[k] for k in AUTHORED_KEYS} | {
            "base_commit": derived.base_commit,
            "environment_setup_commit": derived.base_commit,
            "version": "1.0",
            "image": image_name(instance_id),
            "log_parser": "parse_log_pytest",
            "eval_type": "pass_and_fail",
        }
        (task / "task.yaml").write_text(dump_yaml(meta))
        tests = {"FAIL_TO_PASS": derived.fail_to_pass, "PASS_TO_PASS": derived.pass_to_pass}
        (task / TESTS_FILE).write_text(dump_tests(tests))
        script = make_eval_script(derived.base_commit, (task / "test.patch").read_text(), TEST_COMMAND)
        (task / "eval.sh").write_text(script)
    return problems


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("build", "check"):
        print(__doc__)
        return 2
    ids = argv[1:] or sorted(d.name for d in TASKS.iterdir() if (d / "task.yaml").is_file())
    failed = 0
    for instance_id in ids:
        problems = build(instance_id, write=argv[0] == "build")
        print(f"{instance_id}: {'ok' if not problems else 'PROBLEMS'}")
        for p in problems:
            print(f"  - {p}")
        failed += bool(problems)
    print(f"{len(ids) - failed}/{len(ids)} tasks ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
