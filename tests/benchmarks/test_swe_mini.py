"""swe-mini: enough well-formed tasks, reproducible base trees, no leaked fixes, clear errors."""

from __future__ import annotations

import subprocess
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from swebench.task.repo import load_yaml

from harness.benchmarks import get_benchmark
from harness.benchmarks.eval_script import make_eval_script
from harness.benchmarks.swe_mini import (
    SWE_MINI,
    TASKS,
    author,
    git,
    image_name,
    library,
)
from harness.benchmarks.swe_mini.runners import library_spec
from harness.errors import BadInput

INSTANCES = SWE_MINI.load()
ALL_IDS = [i.instance_id for i in INSTANCES]
ONE_PER_LIBRARY = [f"swe-mini__{lib}-1" for lib in ("cronex", "ignorespec", "tablefmt", "verspec")]


def test_size_and_splits():
    splits = Counter(i.split for i in INSTANCES)
    assert len(INSTANCES) >= 32
    assert splits["train"] >= 20 and splits["test"] >= 10
    assert set(splits) == {"train", "test"}
    assert len({library(i) for i in ALL_IDS}) >= 4
    assert [i.instance_id for i in SWE_MINI.load("train")] == [
        i.instance_id for i in INSTANCES if i.split == "train"
    ]
    assert get_benchmark("swe-mini") is SWE_MINI


@pytest.mark.parametrize("instance", INSTANCES, ids=ALL_IDS)
def test_instance_is_complete(instance):
    lib = library_spec(library(instance.instance_id))
    assert instance.FAIL_TO_PASS
    if lib.runner.log_parser in ("parse_log_pytest", "parse_log_sphinx"):  # pytest ids
        assert all("::" in t for t in instance.FAIL_TO_PASS)
    assert not set(instance.FAIL_TO_PASS) & set(instance.PASS_TO_PASS)
    assert instance.image == image_name(instance.instance_id)
    assert (instance.log_parser, instance.eval_type) == (lib.runner.log_parser, "pass_and_fail")
    assert instance.benchmark == "swe-mini"
    assert instance.repo == f"swe-mini/{library(instance.instance_id)}"
    assert instance.problem_statement.strip() and instance.patch and instance.test_patch
    # the stored eval.sh is the one the authoring tool would generate now
    command = lib.runner.command(instance.test_patch)
    assert instance.eval_script == make_eval_script(instance.base_commit, instance.test_patch, command,
                                                    preamble=lib.preamble)


@pytest.mark.parametrize("instance", INSTANCES, ids=ALL_IDS)
def test_problem_statement_does_not_leak_the_fix(instance):
    added = [line[1:].strip() for line in instance.patch.splitlines()
             if line.startswith("+") and not line.startswith("+++")]
    assert [a for a in added if len(a) > 25 and a in instance.problem_statement] == []


def check_base_tree(instance_id, tmp_path) -> None:
    first = SWE_MINI.checkout(instance_id, tmp_path / "one")
    second = SWE_MINI.checkout(instance_id, tmp_path / "two")
    meta = load_yaml(TASKS / instance_id / "task.yaml")
    assert first == second == meta["base_commit"]
    assert git(tmp_path / "one", "rev-list", "--count", "HEAD").strip() == "1"
    assert git(tmp_path / "one", "status", "--porcelain") == ""
    for patch in ("gold.patch", "test.patch"):  # the fix and its tests are not there yet
        check = subprocess.run(["git", "apply", "--check", str(TASKS / instance_id / patch)],
                               cwd=tmp_path / "one", capture_output=True, text=True)
        assert check.returncode == 0, f"{patch}: {check.stderr}"


@pytest.mark.parametrize("instance_id", ONE_PER_LIBRARY)
def test_checkout_is_reproducible_and_before_the_fix(instance_id, tmp_path):
    check_base_tree(instance_id, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("instance_id", ALL_IDS)
def test_checkout_every_instance(instance_id, tmp_path):
    check_base_tree(instance_id, tmp_path)


def test_unknown_ids_and_split(tmp_path):
    with pytest.raises(BadInput) as err:
        SWE_MINI.load(instance_ids=["swe-mini__nope-1", ALL_IDS[0], "x"])
    assert str(err.value) == "unknown instance ids in swe-mini: swe-mini__nope-1, x"
    test_id = next(i.instance_id for i in INSTANCES if i.split == "test")
    with pytest.raises(BadInput) as err:
        SWE_MINI.load("train", [test_id])
    assert str(err.value) == f"unknown instance ids in swe-mini (train): {test_id}"
    with pytest.raises(BadInput) as err:
        SWE_MINI.load("dev")
    assert str(err.value) == "swe-mini has splits train and test, not 'dev'"
    with pytest.raises(BadInput, match="^unknown swe-mini instance 'swe-mini__nope-1'$"):
        SWE_MINI.checkout("swe-mini__nope-1", tmp_path / "testbed")
    ids = [ALL_IDS[3], ALL_IDS[1]]
    assert [i.instance_id for i in SWE_MINI.load(instance_ids=ids)] == ids


@pytest.fixture
def fast_pytest(monkeypatch):
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # the task suites need none; 2x faster


def test_author_check_two_tasks(fast_pytest):
    ids = ["swe-mini__verspec-1", "swe-mini__tablefmt-2"]
    with ThreadPoolExecutor(2) as pool:  # each runs the task's suite three times
        assert list(pool.map(lambda i: author.build(i, write=False), ids)) == [[], []]


@pytest.mark.slow
def test_author_check_all_tasks(fast_pytest, capsys):
    assert author.main(["check", *ALL_IDS]) == 0
    assert capsys.readouterr().out.splitlines() == [f"{i}: ok" for i in ALL_IDS] + [
        f"{len(ALL_IDS)}/{len(ALL_IDS)} tasks ok"
    ]
