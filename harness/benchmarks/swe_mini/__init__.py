"""swe-mini: the embedded benchmark. Small libraries of our own and tasks on them, offline.

Layout (a swebench 5.x task repo, readable by `swebench.task.repo.load_task_repo`):
`repos/<lib>/` holds each library in its fixed, fully tested state; `tasks/<instance_id>/` holds
`task.yaml`, `problem_statement.md`, `gold.patch`, `test.patch`, and the generated `tests.json`
and `eval.sh`. An instance's base tree is its library with `test.patch` and `gold.patch` undone,
committed alone (no history that would reveal the fix) with fixed metadata, so its hash is stable.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from harness.benchmarks import select_ids
from harness.errors import BadInput, HarnessError
from harness.records import Instance

if TYPE_CHECKING:
    from harness.benchmarks.swe_mini.runners import Library

ROOT = Path(__file__).parent
REPOS = ROOT / "repos"
TASKS = ROOT / "tasks"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "swe-mini",
    "GIT_AUTHOR_EMAIL": "swe-mini@localhost",
    "GIT_COMMITTER_NAME": "swe-mini",
    "GIT_COMMITTER_EMAIL": "swe-mini@localhost",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+0000",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+0000",
}
_EXCLUDES = "__pycache__/\n*.pyc\n.pytest_cache/\n.tox/\n"
_IGNORED = ("__pycache__", "*.pyc", ".pytest_cache", ".git")


def image_name(instance_id: str) -> str:
    """`swe-mini__verspec-3` -> `harness/swe-mini.swe-mini__verspec-3:latest` (the family from the id)."""
    return f"harness/{instance_id.split('__', 1)[0]}.{instance_id}:latest"


def library(instance_id: str) -> str:
    """`swe-mini__verspec-3` -> `verspec`."""
    return instance_id.split("__", 1)[1].rsplit("-", 1)[0]


def git(cwd: Path, *args: str, check: bool = True) -> str:
    env = {**os.environ, **GIT_ENV}
    proc = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if check and proc.returncode:
        raise HarnessError(f"git {' '.join(args[:2])} failed in {cwd}: {proc.stderr.strip()}")
    return proc.stdout


@dataclass(frozen=True)
class Reproduction:
    """The function an issue is about, the module it is in, and the reported call's arguments: what an
    expert runs to see it misbehave."""

    function: str
    module: str
    args: str

    @property
    def command(self) -> str:
        """The shell command that prints the reported call's result."""
        return self.importing(self.module)

    def importing(self, module: str) -> str:
        """The same command with the function imported from `module` (a misnamed one shows the error a
        small agent meets when it writes another module's name)."""
        code = f"from {module} import {self.function}; print(repr({self.function}({self.args})))"
        return f"python3 -c {shlex.quote(code)}"


class TaskRepo:
    """A benchmark kept as a swebench 5.x task repo beside the libraries its tasks are on
    (`repos/<lib>/` in the fixed state, `tasks/<id>/`), built locally: its images, its local sandboxes
    and its demonstrations start from `checkout`. swe-mini is one; generated families are others."""

    name = "swe-mini"
    version: int | None = None  # a generated family's generator version (hand-written: none)

    def __init__(self, root: Path = ROOT):
        self._root = root

    @property
    def root(self) -> Path:
        return self._root

    def library_spec(self, instance_id: str) -> Library:
        """How the task's library runs its tests, and its environment."""
        from harness.benchmarks.swe_mini.runners import library_spec

        return library_spec(library(instance_id))

    def reproduction(self, instance: Instance) -> Reproduction | None:
        """How an expert sees the issue happen before fixing it (none known for hand-written tasks)."""
        return None

    def checkout(self, instance_id: str, dest: Path) -> str:
        """Write the base tree of `instance_id` to `dest` as a one-commit git repo; return its hash."""
        task = self.root / "tasks" / instance_id
        if not (task / "task.yaml").is_file():
            raise BadInput(f"unknown {self.name} instance {instance_id!r}")
        shutil.copytree(self.root / "repos" / library(instance_id), dest,
                        ignore=shutil.ignore_patterns(*_IGNORED))
        for patch in ("test.patch", "gold.patch"):
            proc = subprocess.run(
                ["git", "apply", "-R", str(task / patch)], cwd=dest, capture_output=True, text=True
            )
            if proc.returncode:
                raise HarnessError(f"{instance_id}: {patch} does not reverse-apply: {proc.stderr.strip()}")
        git(dest, "init", "-q", "-b", "main")
        git(dest, "add", "-A")
        git(dest, "commit", "-q", "-m", "base")
        (dest / ".git" / "info" / "exclude").write_text(_EXCLUDES)
        return git(dest, "rev-parse", "HEAD").strip()

    def eval_script(self, instance_id: str, base_commit: str, test_patch: str) -> str:
        """The task's eval.sh: its library's environment and runner on the test patch's files."""
        from harness.benchmarks.eval_script import make_eval_script

        lib = self.library_spec(instance_id)
        command = lib.runner.command(test_patch)
        return make_eval_script(base_commit, test_patch, command, preamble=lib.preamble)

    def load(
        self, split: str | None = None, instance_ids: Sequence[str] | None = None
    ) -> list[Instance]:
        from swebench.task.repo import load_task, task_dirs

        if split not in (None, "train", "test"):
            raise BadInput(f"{self.name} has splits train and test, not {split!r}")
        dirs = task_dirs(self.root)
        missing = [d.name for d in dirs if not ((d / "eval.sh").is_file() and (d / "tests.json").is_file())]
        if missing:
            raise HarnessError(
                f"{self.name} tasks not built: {', '.join(missing[:5])}; "
                "run `python -m harness.benchmarks.swe_mini.author build`"
            )
        rows = [load_task(d) for d in dirs]
        instances = [_instance(r, self.name) for r in rows if split is None or r["split"] == split]
        return select_ids(instances, instance_ids, self.name + (f" ({split})" if split else ""))


def _instance(row: dict, benchmark: str) -> Instance:
    return Instance(
        instance_id=row["instance_id"],
        repo=row["repo"],
        base_commit=row["base_commit"],
        problem_statement=row["problem_statement"],
        patch=row["patch"],
        test_patch=row["test_patch"],
        FAIL_TO_PASS=tuple(row["FAIL_TO_PASS"]),
        PASS_TO_PASS=tuple(row["PASS_TO_PASS"]),
        image=row["image"],
        eval_script=row["eval_script"],
        log_parser=row["log_parser"],
        eval_type=row["eval_type"],
        version=str(row["version"]),
        created_at=str(row["created_at"]),
        split=row["split"],
        benchmark=benchmark,
    )


SWE_MINI = TaskRepo()
