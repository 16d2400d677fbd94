"""How a swe-mini library's tests run: the same commands, environments and log parsers as the big
SWE-bench repositories (Django's runtests.py, SymPy's bin/test, pytest, tox with tox-current-env).

`libraries.yaml` names each library's runner and the pinned pip set of its environment. An eval
script runs the runner on the files the test patch touches, as SWE-bench's rows do, except the
`pytest-suite` runner of the first four libraries, which runs the whole suite.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from harness.benchmarks.hub import django_labels, test_files
from harness.errors import HarnessError

LIBRARIES_FILE = Path(__file__).with_name("libraries.yaml")
ENV_DIR = "/swe-env"  # the library's environment in its image (and in the local sandbox)
ACTIVATE = f"source {ENV_DIR}/bin/activate"


@dataclass(frozen=True)
class Runner:
    """A test runner: its command on the whole suite and on some test files, and its log's parser."""

    name: str
    log_parser: str
    suite: str  # the whole suite (what an agent or expert types)
    template: str = ""  # on the test patch's files, `{targets}` (or Django labels); none: the suite
    targets: Callable[[Sequence[str]], list[str]] = list

    def command(self, test_patch: str) -> str:
        """The test command for a task, as SWE-bench builds it: the runner on the patch's test files."""
        if not self.template:
            return self.suite
        targets = self.targets(test_files(test_patch))
        return self.template.format(targets=" ".join(shlex.quote(t) for t in targets))


DJANGO = "./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1"
SYMPY = "PYTHONWARNINGS='ignore::UserWarning,ignore::SyntaxWarning' bin/test -C --verbose"
TOX = "tox --current-env -epy311 -v"
RUNNERS = {r.name: r for r in (
    Runner("pytest-suite", "parse_log_pytest", "python3 -m pytest -rA -p no:cacheprovider tests"),
    Runner("pytest", "parse_log_pytest", "pytest -rA", "pytest -rA {targets}"),
    Runner("tox", "parse_log_sphinx", TOX, TOX + " -- {targets}"),
    Runner("django", "parse_log_django", DJANGO, DJANGO + " {targets}", django_labels),
    Runner("sympy", "parse_log_sympy", SYMPY, SYMPY + " {targets}"),
)}


@dataclass(frozen=True)
class Library:
    """A swe-mini library: its runner and the pip pins of its environment (none: the base image's)."""

    name: str
    runner: Runner
    requirements: tuple[str, ...] = ()

    @property
    def preamble(self) -> tuple[str, ...]:
        """Eval-script lines before the tests, like SWE-bench's `conda activate testbed`."""
        return (ACTIVATE,) if self.requirements else ()

    @property
    def suite_command(self) -> str:
        """The whole suite in the library's environment, as one shell command."""
        return " && ".join([*self.preamble, self.runner.suite])


@cache
def libraries() -> dict[str, Library]:
    raw = yaml.safe_load(LIBRARIES_FILE.read_text())
    out = {}
    for name, spec in raw.items():
        if spec.get("runner") not in RUNNERS:
            raise HarnessError(f"{LIBRARIES_FILE.name}: {name}: unknown runner {spec.get('runner')!r}")
        out[name] = Library(name, RUNNERS[spec["runner"]], tuple(spec.get("requirements") or ()))
    return out


def library_spec(name: str) -> Library:
    try:
        return libraries()[name]
    except KeyError:
        raise HarnessError(f"swe-mini library {name!r} is not in {LIBRARIES_FILE.name}") from None
