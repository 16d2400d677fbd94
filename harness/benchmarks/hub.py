"""Hugging Face and local-file benchmarks: each dataset's rows adapted to our 5.x `Instance`.

Rows that carry the SWE-bench 5.x fields (`image`, `eval_script`, `log_parser`, `eval_type`) keep
them; rows that lack them get them derived here, and each derivation says where it comes from.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import load_dataset
from swebench.harness.constants import END_TEST_OUTPUT, NON_TEST_EXTS, START_TEST_OUTPUT, EvalType
from swebench.harness.log_parsers import PARSER_REGISTRY
from swebench.harness.log_parsers.python import MAP_REPO_TO_PARSER_PY
from swebench.harness.utils import load_swebench_dataset
from swebench.task.checks import expected_image

from harness.benchmarks import select_ids
from harness.benchmarks.eval_script import make_eval_script
from harness.errors import BadInput, HarnessError
from harness.patches import patch_files, reverse_patch
from harness.records import Instance

Row = Mapping[str, Any]
Adapter = Callable[[Row], Instance]
Reader = Callable[[str, str], Iterable[Row]]

PASS_AND_FAIL = EvalType.PASS_AND_FAIL.value
# Classic SWE-bench and SWE-Gym images keep the repo in /testbed and its env in conda `testbed`.
CONDA = ("source /opt/miniconda3/bin/activate", "conda activate testbed")

# Derived: the classic harness's per-repo test commands, from SWE-bench's
# swebench/harness/constants/python.py (whose effective TEST_PYTEST is "pytest -rA") and, for
# SWE-Gym's repos, SWE-Gym/SWE-Bench-Fork's. Version-specific variants (django 1.9, old astropy)
# and per-repo eval_commands/re-installs are left out: rows needing them ship a 5.x eval_script.
PYTEST = "pytest -rA"
TEST_COMMANDS = {
    "django/django": "./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1",
    "sympy/sympy": "PYTHONWARNINGS='ignore::UserWarning,ignore::SyntaxWarning' bin/test -C "
    "--verbose",
    "sphinx-doc/sphinx": "tox --current-env -epy39 -v --",
    "mwaskom/seaborn": "pytest --no-header -rA",
    "python/mypy": "pytest -n0 -rA -k",
    "getmoto/moto": "pytest -n0 -rA",
    "conan-io/conan": "pytest -n0 -rA",
    "dask/dask": "pytest -n0 -rA --color=no",
    "bokeh/bokeh": "pytest -rA -n0",
    "modin-project/modin": "pytest -n0 -rA",
    "pydantic/pydantic": "pytest -rA --tb=short -vv -o console_output_style=classic --no-header",
    "pandas-dev/pandas": "pytest -rA --tb=long",
    "facebookresearch/hydra": "pytest -rA --tb=long",
}

# SWE-smith's Python test command (swesmith/profiles/python.py) plus -rA: SWE-smith parses the
# verbose lines, swebench's parse_log_pytest the short summary that -rA prints.
SWESMITH_TEST = "pytest --disable-warnings --color=no --tb=no --verbose -rA"

# R2E-Gym's parser (r2egym/repo_analysis/execution_log_parser.py) reads the lines after pytest's
# "short test summary info", names a test by what follows its file ("Class.test") and drops text
# after " - ". This awk prints that parse as "STATUS name" lines, which swebench's
# parse_log_pytest reads back, so FAIL_TO_PASS can keep R2E-Gym's own test names.
R2E_SUMMARY_AWK = r"""awk '/short test summary info/ { on = 1; next }
on && /PASSED|FAILED|ERROR/ {
  gsub(/\033\[[0-9;]*m/, "")
  status = ($0 ~ /PASSED/) ? "PASSED" : (($0 ~ /FAILED/) ? "FAILED" : "ERROR")
  n = split($0, part, "::"); name = part[2]
  for (i = 3; i <= n; i++) name = name "." part[i]
  sub(/ - .*/, "", name)
  print status, name
}'"""


# bash traces the markers to stderr, and `docker exec` relays stderr and stdout in no fixed order: an
# end marker written just after the tests' last lines (R2E-Gym's awk summary) can overtake them and
# hide them from the grader, so a gold patch is judged unresolved. One stream keeps the written order.
ONE_STREAM = "exec 2>&1"


def _script(lines: Sequence[str]) -> str:
    """A bash eval script in the 5.x shape: shebang, `set -uxo pipefail`, one output stream, `lines`."""
    return "\n".join(["#!/bin/bash", "set -uxo pipefail", ONE_STREAM, *lines]) + "\n"


# Derived: R2E-Gym images hold the repo in /testbed (uv venv /testbed/.venv), its test command in
# /testbed/run_tests.sh and the hidden tests in /r2e_tests, which R2E-Gym's runtime links into the
# repo to run them (r2egym/agenthub/runtime/docker.py). The tests' exit status is re-raised last,
# for swebench's exit-code cross-check.
R2E_EVAL_SCRIPT = _script([
    "export PATH=/testbed/.venv/bin:$PATH", "cd /testbed",
    "[ -e r2e_tests ] || ln -s /r2e_tests r2e_tests",
    f": '{START_TEST_OUTPUT}'",
    "bash run_tests.sh > /tmp/r2e_test_output.txt 2>&1; rc=$?",
    "cat /tmp/r2e_test_output.txt", f"{R2E_SUMMARY_AWK} /tmp/r2e_test_output.txt", "(exit $rc)",
    f": '{END_TEST_OUTPUT}'",
])


# ---------------------------------------------------------------- derivations


def swebench_image(instance_id: str) -> str:
    """SWE-bench's published image (`__` spelt `_1776_`), as swebench.task.checks names it."""
    return expected_image(instance_id)


def swegym_image(instance_id: str) -> str:
    """SWE-Gym's published image: `__` spelt `_s_`, lower case (OpenHands swe_bench run_infer)."""
    return f"xingyaoww/sweb.eval.x86_64.{instance_id.replace('__', '_s_')}:latest".lower()


def log_parser_for(repo: str) -> str:
    """Derived: the PARSER_REGISTRY key of swebench's parser for `repo`; pytest's otherwise."""
    parser = MAP_REPO_TO_PARSER_PY.get(repo)
    return next((key for key, fn in PARSER_REGISTRY.items() if fn is parser), "parse_log_pytest")


def test_files(test_patch: str) -> list[str]:
    """The test patch's files that a runner is given (SWE-bench's get_test_directives)."""
    return [f for f in patch_files(test_patch).all if not f.endswith(tuple(NON_TEST_EXTS))]


def django_labels(files: Sequence[str]) -> list[str]:
    """Django's runtests.py takes module names: tests/a/b.py -> a.b."""
    return [f.removesuffix(".py").removeprefix("tests/").replace("/", ".") for f in files]


def directives_for(repo: str, test_patch: str) -> list[str]:
    """What the classic harness appends to the test command (SWE-bench's get_test_directives)."""
    if repo == "python/mypy":  # SWE-Gym's fork: -k over the `[case ...]` names the patch adds
        return [shlex.quote(" or ".join(re.findall(r"\[case ([^\]]+)\]", test_patch)))]
    files = test_files(test_patch)
    if repo == "django/django":
        files = django_labels(files)
    return [shlex.quote(f) for f in files]


def classic_eval_script(repo: str, base_commit: str, test_patch: str) -> str:
    """Derived 5.x eval script of a classic row: conda env, test patch, the repo's test command."""
    command = " ".join([TEST_COMMANDS.get(repo, PYTEST), *directives_for(repo, test_patch)])
    return make_eval_script(base_commit, test_patch, command, preamble=CONDA)


def swesmith_eval_script(fail_to_pass: Sequence[str], pass_to_pass: Sequence[str] = ()) -> str:
    """Derived from SWE-smith's eval.sh (swesmith/harness/utils.py): the graded test files are
    restored from HEAD~1 (the branch's "Bug Patch" commit: its head, "Remove F2P Tests", deleted the
    failing ones from the agent's view), which also undoes a candidate's edits to them; then pytest
    on those files."""
    graded = sorted({t.split("::", 1)[0] for t in (*fail_to_pass, *pass_to_pass)})
    files = " ".join(shlex.quote(f) for f in graded)
    return _script([
        *CONDA, "cd /testbed", f"git checkout HEAD~1 -- {files}",
        f": '{START_TEST_OUTPUT}'", f"{SWESMITH_TEST} {files}", f": '{END_TEST_OUTPUT}'",
    ])


def r2e_is_test_file(path: str) -> bool:
    """R2E-Gym's test-file rule (FileDiff.is_test_file): a `test`/`tests` folder or a test_ name."""
    parts = path.split("/")
    return (path.endswith("_test.py") or parts[-1].startswith("test_")
            or bool({"tests", "Tests", "test", "Test"} & set(parts[:-1])))


_R2E_PREFIX = {"context": " ", "added": "+", "deleted": "-", "note": "\\ "}


def _r2e_range(r: Mapping[str, Any]) -> str:
    return f"{r['start']}" if r.get("length") is None else f"{r['start']},{r['length']}"


def r2e_fix_patch(commit: Mapping[str, Any]) -> str:
    """The fix as a unified diff, rendered from a ParsedCommit's non-test file diffs (R2E-Gym's
    `get_patch(test_file=False)`): the gold patch its rows do not ship as text."""
    try:
        return _render_r2e(commit.get("file_diffs") or [])
    except (KeyError, TypeError) as exc:
        raise BadInput(f"parsed_commit_content.file_diffs is not R2E-Gym's ParsedCommit ({exc!r})") from None


def _render_r2e(file_diffs: Sequence[Mapping[str, Any]]) -> str:
    out = []
    for diff in file_diffs:
        path = diff["header"]["file"]["path"]
        if r2e_is_test_file(path) or not diff.get("hunks"):
            continue
        new_file = not diff.get("old_file_content")
        out += [f"diff --git a/{path} b/{path}", *(["new file mode 100644"] if new_file else []),
                "--- /dev/null" if new_file else f"--- a/{path}", f"+++ b/{path}"]
        for hunk in diff["hunks"]:
            where, section = hunk["descriptor"], hunk["descriptor"].get("section") or ""
            out.append(f"@@ -{_r2e_range(where['old_range'])} +{_r2e_range(where['new_range'])} @@"
                       + (f" {section}" if section else ""))
            out += [_R2E_PREFIX[line["type"]] + line["content"] for line in hunk["line_group"]["all_lines"]]
    return "\n".join(out) + "\n" if out else ""


# ---------------------------------------------------------------- row adapters


def _req(row: Row, key: str) -> Any:
    """A required field; a missing or null one is a BadInput naming it."""
    if (value := row.get(key)) is None:
        raise BadInput(f"missing required field {key!r}")
    return value


def _text(row: Row, key: str) -> str:
    """An optional field as text ('' when absent); dates and numbers as their string."""
    return "" if (value := row.get(key)) is None else str(value)


def _json(row: Row, key: str) -> Any:
    """A required field holding JSON text (or the value already parsed)."""
    value = _req(row, key)
    try:
        return json.loads(value) if isinstance(value, str) else value
    except json.JSONDecodeError as exc:
        raise BadInput(f"field {key!r} is not valid JSON: {exc}") from None


def _tests(row: Row, key: str) -> tuple[str, ...]:
    """FAIL_TO_PASS / PASS_TO_PASS as a tuple, from a list or its JSON string."""
    value = _req(row, key)
    if isinstance(value, str):
        value = _json(row, key) if value.strip() else []
    if not isinstance(value, (list, tuple)) or not all(isinstance(t, str) for t in value):
        raise BadInput(f"field {key!r} is not a list of test names")
    return tuple(value)


def _classic(row: Row, image_of: Callable[[str], str]) -> Instance:
    """A SWE-bench-schema row; the 5.x fields it lacks are derived (its image by `image_of`)."""
    iid, repo, base = _req(row, "instance_id"), _req(row, "repo"), _req(row, "base_commit")
    test_patch = _req(row, "test_patch")
    return Instance(
        instance_id=iid, repo=repo, base_commit=base, patch=_req(row, "patch"),
        problem_statement=_req(row, "problem_statement"), test_patch=test_patch,
        FAIL_TO_PASS=_tests(row, "FAIL_TO_PASS"), PASS_TO_PASS=_tests(row, "PASS_TO_PASS"),
        image=row.get("image") or image_of(iid),
        eval_script=row.get("eval_script") or classic_eval_script(repo, base, test_patch),
        log_parser=row.get("log_parser") or log_parser_for(repo),
        eval_type=row.get("eval_type") or PASS_AND_FAIL,
        version=_text(row, "version"), created_at=_text(row, "created_at"),
        hints_text=_text(row, "hints_text"),
        environment_setup_commit=_text(row, "environment_setup_commit"),
    )


def adapt_swebench(row: Row) -> Instance:
    """SWE-bench Verified/Lite rows and local files: 5.x fields kept, else SWE-bench's derived."""
    return _classic(row, swebench_image)


def adapt_swegym(row: Row) -> Instance:
    """SWE-Gym rows: the classic SWE-bench columns, run in SWE-Gym's SWE-bench-style images."""
    return _classic(row, swegym_image)


# SWE-smith rows (swesmith/harness/gather.py): instance_id, repo (the swesmith/ mirror), patch
# (the diff that CREATES the bug, so our gold `patch` is its reverse), FAIL_TO_PASS, PASS_TO_PASS,
# created_at, image_name, base_commit, problem_statement. There is no test patch: a task is the
# mirror's `<instance_id>` branch, a "Bug Patch" commit (bug and tests) then "Remove F2P Tests" (its
# head, which the agent sees). The sandbox and evaluators start from the image's /testbed, so it
# must be at that head with `base_commit` naming it (SWE-smith's published images hold the clean
# mirror and check the branch out at run time; an image derived with the branch checked out serves).
def adapt_swesmith(row: Row) -> Instance:
    """SWE-smith rows: image from `image_name`, gold patch reversed, eval script derived."""
    fail_to_pass, pass_to_pass = _tests(row, "FAIL_TO_PASS"), _tests(row, "PASS_TO_PASS")
    return Instance(
        instance_id=_req(row, "instance_id"), repo=_req(row, "repo"),
        base_commit=_req(row, "base_commit"), problem_statement=_req(row, "problem_statement"),
        patch=reverse_patch(_req(row, "patch")), test_patch="",
        FAIL_TO_PASS=fail_to_pass, PASS_TO_PASS=pass_to_pass,
        image=row.get("image") or _req(row, "image_name"),
        eval_script=row.get("eval_script") or swesmith_eval_script(fail_to_pass, pass_to_pass),
        log_parser=row.get("log_parser") or "parse_log_pytest",
        eval_type=row.get("eval_type") or PASS_AND_FAIL, created_at=_text(row, "created_at"),
    )


# R2E-Gym rows (R2E-Gym-Subset): repo_name (short, e.g. "aiohttp"), docker_image, commit_hash (the
# fix), parsed_commit_content (JSON ParsedCommit: old/new_commit_hash, file_diffs, commit_date,
# ...), expected_output_json ({test: status} after the fix), problem_statement, plus metadata.
# Derived: the id (there is none), the base commit (the old hash), FAIL_TO_PASS (every test the
# fix passes; R2E-Gym does not say which failed before, and expected non-passes are dropped), and
# the gold patch, rendered from the ParsedCommit's non-test file diffs.
def adapt_r2e(row: Row) -> Instance:
    """R2E-Gym rows: image `docker_image`, tests from expected_output_json, eval script derived."""
    commit, expected = _json(row, "parsed_commit_content"), _json(row, "expected_output_json")
    if not isinstance(commit, dict) or not isinstance(expected, dict):
        raise BadInput("parsed_commit_content and expected_output_json must be JSON objects")
    names = {re.sub(r"\x1b\[\d+m", "", k).split(" - ")[0]: v for k, v in expected.items()}
    repo, statement = _req(row, "repo_name"), _req(row, "problem_statement")
    issue = re.search(r"\[ISSUE\](.*)\[/ISSUE\]", statement, re.DOTALL)  # what R2E-Gym shows
    return Instance(
        instance_id=f"{repo}__{_req(row, 'commit_hash')}",
        repo=repo, base_commit=_req(commit, "old_commit_hash"),
        problem_statement=issue[1] if issue else statement, patch=r2e_fix_patch(commit), test_patch="",
        FAIL_TO_PASS=tuple(sorted(k for k, v in names.items() if v == "PASSED")),
        PASS_TO_PASS=(), image=_req(row, "docker_image"),
        eval_script=R2E_EVAL_SCRIPT, log_parser="parse_log_pytest",
        created_at=_text(commit, "commit_date"),
    )


def adapt_local(row: Row) -> Instance:
    """A local file's row, by the schema its fields show: R2E-Gym's (`parsed_commit_content`),
    SWE-smith's (`image_name`, no `test_patch`), else SWE-bench's (5.x or classic)."""
    if "parsed_commit_content" in row:
        return adapt_r2e(row)
    if "image_name" in row and "test_patch" not in row:
        return adapt_swesmith(row)
    return adapt_swebench(row)


def adapt_rows(rows: Iterable[Row], adapter: Adapter, benchmark: str, split: str) -> list[Instance]:
    """Every row adapted, in order; a malformed row or a repeated id is BadInput naming the row."""
    instances: dict[str, Instance] = {}
    for number, row in enumerate(rows, start=1):
        where = f"{benchmark}: row {number} ({row.get('instance_id') or 'no instance_id'})"
        try:
            instance = adapter(row)
        except BadInput as exc:
            raise BadInput(f"{where}: {exc}") from None
        if instance.log_parser not in PARSER_REGISTRY:
            raise BadInput(f"{where}: log_parser {instance.log_parser!r} is not swebench's")
        if instance.instance_id in instances:
            raise BadInput(f"{where}: duplicate instance_id {instance.instance_id!r}")
        row_split = _text(row, "split") or split
        instances[instance.instance_id] = replace(instance, split=row_split, benchmark=benchmark)
    return list(instances.values())


# ---------------------------------------------------------------- benchmarks


def _datasets_rows(dataset: str, split: str) -> Iterable[Row]:
    """Rows through `datasets` itself, for sets without the `instance_id` that swebench needs."""
    return load_dataset(dataset, split=split)


def _not_cached(dataset: str, split: str, exc: Exception) -> str:
    """One line: the dataset is neither cached nor downloadable here, and how to fetch it."""
    reason = type(exc).__name__ + (f": {str(exc).splitlines()[0][:200]}" if str(exc) else "")
    call = f"load_dataset('{dataset}', split='{split}')"
    fetch = f'python -c "from datasets import load_dataset; {call}"'
    return (
        f"dataset {dataset} (split {split}) is not in the local Hugging Face cache and could not "
        f"be downloaded ({reason}); fetch it where the hub is reachable, with the same HF_HOME: "
        f"{fetch} -- or pass a local .jsonl/.json/.parquet file instead"
    )


@dataclass(frozen=True)
class HubBenchmark:
    """A Hugging Face dataset whose rows `adapter` turns into instances; offline once cached."""

    name: str
    dataset: str
    split: str
    adapter: Adapter
    reader: Reader = load_swebench_dataset  # reads the hub or the offline HF cache

    def load(
        self, split: str | None = None, instance_ids: Sequence[str] | None = None
    ) -> list[Instance]:
        split = split or self.split
        try:
            rows = list(self.reader(self.dataset, split))
        except Exception as exc:  # datasets/huggingface_hub raise different types by version
            raise HarnessError(_not_cached(self.dataset, split, exc)) from exc
        return select_ids(self.from_rows(rows, split), instance_ids, self.name)

    def from_rows(self, rows: Iterable[Row], split: str | None = None) -> list[Instance]:
        """Instances from rows already in hand (a local copy, a test), adapted as `load` does."""
        return adapt_rows(rows, self.adapter, self.name, split or self.split)


def _read_local(path: Path) -> list[dict[str, Any]]:
    """Rows of a local file, read directly so a row with no `instance_id` is named by its number."""
    try:
        if path.suffix == ".parquet":
            rows = pq.read_table(path).to_pylist()
        elif path.suffix == ".jsonl":
            rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        else:
            rows = json.loads(path.read_text())
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise BadInput(f"cannot read benchmark file {path}: {exc}") from exc
    if not isinstance(rows, list):
        raise BadInput(f"benchmark file {path} must hold a list of rows")
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise BadInput(f"{path}: row {number} is not an object")
    return rows


@dataclass(frozen=True)
class LocalFile:
    """A local .jsonl/.json/.parquet of SWE-bench (5.x or classic), SWE-smith or R2E-Gym rows."""

    name: str

    def load(
        self, split: str | None = None, instance_ids: Sequence[str] | None = None
    ) -> list[Instance]:
        rows = _read_local(Path(self.name))
        if split is not None and any("split" in row for row in rows):
            rows = [row for row in rows if row.get("split") == split]
        instances = adapt_rows(rows, adapt_local, self.name, split or "test")
        return select_ids(instances, instance_ids, self.name)


SWEBENCH_VERIFIED = HubBenchmark(
    "swebench-verified", "SWE-bench/SWE-bench_Verified", "test", adapt_swebench
)
SWEBENCH_LITE = HubBenchmark("swebench-lite", "SWE-bench/SWE-bench_Lite", "test", adapt_swebench)
SWE_GYM = HubBenchmark("swe-gym", "SWE-Gym/SWE-Gym", "train", adapt_swegym)
SWE_SMITH = HubBenchmark("swe-smith", "SWE-bench/SWE-smith", "train", adapt_swesmith)
R2E_GYM = HubBenchmark("r2e-gym", "R2E-Gym/R2E-Gym-Subset", "train", adapt_r2e, _datasets_rows)
