"""The seeded swe-gen generator: each task is a small module of 2-4 functions (templates.py) with a
pytest file, one function carrying one bug. The base tree holds the bug and the tests it passes;
the test patch adds the calls the bug gets wrong (FAIL_TO_PASS, found by running both versions);
the issue text reports one of them as a user would (the call, what it returned, what was
expected), never the fix. Module and function names are made-up words; no test-split name occurs in
the train split.
Same seed and sizes, same bytes."""

from __future__ import annotations

import difflib
import random
from dataclasses import dataclass
from datetime import date, timedelta

from harness.benchmarks.swe_gen.templates import TEMPLATES, Bug, Template

VERSION = 3  # bump when the generator's output changes for a seed

# Names are made-up words of 2-3 syllables (over 300,000 of them), fresh for every task: a model can
# only name the function an issue reports by copying it, not by recalling a small vocabulary of
# training names (a pilot trained on 80 real words wrote a training noun for every unseen test noun).
CONSONANTS, VOWELS = "bdfgklmnprstvz", "aeiou"
MODULE_THINGS = (
    "ledger", "parcel", "ticket", "roster", "bakery", "garage", "clinic", "market", "studio", "harbor",
    "orchard", "library", "pantry", "kennel", "bistro", "depot", "forge", "gallery", "hostel", "lodge",
    "mill", "nursery", "office", "quarry", "ranch", "school", "tavern", "vault", "workshop", "yard",
    "archive", "brewery", "cinema", "dairy", "estate", "florist", "gym", "hangar", "inn", "kiosk",
    "laundry", "museum", "outpost", "pharmacy", "radio", "salon", "tailor", "theatre", "venue", "wharf",
)
STATEMENTS = (
    "# `{func}` returns the wrong value\n\n`{call}` returns `{got}`, but it should return `{want}`.\n",
    "# Unexpected result from `{func}`\n\nCalling `{call}` gives `{got}`; I expected `{want}`.\n",
    "# `{func}` is wrong for some inputs\n\n```python\n>>> from {module} import {func}\n>>> {call}\n{got}\n"
    "```\n\nThe expected result is `{want}`.\n",
)
STATEMENTS_RAISE = (
    "# `{func}` crashes\n\n`{call}` raises `{got}`; it should return `{want}`.\n",
    "# Error from `{func}`\n\nCalling `{call}` fails with `{got}` instead of returning `{want}`.\n",
)


@dataclass(frozen=True)
class GenTask:
    """One generated task, before it is written as a task-repo entry."""

    instance_id: str
    module: str
    split: str
    bug_kind: str
    created_at: str
    base_files: dict[str, str]  # the tree the agent starts from: bug in, exposing tests out
    fixed_files: dict[str, str]  # the library as the fix and the test patch leave it
    gold_patch: str
    test_patch: str
    fail_to_pass: tuple[str, ...]
    pass_to_pass: tuple[str, ...]
    problem_statement: str


def generate(seed: int = 0, train: int = 3000, test: int = 250) -> list[GenTask]:
    """`train` + `test` tasks; modules, function names and call values differ between the splits."""
    tasks: list[GenTask] = []
    taken: set[str] = set()  # every made-up word the train split used: the test split avoids them
    for split, count in (("train", train), ("test", test)):
        words = _Words(random.Random(f"{seed}:{split}:words"), frozenset(taken))
        split_rng = random.Random(f"{seed}:{split}")
        while sum(t.split == split for t in tasks) < count:
            task = _task(split_rng, split, words, len(tasks))
            if task is not None:
                tasks.append(task)
        taken |= words.used
    return tasks


class _Words:
    """Made-up words, each given out once per split and never one in `avoid`."""

    def __init__(self, rng: random.Random, avoid: frozenset[str]) -> None:
        self.rng, self.avoid, self.used = rng, avoid, set()

    def new(self) -> str:
        while True:
            word = "".join(self.rng.choice(CONSONANTS) + self.rng.choice(VOWELS)
                           for _ in range(self.rng.randint(2, 3)))
            if word not in self.avoid and word not in self.used:
                self.used.add(word)
                return word


def _task(rng: random.Random, split: str, words: _Words, number: int) -> GenTask | None:
    templates = rng.sample(TEMPLATES, rng.randint(2, 4))
    picked_nouns = [words.new() for _ in templates]
    funcs = [(t, t.function_name(n), n) for t, n in zip(templates, picked_nouns, strict=True)]
    target = rng.randrange(len(funcs))
    template, func, noun = funcs[target]
    bug = rng.choice(template.bugs)
    calls = {name: t.calls(rng) for t, name, _ in funcs}
    bodies = {buggy: _bodies(funcs, bug if buggy else None, noun) for buggy in (False, True)}
    fixed_ns, buggy_ns = _namespace(bodies[False]), _namespace(bodies[True])
    passing: list[tuple[str, tuple, object]] = []
    failing: list[tuple[str, tuple, object, str]] = []
    for name, args in ((n, a) for n, cs in calls.items() for a in cs):
        want, _ = _call(fixed_ns[name], args)
        if want is _RAISED:
            continue
        got, shown = _call(buggy_ns[name], args)
        if got is _RAISED or got != want:  # what the test's `==` sees
            failing.append((name, args, want, shown))
        else:
            passing.append((name, args, want))
    if not failing:
        return None
    module = f"{words.new()}_{rng.choice(MODULE_THINGS)}"
    instance_id = f"swe-gen__{module}-1"
    head = f'"""{module.replace("_", " ").capitalize()}: small helpers."""\n\n\n'
    source = {buggy: head + text for buggy, text in bodies.items()}
    test_path, mod_path = f"tests/test_{module}.py", f"{module}.py"
    base_tests, tests_ids = _tests(module, [f for _, f, _ in funcs], passing, [])
    fixed_tests, all_ids = _tests(module, [f for _, f, _ in funcs], passing, failing)
    name, args, want, got = failing[0]
    call = f"{name}({', '.join(map(repr, args))})"
    raised = got.startswith("raises ")
    statement = rng.choice(STATEMENTS_RAISE if raised else STATEMENTS).format(
        func=name, call=call, got=got.removeprefix("raises ") if raised else got, want=repr(want),
        module=module)
    created = date(2026, 2, 1) + timedelta(days=number % 300)
    return GenTask(
        instance_id=instance_id, module=module, split=split, bug_kind=bug.kind,
        created_at=f"{created.isoformat()}T12:00:00Z",
        base_files={mod_path: source[True], test_path: base_tests},
        fixed_files={mod_path: source[False], test_path: fixed_tests},
        gold_patch=_diff(mod_path, source[True], source[False]),
        test_patch=_diff(test_path, base_tests, fixed_tests),
        fail_to_pass=tuple(sorted(f"{test_path}::{t}" for t in all_ids if t not in tests_ids)),
        pass_to_pass=tuple(sorted(f"{test_path}::{t}" for t in tests_ids)),
        problem_statement=statement,
    )


_RAISED = object()


def _bodies(funcs: list[tuple[Template, str, str]], bug: Bug | None, noun: str) -> str:
    """The module's functions as written (below its docstring): the one with `noun` carries `bug`."""
    return "\n\n".join(t.render(n, bug if n == noun else None) for t, _, n in funcs)


def _namespace(bodies: str) -> dict:
    """The functions executed: the expected values come from the very text the task ships."""
    namespace: dict = {}
    exec(bodies, namespace)  # our own generated source
    return namespace


def _call(function, args: tuple) -> tuple[object, str]:
    """(the result, or _RAISED; what a user sees: its repr, or `raises Type: message`), on copies of
    list arguments."""
    try:
        result = function(*[list(a) if isinstance(a, list) else a for a in args])
    except Exception as exc:
        return _RAISED, f"raises {type(exc).__name__}: {exc}"
    return result, repr(result)


def _tests(module: str, names: list[str], passing: list, failing: list) -> tuple[str, list[str]]:
    """The test file: one test per call, passing calls first (numbered per function), then failing."""
    lines = [f"from {module} import {', '.join(sorted(names))}\n"]
    ids: list[str] = []
    counts: dict[str, int] = {}
    for name, args, want, *_ in [*passing, *failing]:
        counts[name] = counts.get(name, 0) + 1
        test = f"test_{name}_{counts[name]}"
        ids.append(test)
        lines.append(f"\n\ndef {test}():\n    assert {name}({', '.join(map(repr, args))}) == {want!r}\n")
    return "".join(lines), ids


def _diff(path: str, before: str, after: str) -> str:
    body = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                f"a/{path}", f"b/{path}")
    return f"diff --git a/{path} b/{path}\n" + "".join(body)
