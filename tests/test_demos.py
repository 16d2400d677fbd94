import random
import re
import shutil

import pytest

from harness.agent.actions import Action, FormatError, parse_text, render_text
from harness.benchmarks.swe_mini import SWE_MINI
from harness.demos import Recoveries, build_demos, demo_run_id, edits, expert_turns, garbling, misnamed
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


def test_recoveries_pick_a_share_of_instances_by_their_id_alone():
    """The same instance makes the same mistake in every corpus, and a smaller share picks a subset."""
    ids = [f"swe-gen__t{n}-1" for n in range(4000)]
    picked = [Recoveries(names=0.3).mistake(i) for i in ids]
    assert 0.28 < sum(p is not None for p in picked) / len(ids) < 0.32
    assert {p for p in picked if p} == {"module", "path"}
    assert all(Recoveries().mistake(i) is None and Recoveries(names=1.0).mistake(i) for i in ids)
    smaller = (Recoveries(names=0.1).mistake(i) for i in ids)
    assert all(s is None or s == p for s, p in zip(smaller, picked, strict=True))
    wrong = misnamed("monubu_archive", "swe-gen__monubu_archive-1")
    assert wrong != "monubu_archive" and wrong.endswith("_archive")
    assert wrong == misnamed("monubu_archive", "swe-gen__monubu_archive-1")
    recovering = demo_run_id("swe-gen", "train", prompt="compact", recoveries=Recoveries(names=0.3))
    assert recovering == "demos-swe-gen-v3-train-compact-r0.3-e2"


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
def test_a_recovering_demonstration_meets_the_real_error_and_still_resolves(tmp_store, tmp_path):
    """Each mistake's turn is stored untrained, the observation after it is the sandbox's own error,
    the next turn names the file the search found, and the episode resolves."""
    from harness.benchmarks.swe_gen import SWE_GEN

    instances = SWE_GEN.load("train")[:8]
    every = Recoveries(names=1.0)
    kinds = {i.instance_id: every.mistake(i.instance_id) for i in instances}
    assert set(kinds.values()) == {"module", "path"}
    build_demos(instances, tmp_store, "local", 2, root=tmp_path, show_progress=False, prompt="compact",
                recoveries=every)
    run_id = demo_run_id("swe-gen", "train", prompt="compact", recoveries=every)
    rows = tmp_store.rows(RolloutRow, run_id=run_id)
    assert len(rows) == 8 and all(r.exit_reason == "finished" for r in rows)
    errors = {"module": "ModuleNotFoundError: No module named", "path": "does not exist"}
    for row in rows:
        traj = Trajectory.load(tmp_store.artifact(row.trajectory_path))
        (wrong,) = [k for k, turn in enumerate(traj.turns) if not turn.trained]
        said = [k for k, m in enumerate(traj.messages) if m["role"] == "assistant"]
        module = row.instance_id.removeprefix("swe-gen__").removesuffix("-1")
        assert module not in traj.messages[said[wrong]]["content"]
        assert errors[kinds[row.instance_id]] in traj.messages[said[wrong] + 1]["content"]
        assert f"the search found `{module}.py`" in traj.messages[said[wrong + 1]]["content"]
    predictions = [Prediction(r.instance_id, r.patch, r.run_id, r.sample_index) for r in rows]
    verdicts = evaluate("swe-gen", predictions, tmp_store, "fast", 2, "recovering.fast", "local",
                        show_progress=False, instances={i.instance_id: i for i in instances})
    assert verdicts.resolved == 8


@pytest.mark.parametrize("kind", ["edits", "formats"])
def test_later_recoveries_are_drawn_apart_from_the_other_mistakes(kind: str):
    """A share of instances by id alone, a subset at a smaller share, and a run id of their own."""
    ids = [f"swe-gen__t{n}-1" for n in range(4000)]
    drawn = {"edits": Recoveries.misedits, "formats": lambda r, i: r.garbled(i) is not None}[kind]
    shares = Recoveries(names=0.3, **{kind: 0.3})
    picked = [drawn(shares, i) for i in ids]
    assert 0.28 < sum(picked) / len(ids) < 0.32
    assert all(not drawn(Recoveries(**{kind: 0.1}), i) or p for i, p in zip(ids, picked, strict=True))
    both = sum(p and shares.mistake(i) is not None for i, p in zip(ids, picked, strict=True))
    assert 0.07 < both / len(ids) < 0.11  # independent draws: about 0.3 x 0.3
    tag = {"edits": "x", "formats": "f"}[kind]
    assert demo_run_id("swe-gen", "train", prompt="compact", recoveries=shares) == (
        f"demos-swe-gen-v3-train-compact-r0.3-{tag}0.3-e2")
    assert Recoveries(0.3, 0.2, 0.1).suffix() == "-r0.3-x0.2-f0.1"


# what each kind's mistaken turn holds, the real answer to it, and the turn that puts it right
AFTER_THE_MISTAKE = {
    "edits": ("<parameter=command>str_replace</parameter>", "No replacement was performed",
              "<parameter=command>view</parameter>"),
    "formats": ("<parameter=", "No function call found", "<function="),
}


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
@pytest.mark.parametrize("kind", ["edits", "formats"])
def test_a_mistaken_turn_meets_the_real_error_then_is_put_right_and_resolves(tmp_store, tmp_path, kind):
    """The mistake (an edit of the fixed line; a call without its opening tag) is the one untrained turn,
    the sandbox or the loop answers it with its own error, the next turn puts it right, and the episode
    resolves."""
    from harness.benchmarks.swe_gen import SWE_GEN

    instances = SWE_GEN.load("train")[:6]
    every = Recoveries(**{kind: 1.0})
    build_demos(instances, tmp_store, "local", 2, root=tmp_path, show_progress=False, prompt="compact",
                recoveries=every)
    run_id = demo_run_id("swe-gen", "train", prompt="compact", recoveries=every)
    rows = tmp_store.rows(RolloutRow, run_id=run_id)
    assert len(rows) == 6 and all(r.exit_reason == "finished" for r in rows)
    said_wrong, answer, right = AFTER_THE_MISTAKE[kind]
    for row in rows:
        traj = Trajectory.load(tmp_store.artifact(row.trajectory_path))
        (wrong,) = [k for k, turn in enumerate(traj.turns) if not turn.trained]
        said = [k for k, m in enumerate(traj.messages) if m["role"] == "assistant"]
        assert said_wrong in traj.messages[said[wrong]]["content"]
        assert answer in traj.messages[said[wrong] + 1]["content"]
        assert right in traj.messages[said[wrong + 1]]["content"]
        assert (traj.turns[wrong].action is None) == (kind == "formats")
    predictions = [Prediction(r.instance_id, r.patch, r.run_id, r.sample_index) for r in rows]
    verdicts = evaluate("swe-gen", predictions, tmp_store, "fast", 2, f"{kind}.fast", "local",
                        show_progress=False, instances={i.instance_id: i for i in instances})
    assert verdicts.resolved == 6


def test_a_garbled_turn_is_an_untrained_copy_without_its_opening_tag_before_a_trained_turn():
    """Whatever the draw, the garbled copy cannot be parsed, is not trained, and stands right before the
    trained turn it copies; an untrained turn is never the one copied."""
    call = lambda thought, name, params: f"{thought}\n\n" + render_text(Action(name, params))  # noqa: E731
    turns = [(call("Read it.", "file_editor", {"command": "view", "path": "/t/f.py"}), True),
             (call("Wrong.", "execute_bash", {"command": "ls"}), False),
             (call("Done.", "finish", {"message": "done"}), True)]
    for draw, (copied, name) in ((0, (0, "file_editor")), (1, (2, "finish")), (2, (0, "file_editor")),
                                 (7, (2, "finish"))):
        out = garbling(turns, draw)
        k = out.index(turns[copied])
        assert len(out) == 4 and out[k - 1][1] is False and out[:k - 1] + out[k:] == turns
        assert out[k - 1][0] == turns[copied][0].replace(f"<function={name}>\n", "")
        with pytest.raises(FormatError, match="No function call found"):
            parse_text(out[k - 1][0])


def test_only_the_first_edit_is_ever_mistaken():
    """The mistaken edit replaces the fixed line while the file is untouched; when the first edit's fixed
    line is already in the file, no later edit (on a file the first changed) is mistaken instead."""
    from harness.benchmarks.swe_gen import SWE_GEN

    instance = SWE_GEN.load("train")[0]
    reproduction = SWE_GEN.reproduction(instance)
    base = "a = 1\nb = 2\n\n\n\nc = 3\nd = 4\n"
    fixed = {"f.py": "a = 1\nb = 2\n\n\n\nc = 30\nd = 4\n"}
    first_twice = {"f.py": "a = 1\na = 1\n\n\n\nc = 30\nd = 4\n"}  # its fixed line `a = 1` is in the file

    def untrained(new: dict[str, str]) -> list[str]:
        turns = expert_turns(instance, {"f.py": base}, new, None, reproduction, misedit=True)
        return [text for text, trained in turns if not trained]

    (wrong,) = untrained(fixed)
    assert "<parameter=old_str>\nc = 30\n" in wrong
    assert len(edits(base, first_twice["f.py"])) == 2 and untrained(first_twice) == []
