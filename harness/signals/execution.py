"""Execution signals of one instance's candidates, in real sandboxes: whether each patch applies to
the base commit, how many regression tests still pass with it, and how many of the agents'
reproduction scripts pass with it (every script cross-run against every candidate, R2E-Gym style).

Regression tests are the repository's own tests that pass at the base commit, chosen for the source
files the candidates touch (all test files when none relates). The same set serves every candidate
of the instance, so their counts compare. The sandbox opens the public view of the instance: the
hidden tests, the test patch and the gold patch are never available here.
"""

from __future__ import annotations

import re
import shlex
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from harness.errors import BadInput
from harness.patches import header_paths
from harness.records import PublicInstance
from harness.sandbox import Sandbox, open_sandbox
from harness.signals.static import is_test_file

PYTHON = "$(command -v python || command -v python3)"
PYTEST = f"{PYTHON} -m pytest -rA -p no:cacheprovider"
_LOG = "/tmp/.harness-signal.log"
_PATCH = "/tmp/.harness-candidate.diff"


@dataclass(frozen=True)
class Outcome:
    """One candidate's execution facts (the base commit's, for an empty patch)."""

    applies: bool
    regression: int  # base-passing regression tests that pass with the patch
    reproduction: int  # reproduction scripts that exit 0 with the patch
    broken: tuple[str, ...] = ()  # regression tests the patch broke
    scripts_passing: tuple[int, ...] = ()  # which scripts passed
    seconds: float = 0.0  # its sandbox time plus its share of the base-commit run (the selection cost)


@dataclass(frozen=True)
class Baseline:
    """The base commit: the regression test files, the tests passing there, and its own Outcome."""

    test_files: tuple[str, ...]
    passing: frozenset[str]
    outcome: Outcome


def execution_signals(instance: PublicInstance, patches: Mapping[int, str], scripts: Sequence[str],
                      sandbox: str, test_timeout: float = 600, script_timeout: float = 60
                      ) -> tuple[Baseline, dict[int, Outcome]]:
    """(the base commit's facts, sample index -> Outcome) for the candidates `patches`."""
    began = time.monotonic()
    with open_sandbox(sandbox, instance) as box:
        tests = regression_files(box, _touched(patches.values()))
        passing = _passing(box, tests, test_timeout)
        at_base = _scripts(box, scripts, script_timeout)
    share = (time.monotonic() - began) / max(1, len(patches))
    base = Baseline(tests, passing, Outcome(True, len(passing), len(at_base), (), at_base, share))
    outcomes = {}
    for k, patch in patches.items():
        if not patch.strip():  # nothing changes: the base commit's results
            outcomes[k] = base.outcome
            continue
        began = time.monotonic()
        with open_sandbox(sandbox, instance) as box:
            box.write_file(_PATCH, patch)
            if not box.execute(f"git apply --whitespace=nowarn {_PATCH}", timeout=60).ok:
                outcomes[k] = Outcome(False, 0, 0, seconds=share + time.monotonic() - began)
                continue
            now = _passing(box, tests, test_timeout)
            ran = _scripts(box, scripts, script_timeout)
        outcomes[k] = Outcome(True, len(passing & now), len(ran), tuple(sorted(passing - now)), ran,
                              share + time.monotonic() - began)
    return base, outcomes


def regression_files(box: Sandbox, touched: set[str]) -> tuple[str, ...]:
    """The repository's test files that relate to `touched` source files (by name, or by importing
    the module), or all of them when none does."""
    box.execute(f"git ls-files '*.py' > {_LOG}", timeout=60)  # read back uncapped
    tests = sorted(p for p in box.read_file(_LOG).split()
                   if is_test_file(p) and PurePosixPath(p).name != "conftest.py")
    stems = {PurePosixPath(p).stem for p in touched} - {"__init__"}
    if not tests or not stems:
        return tuple(tests)
    by_name = {t for t in tests if re.sub(r"^test_|_test$", "", PurePosixPath(t).stem) in stems}
    words = "|".join(sorted(map(re.escape, stems)))
    grep = box.execute(f"grep -lwE {shlex.quote(words)} {' '.join(map(shlex.quote, tests))}", timeout=60)
    related = by_name | {line.strip() for line in grep.output.splitlines() if line.strip() in tests}
    return tuple(sorted(related)) or tuple(tests)


def _touched(patches: Sequence[str]) -> set[str]:
    """Source files (not tests, not reproduction scripts) any candidate changes."""
    found = set()
    for patch in patches:
        try:
            found |= {p for p in header_paths(patch) if p.endswith(".py") and not is_test_file(p)}
        except BadInput:
            continue
    return {p for p in found if not PurePosixPath(p).name.lower().startswith("repro")}


def _passing(box: Sandbox, tests: Sequence[str], timeout: float) -> frozenset[str]:
    """Tests that pass when `tests` run (the log is read back uncapped from a file)."""
    from swebench.harness.log_parsers.python import parse_log_pytest

    if not tests:
        return frozenset()
    box.execute(f"{PYTEST} {' '.join(map(shlex.quote, tests))} > {_LOG} 2>&1", timeout=timeout)
    statuses = parse_log_pytest(box.read_file(_LOG), None)
    return frozenset(t for t, status in statuses.items() if status in ("PASSED", "XFAIL"))


def _scripts(box: Sandbox, scripts: Sequence[str], timeout: float) -> tuple[int, ...]:
    """Indices of `scripts` that exit 0, each run from the repository root as the agent ran it."""
    passed = []
    for j, script in enumerate(scripts):
        name = f".harness_repro_{j}.py"
        box.write_file(name, script)
        if box.execute(f"{PYTHON} {name}", timeout=timeout).ok:
            passed.append(j)
    return tuple(passed)
