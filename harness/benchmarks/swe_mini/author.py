"""Authoring tool for swe-mini: derive each task's base commit, FAIL_TO_PASS/PASS_TO_PASS and eval.sh.

    python -m harness.benchmarks.swe_mini.author build [INSTANCE_ID ...]   # write generated files
    python -m harness.benchmarks.swe_mini.author check [INSTANCE_ID ...]   # verify, write nothing

Tests run on this machine (fast, no Docker): the library's runner in its environment, built here
from the same pinned wheels as its image; `harness validate-benchmark swe-mini` then checks every
verdict inside the real images.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from swebench.harness.log_parsers import python as log_parsers
from swebench.task.repo import TESTS_FILE, dump_tests, dump_yaml, load_yaml

from harness.benchmarks import TEST_ENV
from harness.benchmarks.hub import test_files
from harness.benchmarks.swe_mini import SWE_MINI, TASKS, image_name, library
from harness.benchmarks.swe_mini.envs import host_env
from harness.benchmarks.swe_mini.runners import Library, library_spec

AUTHORED_KEYS = ("instance_id", "repo", "split", "kind", "created_at")
PASSED = "PASSED"
PASSING_OR_SKIPPED = (PASSED, "SKIPPED", "XFAIL")  # a gold run may skip or xfail tests, not fail them


@dataclass(frozen=True)
class Derived:
    base_commit: str
    fail_to_pass: list[str]
    pass_to_pass: list[str]
    problems: list[str]


def _run_tests(repo: Path, lib: Library, test_patch: str) -> dict[str, str]:
    """The task's test command in the library's environment, parsed by its runner's swebench parser."""
    env = f"source {host_env(lib)}/bin/activate" if lib.requirements else ""
    script = "\n".join([env, lib.runner.command(test_patch)])
    path = f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"  # `python3` is ours
    proc = subprocess.run(["bash", "-c", script], cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=300, env={**os.environ, **TEST_ENV, "PATH": path})
    return getattr(log_parsers, lib.runner.log_parser)(proc.stdout, None)  # one pipe, as in eval logs


def derive(instance_id: str) -> Derived:
    """Run the suite on the base tree, with the test patch, and with both patches."""
    task = TASKS / instance_id
    lib = library_spec(library(instance_id))
    test_patch = (task / "test.patch").read_text()
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "testbed"
        base_commit = SWE_MINI.checkout(instance_id, repo)
        if all((repo / f).exists() for f in test_files(test_patch)):  # else: created by the patch
            base = _run_tests(repo, lib, test_patch)
            problems += [f"fails at base without the test patch: {t}"
                         for t, s in base.items() if s not in PASSING_OR_SKIPPED]
        for name, patch in (("test", "test.patch"), ("gold", "gold.patch")):
            proc = subprocess.run(
                ["git", "apply", str(task / patch)], cwd=repo, capture_output=True, text=True
            )
            if proc.returncode:
                problems.append(f"{patch} does not apply to the base: {proc.stderr.strip()}")
                return Derived(base_commit, [], [], problems)
            if name == "test":
                before = _run_tests(repo, lib, test_patch)
        after = _run_tests(repo, lib, test_patch)
    problems += [f"fails with the gold patch: {t}" for t, s in after.items() if s not in PASSING_OR_SKIPPED]
    f2p = sorted(t for t, s in after.items() if s == PASSED and before.get(t) != PASSED)
    p2p = sorted(t for t, s in after.items() if s == PASSED and before.get(t) == PASSED)
    if not after:
        problems.append("the test run printed no test the parser recognises")
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
            "log_parser": library_spec(library(instance_id)).runner.log_parser,
            "eval_type": "pass_and_fail",
        }
        (task / "task.yaml").write_text(dump_yaml(meta))
        tests = {"FAIL_TO_PASS": derived.fail_to_pass, "PASS_TO_PASS": derived.pass_to_pass}
        (task / TESTS_FILE).write_text(dump_tests(tests))
        test_patch = (task / "test.patch").read_text()
        (task / "eval.sh").write_text(SWE_MINI.eval_script(instance_id, derived.base_commit, test_patch))
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
