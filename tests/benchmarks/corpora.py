"""SWE-smith and R2E-Gym fixtures made from swe-mini train tasks, so a training corpus of either
kind runs end to end offline: rows in each dataset's published schema (written here, naming the
commits they describe) and Docker images laid out as each dataset's are, built FROM the task's
swe-mini image.

SWE-smith: /testbed on the `<instance_id>` branch, "Bug Patch" (bug and tests) then "Remove F2P
Tests" (its head), installed in develop mode, with a conda `testbed` activate shim; the row's `patch`
creates the bug.
R2E-Gym: /testbed at the old commit with /testbed/.venv and run_tests.sh, the hidden tests in
/r2e_tests; the row's fix is a ParsedCommit and its expected output the fixed tree's pytest run.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from unidiff import PatchSet

from harness.benchmarks import get_benchmark
from harness.benchmarks.hub import R2E_SUMMARY_AWK
from harness.benchmarks.swe_mini import SWE_MINI, git, library
from harness.images import LABEL, client
from harness.images.build import build_images
from harness.patches import patch_files, reverse_patch
from harness.records import Instance

SWESMITH_TASKS = ("swe-mini__verspec-1", "swe-mini__cronex-1")
R2E_TASKS = ("swe-mini__ignorespec-1", "swe-mini__tablefmt-1")
REGISTRY = "harness-fixtures"  # images are local: never a published dataset's own name
DATE = "2026-03-14T22:10:31"  # after swe-mini's tasks: a corpus made later than what it is evaluated on
CONDA_SHIM = "conda() { :; }  # the image's python is the `testbed` env\n"
R2E_RUN_TESTS = ".venv/bin/python -W ignore -m pytest -rA r2e_tests\n"
EXCLUDES = "__pycache__/\\n*.pyc\\n.pytest_cache/\\n"  # what running the tests leaves: never in a diff

SWESMITH_DOCKERFILE = """\
FROM {source}
RUN rm -rf /testbed && mkdir -p /opt/miniconda3/bin \\
    && echo /testbed > "$(python3 -c 'import site; print(site.getsitepackages()[0])')/testbed.pth"
COPY activate /opt/miniconda3/bin/activate
COPY testbed /testbed
RUN printf '{excludes}' > /testbed/.git/info/exclude
LABEL {label}=instance {label}.benchmark=swe-smith-fixture {label}.instance_id={instance_id}
"""
R2E_DOCKERFILE = """\
FROM {source}
COPY r2e_tests /r2e_tests
COPY run_tests.sh /testbed/run_tests.sh
RUN python3 -m venv --system-site-packages /testbed/.venv \\
    && printf '.venv/\\nrun_tests.sh\\nr2e_tests\\n' >> /testbed/.git/info/exclude
LABEL {label}=instance {label}.benchmark=r2e-gym-fixture {label}.instance_id={instance_id}
"""


def swesmith_fixture(dest: Path, tasks: Sequence[str] = SWESMITH_TASKS) -> Path:
    """`dest`/swesmith.jsonl and the images its rows name."""
    rows = [_swesmith(task, dest / "build") for task in _built(tasks)]
    return _write(dest / "swesmith.jsonl", rows)


def r2e_fixture(dest: Path, tasks: Sequence[str] = R2E_TASKS) -> Path:
    """`dest`/r2e_gym.jsonl and the images its rows name."""
    rows = [_r2e(task, dest / "build") for task in _built(tasks)]
    return _write(dest / "r2e_gym.jsonl", rows)


def _built(tasks: Sequence[str]) -> list[Instance]:
    instances = get_benchmark("swe-mini").load(None, list(tasks))
    build_images(instances)
    return instances


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def _fixed_tree(task: Instance, dest: Path) -> None:
    """The library as the task's fix leaves it (tests included), without git history."""
    SWE_MINI.checkout(task.instance_id, dest)
    for patch in (task.test_patch, task.patch):
        subprocess.run(["git", "apply", "-"], input=patch, cwd=dest, text=True, check=True)
    shutil.rmtree(dest / ".git")


def _commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def _build(context: Path, dockerfile: str, tag: str) -> None:
    (context / "Dockerfile").write_text(dockerfile)
    client().images.build(path=str(context), tag=tag, rm=True, forcerm=True, network_mode="none")


def _swesmith(task: Instance, build: Path) -> dict:
    lib, number = library(task.instance_id), task.instance_id.rsplit("-", 1)[1]
    context = build / task.instance_id / "swesmith"
    repo = context / "testbed"
    _fixed_tree(task, repo)
    git(repo, "init", "-q", "-b", "main")
    clean = _commit(repo, "Initial commit")
    mirror = f"swe-mini__{lib}.{clean[:8]}"
    instance_id = f"{mirror}.func_basic__{number}"
    git(repo, "checkout", "-q", "-b", instance_id)
    subprocess.run(["git", "apply", "-R", "-"], input=task.patch, cwd=repo, text=True, check=True)
    _commit(repo, "Bug Patch")
    for path in sorted({t.split("::", 1)[0] for t in task.FAIL_TO_PASS}):
        (repo / path).unlink()
    head = _commit(repo, "Remove F2P Tests")
    (context / "activate").write_text(CONDA_SHIM)
    image = f"{REGISTRY}/swesmith.x86_64.swe-mini_1776_{lib}.{clean[:8]}:{number}"
    _build(context, SWESMITH_DOCKERFILE.format(source=task.image, label=LABEL, instance_id=instance_id,
                                               excludes=EXCLUDES), image)
    return {
        "instance_id": instance_id, "repo": f"swesmith/{mirror}", "patch": reverse_patch(task.patch),
        "FAIL_TO_PASS": list(task.FAIL_TO_PASS), "PASS_TO_PASS": list(task.PASS_TO_PASS),
        "created_at": DATE, "image_name": image, "base_commit": head,
        "problem_statement": task.problem_statement,
    }


def _r2e(task: Instance, build: Path) -> dict:
    lib = library(task.instance_id)
    context = build / task.instance_id / "r2e"
    fixed = context / "fixed"
    _fixed_tree(task, fixed)
    hidden = patch_files(task.test_patch).all
    (context / "r2e_tests").mkdir(parents=True)
    for path in hidden:
        shutil.copy(fixed / path, context / "r2e_tests" / Path(path).name)
    expected = _expected_output(fixed, context / "r2e_tests")
    old = task.base_commit
    git(fixed, "init", "-q", "-b", "main")
    new = _commit(fixed, "Fix the reported bug")  # the fix commit's hash, as R2E-Gym names its images
    (context / "run_tests.sh").write_text(R2E_RUN_TESTS)
    image = f"{REGISTRY}/{lib}_final:{new}"
    _build(context, R2E_DOCKERFILE.format(source=task.image, label=LABEL, instance_id=f"{lib}__{new}"), image)
    commit = {
        "file_diffs": _file_diffs(task.patch + task.test_patch, fixed, old, new),
        "old_commit_hash": old, "new_commit_hash": new, "commit_message": "Fix the reported bug",
        "commit_date": DATE, "metadata": {},
    }
    sources = patch_files(task.patch).all
    test_codes = [(fixed / f).read_text() for f in hidden]
    return {
        "repo_name": lib, "docker_image": image, "commit_hash": new,
        "parsed_commit_content": json.dumps(commit),
        "execution_result_content": json.dumps({"repo_name": lib, "new_commit_hash": new,
                                                "test_file_codes": test_codes}),
        "modified_files": [*sources, *hidden], "relevant_files": sources, "modified_entity_summaries": [],
        "num_non_test_files": len(sources), "num_non_test_func_methods": 1,
        "num_non_test_lines": sum(h.added + h.removed for f in PatchSet(task.patch) for h in f),
        "prompt": "Write a GitHub issue for the following commit.",
        "problem_statement": f"[ISSUE]\n{task.problem_statement}\n[/ISSUE]",
        "expected_output_json": json.dumps(expected),
    }


def _expected_output(fixed: Path, tests: Path) -> dict[str, str]:
    """{R2E-Gym test name: status} of the hidden tests on the fixed tree, parsed as R2E-Gym does."""
    with tempfile.TemporaryDirectory(prefix="r2e-expected-") as tmp:
        shutil.copytree(fixed, tmp, dirs_exist_ok=True)
        shutil.copytree(tests, Path(tmp) / "r2e_tests")
        run = subprocess.run([sys.executable, "-m", "pytest", "-rA", "-p", "no:cacheprovider", "r2e_tests"],
                             cwd=tmp, capture_output=True, text=True)
        (Path(tmp) / "out.txt").write_text(run.stdout)
        parsed = subprocess.run(["bash", "-c", f"{R2E_SUMMARY_AWK} out.txt"], cwd=tmp, capture_output=True,
                                text=True, check=True).stdout
    return {name: status for status, name in (line.split(" ", 1) for line in parsed.splitlines())}


def _file_diffs(patch: str, fixed: Path, old: str, new: str) -> list[dict]:
    """R2E-Gym's FileDiff records of `patch` (old and new contents, header, index, hunks)."""
    diffs = []
    for f in PatchSet(patch):
        after = (fixed / f.path).read_text()
        before = "" if f.is_added_file else _unapply(f, after)
        hunks = [{
            "descriptor": {"old_range": {"start": h.source_start, "length": h.source_length},
                           "new_range": {"start": h.target_start, "length": h.target_length},
                           "section": h.section_header},
            "line_group": {"all_lines": [
                {"content": line.value.rstrip("\n"),
                 "type": {" ": "context", "+": "added", "-": "deleted"}[line.line_type]} for line in h]},
        } for h in f]
        diffs.append({
            "old_file_content": before, "new_file_content": after,
            "header": {"file": {"path": f.path}, "misc_line": None},
            "index_line": {"old_commit_hash": old, "new_commit_hash": new, "mode": "100644"},
            "is_binary_file": False, "binary_line": None,
            "minus_file": {"path": f"a/{f.path}"}, "plus_file": {"path": f"b/{f.path}"}, "hunks": hunks,
        })
    return diffs


def _unapply(f, after: str) -> str:
    """A file's content before its diff `f` (the hunks undone on the content after it)."""
    with tempfile.TemporaryDirectory(prefix="r2e-before-") as tmp:
        (Path(tmp) / f.path).parent.mkdir(parents=True, exist_ok=True)
        (Path(tmp) / f.path).write_text(after)
        subprocess.run(["git", "apply", "-R", "-"], input=str(f), cwd=tmp, text=True, check=True)
        return (Path(tmp) / f.path).read_text()
