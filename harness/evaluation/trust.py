"""Whether the fast evaluator may trust a test log: the runner's own result hooks (hooks/) must
back every graded test the log counts, the run must have started and finished, and nothing hooked
may have been replaced. Which hooks a run has follows from the instance's log parser: Django's and
SymPy's runners, and pytest for every other Python parser of swebench; other runners have none,
and their logs are graded exactly as the official harness grades them.

The hooks' records are written back as log lines in the runner's own format and read by the same
swebench parser as the log, so a test has one name on both sides (Django's docstring lines,
pytest ids cut at a space). A pytest id also backs its R2E-Gym name (R2E-Gym's eval script logs
tests without their file: `Class.test`), where no test has that name already.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from swebench.harness.log_parsers import PARSER_REGISTRY

from harness.evaluation.grading import Grade, holds

HOOKS_OF_PARSER = {"parse_log_django": "unittest", "parse_log_sympy": "sympy"}
_UNITTEST_WORDS = {"PASSED": "ok", "FAILED": "FAIL", "ERROR": "ERROR", "SKIPPED": "skipped ''",
                   "XFAIL": "expected failure", "XPASS": "unexpected success"}
_SYMPY_MARKS = {"PASSED": "ok", "FAILED": "F", "ERROR": "E"}
_FAILING = ("FAILED", "ERROR")


def hooks_for(log_parser: str) -> str | None:
    """The hooks that back a log of this parser: pytest, unittest, sympy, or None."""
    if log_parser in HOOKS_OF_PARSER:
        return HOOKS_OF_PARSER[log_parser]
    parser = PARSER_REGISTRY.get(log_parser)
    return "pytest" if parser is not None and parser.__module__.endswith("log_parsers.python") else None


@dataclass(frozen=True)
class Trust:
    """`hooks`: the hooks that graded the run (None: the runner has none); `problem`: why the log
    is not trusted, empty when it is."""

    hooks: str | None
    problem: str = ""


def read_report(text: str | None) -> list[dict]:
    records = []
    for line in (text or "").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


def render(hooks: str, outcomes: dict[str, str]) -> str:
    """The hooks' outcomes as the runner prints them, for the log's own parser."""
    if hooks == "unittest":
        return "\n".join(f"{test} ... {_UNITTEST_WORDS[s]}" for test, s in outcomes.items()) + "\n"
    if hooks == "sympy":
        marked = {t: _SYMPY_MARKS[s] for t, s in outcomes.items() if s in _SYMPY_MARKS}
        return "\n".join(f"{test} {mark}" for test, mark in marked.items()) + "\n"
    return "\n".join(f"{s} {test}" for test, s in outcomes.items()) + "\n"


def outcomes(records: list[dict]) -> dict[str, str]:
    """Each test's outcome; a failure in any phase or subtest sticks."""
    out: dict[str, str] = {}
    for r in records:
        if r.get("event") == "test" and out.get(r["test"]) not in _FAILING:
            out[r["test"]] = r["status"]
    return out


def with_r2e_names(outcomes: dict[str, str]) -> dict[str, str]:
    """pytest outcomes plus each id's R2E-Gym name; tests sharing that name share a failure."""
    aliases: dict[str, str] = {}
    for test, status in outcomes.items():
        rest = test.partition("::")[2]
        alias = rest.replace("::", ".")
        if rest and alias not in outcomes and aliases.get(alias) not in _FAILING:
            aliases[alias] = status
    return {**outcomes, **aliases}


def check(log_parser: str, grade: Grade, report: str | None) -> Trust:
    """Does the hooks' report back what the log says of every graded test?"""
    hooks = hooks_for(log_parser)
    if hooks is None:
        return Trust(None)
    records = [r for r in read_report(report) if r.get("runner") == hooks]
    starts = Counter(r.get("pid") for r in records if r.get("event") == "start")
    finishes = Counter(r.get("pid") for r in records if r.get("event") == "finish")
    replaced = sorted({name for r in records for name in r.get("tampered") or ()})
    if not starts:
        return Trust(hooks, f"no {hooks} run started under the result hooks (a stubbed runner?)")
    if replaced:
        return Trust(hooks, f"{hooks} internals were replaced during the run: {', '.join(replaced)}")
    if any(finishes[pid] < n for pid, n in starts.items()):
        return Trust(hooks, f"the {hooks} run did not finish (exited early)")
    ran = with_r2e_names(outcomes(records)) if hooks == "pytest" else outcomes(records)
    backed = PARSER_REGISTRY[log_parser](render(hooks, ran), None)
    for test, (expected, logged) in grade.tests.items():
        if holds(expected, test, {test: logged}) and not holds(expected, test, backed):
            said = backed.get(test, "not run")
            return Trust(hooks, f"log says {test} {logged}, the {hooks} hooks say {said}")
    return Trust(hooks)
