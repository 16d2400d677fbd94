"""Real SWE-bench Verified logs (../shared/real-swebench: Django, SymPy, pytest, Sphinx, xarray, each
run by the official harness on the gold patch and on a no-op patch): our grading gives the official
report, test by test, and the hooks' check accepts every gold log when the hooks saw what the log
shows (records built from the log in the hooks' own naming, as the runner would have reported)."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from swebench.harness.constants import FAIL_TO_PASS, PASS_TO_PASS

from harness.benchmarks import get_benchmark
from harness.evaluation.grading import Grade, grade_log, holds
from harness.evaluation.trust import check, hooks_for
from harness.records import Prediction

SHARED = Path(__file__).resolve().parents[3] / "shared" / "real-swebench"
if not (SHARED / "rows.jsonl").is_file():
    pytest.skip(f"no real SWE-bench logs at {SHARED}", allow_module_level=True)
INSTANCES = {i.instance_id: i for i in get_benchmark(str(SHARED / "rows.jsonl")).load()}
RUNS = [(iid, kind) for iid in sorted(INSTANCES) for kind in ("gold", "noop")]


def log_of(tmp_path: Path, iid: str, kind: str) -> Path:
    path = tmp_path / f"{kind}.test_output.txt"
    path.write_bytes(gzip.decompress((SHARED / "logs" / iid / f"{kind}.test_output.txt.gz").read_bytes()))
    return path


def graded(iid: str, kind: str, tmp_path: Path) -> tuple[Grade, Path]:
    instance = INSTANCES[iid]
    patch = instance.patch if kind == "gold" else "diff --git a/REALSWE_NOOP.txt b/REALSWE_NOOP.txt\n"
    path = log_of(tmp_path, iid, kind)
    return grade_log(instance, Prediction(iid, patch, "real"), path), path


def test_all_six_runners_are_here():
    assert {i.log_parser for i in INSTANCES.values()} == {
        "parse_log_django", "parse_log_sympy", "parse_log_pytest", "parse_log_sphinx", "parse_log_xarray"}


@pytest.mark.parametrize(("iid", "kind"), RUNS)
def test_grading_equals_the_official_report(iid, kind, tmp_path):
    grade, _ = graded(iid, kind, tmp_path)
    official = json.loads((SHARED / "logs" / iid / f"{kind}.report.json").read_text())[iid]
    assert (grade.parsed, grade.resolved) == (official["patch_successfully_applied"], official["resolved"])
    ours = {}
    for expected in (FAIL_TO_PASS, PASS_TO_PASS):
        names = [t for t, (e, _) in grade.tests.items() if e == expected]
        ok = [t for t in names if holds(expected, t, {t: grade.tests[t][1]})]
        ours[expected] = {"success": sorted(ok), "failure": sorted(set(names) - set(ok))}
        theirs = official["tests_status"][expected]
        assert ours[expected] == {k: sorted(v) for k, v in theirs.items()}, expected
    assert (kind == "gold") == official["resolved"]


# What each runner's hooks would have recorded, read back from the log in the hooks' own naming.
_UNITTEST = {"ok": "PASSED", "FAIL": "FAILED", "ERROR": "ERROR"}
_SYMPY = {"ok": "PASSED", "F": "FAILED", "E": "ERROR"}
_PYTEST = re.compile(r"^(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) (\S+)", re.M)


def hook_records(runner: str, text: str) -> list[dict]:
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)  # Sphinx's tox.ini asks pytest for colour
    tests: dict[str, str] = {}
    if runner == "pytest":
        tests = {name: status for status, name in _PYTEST.findall(text)}
    elif runner == "sympy":
        tests = {m[1]: _SYMPY[m[2]] for m in re.finditer(r"^(test_\w+) (ok|F|E)\b", text, re.M)}
    else:  # unittest at verbosity 2: `str(test)`, the docstring's line if any, ` ... `, the word
        described = pending = None  # (the word may come lines later, after the test's output)
        for line in text.splitlines():
            if re.fullmatch(r"\w+ \([\w.]+\)", line):
                described = line
            if " ... " in line:
                head, word = line.split(" ... ", 1)
                pending = head if re.fullmatch(r"\w+ \([\w.]+\)", head) else f"{described}\n{head}"
            elif pending and line.strip() in _UNITTEST:
                word = line.strip()
            else:
                continue
            if word.strip() in _UNITTEST:
                tests[pending], pending = _UNITTEST[word.strip()], None
    head = [{"runner": runner, "event": "start", "pid": 1}]
    tail = [{"runner": runner, "event": "finish", "tampered": [], "pid": 1}]
    return head + [{"runner": runner, "event": "test", "test": t, "status": s, "pid": 1}
                   for t, s in tests.items()] + tail


@pytest.mark.parametrize("iid", sorted(INSTANCES))
def test_the_hooks_check_accepts_every_real_gold_log(iid, tmp_path):
    grade, path = graded(iid, "gold", tmp_path)
    runner = hooks_for(INSTANCES[iid].log_parser)
    records = hook_records(runner, path.read_text())
    assert len(records) > 3
    report = "\n".join(json.dumps(r) for r in records)
    assert grade.resolved and check(INSTANCES[iid].log_parser, grade, report).problem == ""
    # ... and refuses it when the run never finished
    assert check(INSTANCES[iid].log_parser, grade, "\n".join(json.dumps(r) for r in records[:-1])).problem
