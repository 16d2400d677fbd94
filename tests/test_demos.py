import random
import re
import shutil

import pytest

from harness.benchmarks.swe_mini import SWE_MINI
from harness.demos import build_demos, demo_run_id, edits
from harness.evaluation.run import evaluate
from harness.records import Prediction, RolloutRow
from harness.trajectory import Trajectory


def _apply(text, steps):
    for old, new in steps:
        assert text.count(old) == 1, "every old_str is unique at its turn"
        text = text.replace(old, new, 1)
    return text


@pytest.mark.parametrize("old, new", [
    ("a\nb\nc\n", "a\nB\nc\n"),
    ("x = 1\nx = 1\nx = 1\ny\n", "x = 1\nx = 2\nx = 1\ny\n"),  # repeated lines need context
    ("a\nb\n", "a\nb\nc\n"),  # append
    ("a\nb\n", "z\na\nb\n"),  # prepend
    ("a\nb\nc\n", "a\nc\n"),  # delete
    ("", "new\n"),
    ("no newline", "no newline at end"),
])
def test_edits_reach_the_gold_text(old, new):
    assert _apply(old, edits(old, new)) == new


def test_edits_on_random_line_shuffles():
    rng = random.Random(0)
    for _ in range(200):
        lines = [rng.choice(["a", "b", "c", "pass", ""]) + "\n" for _ in range(rng.randint(0, 12))]
        changed = [line for line in lines if rng.random() > 0.3]
        for _ in range(rng.randint(0, 3)):
            changed.insert(rng.randint(0, len(changed)), rng.choice(["a", "d", "e"]) + "\n")
        old, new = "".join(lines), "".join(changed)
        assert _apply(old, edits(old, new)) == new


def test_one_step_per_separate_change():
    old = "".join(f"line {i}\n" for i in range(20))
    new = old.replace("line 2\n", "LINE 2\n").replace("line 15\n", "LINE 15\n")
    assert edits(old, new) == [("line 2\n", "LINE 2\n"), ("line 15\n", "LINE 15\n")]


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
def test_no_fix_trajectories_read_run_the_tests_finish_and_are_unresolved(tmp_store, tmp_path):
    instances = SWE_MINI.load("train")[:2]
    build_demos(instances, tmp_store, "local", 2, root=tmp_path, show_progress=False, fix=False)
    rows = tmp_store.rows(RolloutRow, run_id=demo_run_id("swe-mini", "train", fix=False))
    assert len(rows) == 2 and all(r.exit_reason == "finished" and not r.patch.strip() for r in rows)
    for row in rows:
        messages = Trajectory.load(tmp_store.artifact(row.trajectory_path)).messages
        tools = [m["content"].split("\n", 1)[0] for m in messages if m["role"] == "user"][1:]
        assert tools[0].startswith("Execution output of [file_editor]")  # the files are read ...
        assert tools[-2:] == ["Execution output of [execute_bash]:", "Execution output of [finish]:"]
    predictions = [Prediction(r.instance_id, r.patch, r.run_id, r.sample_index) for r in rows]
    verdicts = evaluate("swe-mini", predictions, tmp_store, "fast", 2, "nofix.fast", "local",
                        show_progress=False)
    assert verdicts.resolved == 0  # the hidden tests still fail: nothing was fixed


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
def test_the_reproducing_expert_acts_only_on_what_it_has_seen(tmp_store, tmp_path):
    """Every number of a view range is -1 or one the search printed, every old_str is text a view
    showed (a range ending where the function ends would be a guess: nothing showed that line yet),
    and the episode resolves."""
    from harness.benchmarks.swe_gen import SWE_GEN

    instances = SWE_GEN.load("test")[:6]
    build_demos(instances, tmp_store, "local", 2, root=tmp_path, show_progress=False, prompt="compact")
    rows = tmp_store.rows(RolloutRow, run_id=demo_run_id(instances[0].benchmark, "test", prompt="compact"))
    assert len(rows) == 6 and all(r.exit_reason == "finished" for r in rows)
    for row in rows:
        messages = Trajectory.load(tmp_store.artifact(row.trajectory_path)).messages
        seen = ""
        for message in messages[1:]:
            text = message["content"]
            if message["role"] == "user":
                seen += re.sub(r"(?m)^ *\d+\t", "", text) + "\n" + text
                continue
            if view := re.search(r"<parameter=view_range>\[(\d+), (-?\d+)\]", text):
                assert f":{view[1]}:def " in seen and view[2] == "-1", text
            if old := re.search(r"<parameter=old_str>\n(.*?)\n</parameter>", text, re.S):
                assert old[1] in seen, text
    predictions = [Prediction(r.instance_id, r.patch, r.run_id, r.sample_index) for r in rows]
    verdicts = evaluate("swe-gen", predictions, tmp_store, "fast", 2, "expert.fast", "local",
                        show_progress=False, instances={i.instance_id: i for i in instances})
    assert verdicts.resolved == 6
