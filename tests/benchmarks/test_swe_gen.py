"""swe-gen, the generated family: deterministic bytes, a task repo like swe-mini's (its hashes git's
own), splits that share no module, function name or test body, every bug kind present, issue texts
that report the call and never the fix; and every sampled task graded right (gold resolves, empty
does not) by both evaluators."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from harness.benchmarks.swe_gen import SWE_GEN, SweGen
from harness.benchmarks.swe_gen.drill import RECALL, drills
from harness.benchmarks.swe_gen.generate import generate
from harness.benchmarks.swe_gen.templates import BUG_KINDS, TEMPLATES
from harness.evaluation.validate import validate
from harness.store import Store

SMALL = dict(train=40, test=12)


@pytest.fixture(scope="module")
def tasks():
    return generate(0)


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    one, again, other = (SweGen(seed, **SMALL, cache=tmp_path / name).root
                         for seed, name in ((0, "a"), (0, "b"), (1, "c")))
    assert files(one) == files(again)
    assert len(files(one)) == 52 * 6 + 52 * 2 + 1  # six files a task, two a library, the marker
    assert files(one) != files(other)


def test_the_split_sizes_and_the_first_tasks_do_not_depend_on_each_other(tasks) -> None:
    counts = Counter(t.split for t in tasks)
    assert counts == {"train": 3000, "test": 250}
    small = generate(0, **SMALL)
    assert [t.instance_id for t in small if t.split == "train"] == [t.instance_id for t in tasks[:40]]


def test_base_commits_are_gits_own(tmp_path: Path) -> None:
    family = SweGen(0, **SMALL, cache=tmp_path)
    for instance in family.load()[::7]:
        assert family.checkout(instance.instance_id, tmp_path / instance.instance_id) == instance.base_commit


def test_splits_share_no_module_function_or_test_body(tasks) -> None:
    """The contamination check: nothing a test task is graded by occurs in train."""
    def names(t): return set(re.findall(r"^def (\w+)", t.fixed_files[f"{t.module}.py"], re.M))
    def bodies(t):
        return set(re.findall(r"^    assert .*$", t.fixed_files[f"tests/test_{t.module}.py"], re.M))

    train, test = ([t for t in tasks if t.split == s] for s in ("train", "test"))
    assert not {t.module for t in train} & {t.module for t in test}
    assert not set().union(*map(names, train)) & set().union(*map(names, test))
    assert not set().union(*map(bodies, train)) & set().union(*map(bodies, test))


def test_every_bug_kind_is_in_both_splits_and_every_template_can_break(tasks) -> None:
    for split in ("train", "test"):
        assert {t.bug_kind for t in tasks if t.split == split} == set(BUG_KINDS)
    for template in TEMPLATES:
        for bug in template.bugs:
            assert template.source.format(name="f").count(bug.correct) == 1, (template.name, bug)


def test_the_issue_reports_a_failing_call_and_never_the_fix(tasks) -> None:
    for t in tasks:
        added = [line[1:].strip() for line in t.gold_patch.splitlines()
                 if line.startswith("+") and not line.startswith("+++")]
        assert not [a for a in added if a in t.problem_statement], t.instance_id
        broken = t.fail_to_pass[0].split("::test_")[1].rsplit("_", 1)[0]  # the function a failing test calls
        assert re.search(rf"\b{broken}\(.*\)", t.problem_statement), t.instance_id
        assert t.fail_to_pass and set(t.fail_to_pass).isdisjoint(t.pass_to_pass)


def sample_of_every_kind() -> list[str]:
    """The first test task of each bug kind (the registered family: generated once per machine)."""
    first: dict[str, str] = {}
    for instance in SWE_GEN.load("test"):
        meta = (SWE_GEN.root / "tasks" / instance.instance_id / "task.yaml").read_text()
        first.setdefault(re.search(r"^bug_kind: (\w+)$", meta, re.M)[1], instance.instance_id)
    return sorted(first.values())


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
def test_the_whole_test_split_validates_with_fast(tmp_path: Path) -> None:
    with Store(tmp_path / "db.duckdb") as store:
        # 4 sandboxes on 2 cores: 40 tasks took 37 s against 45-47 s with 2 (bubblewrap set-up waits)
        checks = validate("swe-gen", store, "fast", "test", workers=4, sandbox="local", show_progress=False)
    assert len(checks) == 250 and [c for c in checks if not c.ok] == []


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.parametrize("evaluator", ["fast", "official"])
def test_a_task_of_every_bug_kind_validates_in_docker(tmp_path: Path, evaluator: str) -> None:
    ids = sample_of_every_kind()
    assert len(ids) == len(BUG_KINDS)
    with Store(tmp_path / "db.duckdb") as store:
        checks = validate("swe-gen", store, evaluator, instance_ids=ids, sandbox="docker",
                          show_progress=False)
    assert [(c.gold, c.empty) for c in checks] == [(["resolved"], ["empty_patch"])] * len(ids)
    assert [c for c in checks if not c.ok] == []


def test_the_reproduction_shows_what_the_issue_reports(tmp_path: Path) -> None:
    """The expert's first command prints, on the base tree, the wrong result the issue quotes; from
    another module, the same call meets only the missing module."""
    family = SweGen(0, train=0, test=12, cache=tmp_path / "cache")
    for instance in family.load():
        tree = tmp_path / instance.instance_id
        family.checkout(instance.instance_id, tree)
        reproduction = family.reproduction(instance)
        fixed_file = instance.patch.split(" b/", 1)[1].split("\n", 1)[0]
        assert f"def {reproduction.function}(" in (tree / fixed_file).read_text()
        shown = subprocess.run(["bash", "-c", reproduction.command], cwd=tree, capture_output=True, text=True)
        printed = (shown.stdout or shown.stderr.strip().splitlines()[-1]).strip()
        assert printed in instance.problem_statement, (instance.instance_id, printed)
        other = reproduction.importing(f"x_{reproduction.module}")  # the same call, another module
        elsewhere = subprocess.run(["bash", "-c", other], cwd=tree, capture_output=True, text=True)
        assert elsewhere.stderr.strip().splitlines()[-1] == (
            f"ModuleNotFoundError: No module named 'x_{reproduction.module}'")


LOWER_WORD = re.compile(r"(?<![A-Za-z])[a-z]+(?![A-Za-z])")
PROMPT_WORDS = {"repeat", "exactly", "remember", "this", "line", "the", "you", "were", "asked", "to"}


def test_copy_drills_are_seeded_and_never_use_a_task_name(tasks) -> None:
    """Drills ask back exactly the line they showed, in 4-syllable words: no swe-gen name (2-3) is one;
    a recall drill puts distractor lines between the line and the question."""
    texts = [t.problem_statement + "".join(t.base_files.values()) for t in tasks]
    names = {n for text in texts for n in LOWER_WORD.findall(text)}
    recall = rf"Remember this line:\n([^\n]+)\n\n(.*)\n{re.escape(RECALL)}"
    for kind, ask in (("copy", r"Repeat exactly:\n([^\n]+)"), ("recall", recall)):
        chats = drills(50, kind=kind)
        assert chats == drills(50, kind=kind) != drills(50, seed=1, kind=kind)
        fillers = []
        for question, answer in chats:
            assert (question["role"], answer["role"]) == ("user", "assistant")
            shown = re.fullmatch(ask, question["content"], re.S)
            assert shown and shown.group(1) == answer["content"]
            fillers += [shown.group(2).count(" = ")] if kind == "recall" else []
            words = set(LOWER_WORD.findall(question["content"]))
            assert not words & (names - _common_words() - PROMPT_WORDS)
        assert kind == "copy" or (min(fillers) < 10 and max(fillers) > 40)
    with pytest.raises(ValueError, match="drill kind must be one of copy, recall"):
        drills(1, kind="lookup")


def _common_words() -> set[str]:
    """The real words drills and tasks share: template function words and module things."""
    from harness.benchmarks.swe_gen.generate import MODULE_THINGS

    return set(MODULE_THINGS) | {w for t in TEMPLATES for w in re.findall(r"[a-z]+", t.name)}
