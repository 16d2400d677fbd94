"""swe-gen: a generated task family a small model can learn (generate.py: one injected bug per
small module, the issue reported as a user would), kept as a swebench 5.x task repo like swe-mini's
and served by the same images, sandboxes and evaluators. The tree is written on first use under the
cache, one folder per generator version, seed and sizes; the same seed gives the same bytes."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from datetime import datetime
from functools import cached_property
from pathlib import Path, PurePosixPath

from swebench.task.repo import dump_tests, dump_yaml

from harness import paths
from harness.benchmarks.swe_gen.generate import VERSION, GenTask, generate
from harness.benchmarks.swe_mini import GIT_ENV, Reproduction, TaskRepo, image_name, library
from harness.benchmarks.swe_mini.runners import Library, Runner
from harness.patches import patch_files
from harness.records import Instance

# The base image's Python and pytest: graded on the test patch's file with -rA (what swebench's
# parser reads); the suite an agent or expert runs prints only its summary.
PYTEST = "python3 -m pytest -p no:cacheprovider"
RUNNER = Runner("pytest-quiet", "parse_log_pytest", f"{PYTEST} -q tests", f"{PYTEST} -rA {{targets}}")
CALL = re.compile(r"^>>> (\w+)\((.*)\)$|`(\w+)\(([^`]*)\)`", re.M)  # how generate.py quotes the call


class SweGen(TaskRepo):
    name = "swe-gen"
    version = VERSION

    def __init__(self, seed: int = 0, train: int = 3000, test: int = 250, cache: Path | None = None):
        self.seed, self.sizes, self.cache = seed, (train, test), cache

    @cached_property
    def root(self) -> Path:
        """The generated task repo, written now if this version, seed and size have none yet."""
        train, test = self.sizes
        folder = (self.cache or paths.CACHE) / "swe-gen" / f"v{VERSION}-seed{self.seed}-{train}-{test}"
        if not (folder / ".complete").is_file():
            write_tree(generate(self.seed, *self.sizes), folder, self)
        return folder

    def library_spec(self, instance_id: str) -> Library:
        return Library(library(instance_id), RUNNER)

    def reproduction(self, instance: Instance) -> Reproduction | None:
        """The call the issue reports, printed from the module the fix is in."""
        found = CALL.search(instance.problem_statement)
        modified = patch_files(instance.patch).modified
        if not found or not modified:
            return None
        function, args = (found[1], found[2]) if found[1] else (found[3], found[4])
        return Reproduction(function, PurePosixPath(modified[0]).stem, args)


def write_tree(tasks: list[GenTask], dest: Path, family: TaskRepo) -> None:
    """`repos/<module>/` (the fixed library) and `tasks/<id>/` per task, written aside then moved in
    whole, so a reader never sees half a tree."""
    tmp = dest.with_name(f"{dest.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    for task in tasks:
        for path, text in task.fixed_files.items():
            _write(tmp / "repos" / task.module / path, text)
        base = commit_hash(task.base_files)
        folder = tmp / "tasks" / task.instance_id
        _write(folder / "task.yaml", dump_yaml({
            "instance_id": task.instance_id, "repo": f"swe-gen/{task.module}", "split": task.split,
            "kind": "bug", "bug_kind": task.bug_kind, "created_at": task.created_at, "version": "1.0",
            "base_commit": base, "environment_setup_commit": base, "image": image_name(task.instance_id),
            "log_parser": RUNNER.log_parser, "eval_type": "pass_and_fail",
        }))
        _write(folder / "problem_statement.md", task.problem_statement)
        _write(folder / "gold.patch", task.gold_patch)
        _write(folder / "test.patch", task.test_patch)
        _write(folder / "tests.json", dump_tests({"FAIL_TO_PASS": list(task.fail_to_pass),
                                                  "PASS_TO_PASS": list(task.pass_to_pass)}))
        _write(folder / "eval.sh", family.eval_script(task.instance_id, base, task.test_patch))
    (tmp / ".complete").write_text(f"swe-gen v{VERSION}: {len(tasks)} tasks\n")
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        tmp.rename(dest)
    except OSError:  # another process wrote it first: same bytes
        shutil.rmtree(tmp, ignore_errors=True)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def commit_hash(files: dict[str, str]) -> str:
    """The hash `TaskRepo.checkout` gets for a tree of `files`: git's objects computed here, so
    thousands of tasks need no git process (a test holds it equal to git's)."""
    def obj(kind: bytes, body: bytes) -> bytes:
        return hashlib.sha1(kind + b" %d\0" % len(body) + body).digest()

    def tree(entries: dict[str, bytes | dict]) -> bytes:
        rows = []
        for name, value in entries.items():
            is_dir = isinstance(value, dict)
            sha = tree(value) if is_dir else obj(b"blob", value)
            rows.append(((name + "/" if is_dir else name).encode(), (b"40000 " if is_dir else b"100644 ")
                         + name.encode() + b"\0" + sha))
        return obj(b"tree", b"".join(row for _, row in sorted(rows)))

    nested: dict = {}
    for path, text in files.items():
        *dirs, name = path.split("/")
        node = nested
        for d in dirs:
            node = node.setdefault(d, {})
        node[name] = text.encode()
    seconds = int(datetime.fromisoformat(GIT_ENV["GIT_AUTHOR_DATE"]).timestamp())
    who = f"{GIT_ENV['GIT_AUTHOR_NAME']} <{GIT_ENV['GIT_AUTHOR_EMAIL']}> {seconds} +0000"
    body = f"tree {tree(nested).hex()}\nauthor {who}\ncommitter {who}\n\nbase\n".encode()
    return obj(b"commit", body).hex()


SWE_GEN = SweGen()
