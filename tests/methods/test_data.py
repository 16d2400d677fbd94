"""The training data path: selection rules (PAPER.md), assistant-only masks, token-in token-out,
cut-offs with their DropReport, and the loaders (JSONL, store round trip)."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import pytest
from transformers import AutoTokenizer

from harness.errors import BadInput
from harness.provenance import run_row
from harness.records import EvaluationRow
from harness.trajectory import Trajectory, Turn
from methods.data import (
    DRILL,
    Example,
    build_dpo,
    build_kto,
    build_sft,
    examples_from_jsonl,
    examples_from_store,
    render,
    select_pairs,
    to_dataset,
    training_tokenizer,
)
from methods.data.build import DropReport

SYSTEM = {"role": "system", "content": "You fix bugs."}
END = "<|im_end|>"


@pytest.fixture(scope="module")
def tok(tiny_model_dir: Path):
    return AutoTokenizer.from_pretrained(tiny_model_dir)


def chat(instance_id: str, *turns: str) -> list[dict]:
    """System, issue, then each assistant turn followed by an observation (none after the last)."""
    messages = [SYSTEM, {"role": "user", "content": f"Fix {instance_id}."}]
    for i, text in enumerate(turns):
        messages.append({"role": "assistant", "content": text})
        if i < len(turns) - 1:
            messages.append({"role": "user", "content": f"observation {i}"})
    return messages


def ex(instance_id: str, k: int, reward: float, finished: bool = True, turns=("look", "finish"),
       token_ids=()) -> Example:
    return Example(instance_id, chat(instance_id, *turns), reward, finished, list(token_ids), "run", k)


def masked_spans(tok, ids: list[int], mask: list[int]) -> list[str]:
    assert len(ids) == len(mask)
    spans, current = [], []
    for token, keep in zip([*ids, 0], [*mask, 0], strict=True):
        if keep:
            current.append(token)
        elif current:
            spans.append(tok.decode(current))
            current = []
    return spans


# ---------------------------------------------------------------- selection


def test_pairs_are_one_to_one_seeded_and_count_what_they_skip() -> None:
    examples = [
        ex("a", 0, 1), ex("a", 1, 1), ex("a", 2, 1), ex("a", 3, 0), ex("a", 4, 0),
        ex("a", 5, 1, finished=False),
        ex("b", 0, 1), ex("b", 1, 1),  # both pass
        ex("c", 0, 0), ex("c", 1, 0), ex("c", 2, 1, finished=False),  # both fail once unfinished are out
        ex("d", 0, 0), ex("d", 1, 1),
    ]
    report = DropReport("DPO", "pair")
    pairs = select_pairs(examples, seed=3, report=report)
    refs = [(c.ref, r.ref) for c, r in pairs]
    assert [(c.instance_id, c.reward, r.reward) for c, r in pairs] == [("a", 1, 0)] * 2 + [("d", 1, 0)]
    assert refs[2] == ("run#1", "run#0")
    assert sorted(r for _, r in refs[:2]) == ["run#3", "run#4"]  # both failures of `a` used once
    assert len({c for c, _ in refs[:2]}) == 2 and {c for c, _ in refs[:2]} <= {"run#0", "run#1", "run#2"}
    assert report.dropped == {"unfinished": 2, "both_pass": 1, "both_fail": 1, "unpaired": 1}
    shuffled = random.Random(0).sample(examples, len(examples))
    assert [(c.ref, r.ref) for c, r in select_pairs(shuffled, seed=3)] == refs  # input order is irrelevant
    seeds = {tuple((c.ref, r.ref) for c, r in select_pairs(examples, seed=s)) for s in range(20)}
    assert len(seeds) > 1  # the seed picks which success meets which failure


def test_kto_labels_every_finished_trajectory(tok) -> None:
    examples = [ex("a", 0, 1), ex("a", 1, 0), ex("b", 0, 0.0), ex("b", 1, 1, finished=False)]
    rows, report = build_kto(examples, tok)
    assert sorted((r["instance_id"], r["source"], r["label"]) for r in rows) == [
        ("a", "run#0", True), ("a", "run#1", False), ("b", "run#0", False)]
    assert all(type(r["label"]) is bool for r in rows)
    assert report.summary() == "KTO: kept 3 rows; dropped unfinished 1 trajectory"


def test_kto_rows_come_in_a_seeded_order(tok) -> None:
    """TRL's KTO reads rows sequentially, so the builder's order is the training order."""
    examples = [ex(f"i{n}", 0, n % 2) for n in range(12)]
    order = lambda seed: [r["instance_id"] for r in build_kto(examples, tok, seed=seed)[0]]  # noqa: E731
    assert order(0) == order(0) and order(0) != order(1)
    assert order(0) != [e.instance_id for e in examples]


def test_sft_keeps_finished_successes(tok) -> None:
    examples = [ex("a", 0, 1), ex("a", 1, 0), ex("b", 0, 1, finished=False), ex("c", 0, 1)]
    rows, report = build_sft(examples, tok)
    assert [(r["instance_id"], r["source"]) for r in rows] == [("a", "run#0"), ("c", "run#0")]
    assert set(rows[0]) == {"instance_id", "source", "input_ids", "assistant_masks"}
    assert (report.kept, dict(report.dropped)) == (2, {"unresolved": 1, "unfinished": 1})


# ---------------------------------------------------------------- tokens and masks


def test_masks_cover_exactly_the_assistant_turns_and_the_prompt_is_a_prefix(tok) -> None:
    example = ex("a", 0, 1, turns=("Looking at the code.", "def parse(expr):\n    return expr.split()"))
    full = tok.apply_chat_template(example.messages, return_dict=False)
    r = render(tok, example)
    assert r.prompt_ids == tok.apply_chat_template(example.messages[:2], return_dict=False)
    assert r.prompt_ids + r.completion_ids == full
    assert masked_spans(tok, r.completion_ids, r.completion_mask) == [
        "Looking at the code." + END, "def parse(expr):\n    return expr.split()" + END]
    (sft,), _ = build_sft([example], tok)
    assert sft["input_ids"] == full
    assert sft["assistant_masks"] == [0] * len(r.prompt_ids) + r.completion_mask


def test_sft_on_all_tokens_trains_the_same_ids_everywhere(tok) -> None:
    """`tokens="all"` (how the tiny agent is pretrained) keeps the rows and ids and marks every token."""
    examples = [ex("a", 0, 1, turns=("look", "finish")), ex("b", 0, 0)]
    (assistant,), _ = build_sft(examples, tok)
    (every,), report = build_sft(examples, tok, tokens="all")
    assert every["input_ids"] == assistant["input_ids"]
    assert every["assistant_masks"] == [1] * len(every["input_ids"]) != assistant["assistant_masks"]
    assert report.dropped == {"unresolved": 1}
    with pytest.raises(BadInput, match="sft_tokens must be one of assistant, all"):
        build_sft(examples, tok, tokens="observations")


def test_an_untrained_turn_contributes_nothing_to_any_row(tok) -> None:
    """A demonstration's deliberate mistake (Example.untrained) is masked by every builder, all-tokens
    SFT included; its tokens stay in the row (what follows saw them), and every other token trains."""
    turns = ("from wrong import f", "from right import f", "finish")
    plain = ex("a", 0, 1, turns=turns)
    mistaken = dataclasses.replace(plain, untrained=frozenset({0}))
    r = render(tok, mistaken)
    assert r.completion_ids == render(tok, plain).completion_ids
    assert masked_spans(tok, r.completion_ids, r.completion_mask) == ["from right import f" + END,
                                                                      "finish" + END]
    (every,), _ = build_sft([mistaken], tok, tokens="all")
    unmasked = [1 - m for m in every["assistant_masks"]]
    assert masked_spans(tok, every["input_ids"], unmasked) == ["from wrong import f" + END]
    (assistant,), _ = build_sft([mistaken], tok)
    assert assistant["assistant_masks"] == [0] * len(r.prompt_ids) + r.completion_mask
    (kto,), _ = build_kto([mistaken], tok)
    assert kto["completion_mask"] == r.completion_mask


def test_a_drill_trains_only_its_answer_even_on_all_tokens(tok) -> None:
    """A copy drill's question is random words: with `tokens="all"` its row still marks the answer alone."""
    drill = Example("drill-0", [{"role": "user", "content": "Repeat exactly:\nkopa_rule"},
                                {"role": "assistant", "content": "kopa_rule"}], 1.0, True, [], DRILL, 0)
    (row,), _ = build_sft([drill], tok, tokens="all")
    assert masked_spans(tok, row["input_ids"], row["assistant_masks"]) == ["kopa_rule" + END]


def test_dpo_rows_share_the_prompt_and_mask_only_the_assistant(tok) -> None:
    good = ex("a", 0, 1, turns=("fix it", "finish"))
    bad = ex("a", 1, 0, turns=("break it", "observe", "finish"))
    (row,), report = build_dpo([good, bad], tok)
    assert (row["chosen_source"], row["rejected_source"], report.kept) == ("run#0", "run#1", 1)
    assert row["prompt_ids"] == tok.apply_chat_template(good.messages[:2], return_dict=False)
    for side, example in (("chosen", good), ("rejected", bad)):
        assert row["prompt_ids"] + row[f"{side}_ids"] == tok.apply_chat_template(example.messages,
                                                                                   return_dict=False)
        assert masked_spans(tok, row[f"{side}_ids"], row[f"{side}_mask"]) == [
            m["content"] + END for m in example.messages if m["role"] == "assistant"]
    assert to_dataset([row]).column_names == list(row)


def test_sampled_ids_are_kept_verbatim_and_a_length_stop_is_closed(tok) -> None:
    im_end = tok.convert_tokens_to_ids(END)
    first, second = "Looking at the code.", "def parse(expr):"
    by_char = lambda text: [i for c in text for i in tok.encode(c)]  # noqa: E731  same text, other split
    stored = [by_char(first) + [im_end], by_char(second)]  # the second turn hit the token limit
    assert stored[0][:-1] != tok.encode(first) and tok.decode(stored[1]) == second
    r = render(tok, ex("a", 0, 1, turns=(first, second), token_ids=stored))
    spans = [(s, e) for s, e in _runs(r.completion_mask)]
    assert [r.completion_ids[s:e] for s, e in spans] == [stored[0], stored[1] + [im_end]]
    assert (r.replaced, r.closed, r.mismatched) == (2, 1, 0)
    plain = render(tok, ex("a", 0, 1, turns=(first, second)))
    assert r.prompt_ids == plain.prompt_ids
    assert tok.decode(r.completion_ids) == tok.decode(plain.completion_ids)  # same text, other tokens


def test_stored_ids_of_other_text_fall_back_to_the_template(tok) -> None:
    example = ex("a", 0, 1, turns=("look", "finish"), token_ids=[tok.encode("something else"), None])
    r = render(tok, example)
    assert r.completion_ids == render(tok, ex("a", 0, 1)).completion_ids
    assert (r.replaced, r.mismatched) == (0, 1)
    _, report = build_kto([example], tok)
    assert report.notes == {"turns_mismatched": 1}


def test_trl_qwen_training_template_leaves_the_newline_after_im_end_unmasked(tiny_model_dir: Path) -> None:
    """TRL's Qwen training templates put `<|im_end|>\n` inside {% generation %}: the `\n` is never
    sampled, so it is glue (mask 0) while the sampled ids (ending in `<|im_end|>`) are kept."""
    import trl

    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    template = Path(trl.__file__).parent / "chat_templates" / "qwen3_instruct_2507_training.jinja"
    tok.chat_template = template.read_text()
    example = ex("a", 0, 1, turns=("look", "finish"))
    raw = tok.apply_chat_template(example.messages, return_assistant_tokens_mask=True, return_dict=True)
    assert masked_spans(tok, raw["input_ids"], raw["assistant_masks"]) == ["look" + END + "\n",
                                                                          "finish" + END + "\n"]
    by_char = [i for c in "look" for i in tok.encode(c)] + [tok.convert_tokens_to_ids(END)]
    r = render(tok, Example("a", example.messages, 1, True, [by_char, None], "run"))
    assert r.prompt_ids + r.completion_ids != raw["input_ids"]  # the first turn is the stored split
    assert masked_spans(tok, r.completion_ids, r.completion_mask) == ["look" + END, "finish" + END]
    assert [r.completion_ids[s:e] for s, e in _runs(r.completion_mask)][0] == by_char
    assert tok.decode(r.prompt_ids + r.completion_ids) == tok.decode(raw["input_ids"])
    assert (r.replaced, r.closed, r.mismatched) == (1, 0, 0)


def test_a_known_models_template_is_swapped_for_trls_training_template(tiny_model_dir: Path, tmp_path):
    """A tokenizer shipped with Qwen3's own chat template (no generation markers) gets TRL's Qwen3
    training template, so its assistant turns are masked; an unknown template without markers is
    refused with a one-line BadInput."""
    import trl

    templates = Path(trl.__file__).parent / "chat_templates"
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    tok.chat_template = (templates / "qwen3.jinja").read_text()
    tok.save_pretrained(tmp_path / "qwen3")
    assert "{% generation %}" not in AutoTokenizer.from_pretrained(tmp_path / "qwen3").chat_template
    trained = training_tokenizer(str(tmp_path / "qwen3"))
    assert trained.chat_template == (templates / "qwen3_training.jinja").read_text()
    r = render(trained, ex("a", 0, 1, turns=("look", "finish")))
    think = "<think>\n\n</think>\n\n"  # Qwen3's empty reasoning block belongs to the assistant turn
    assert masked_spans(trained, r.completion_ids, r.completion_mask) == [think + "look" + END,
                                                                           think + "finish" + END]
    ours = training_tokenizer(str(tiny_model_dir))  # marked already: kept as it is
    assert ours.chat_template == AutoTokenizer.from_pretrained(tiny_model_dir).chat_template
    tok.chat_template = "{% for m in messages %}{{ m['content'] }}{% endfor %}"
    tok.save_pretrained(tmp_path / "plain")
    with pytest.raises(BadInput, match="no {% generation %} markers"):
        training_tokenizer(str(tmp_path / "plain"))


# ---------------------------------------------------------------- cut-offs and empty sets


def test_cut_off_drops_rows_and_whole_pairs(tok) -> None:
    short, long = ex("a", 0, 1), ex("a", 1, 0, turns=("look " * 40, "finish"))
    limit = len(render(tok, short)) + 5
    assert len(render(tok, long)) > limit
    rows, report = build_kto([short, long], tok, max_length=limit)
    assert [r["source"] for r in rows] == ["run#0"] and report.dropped == {"too_long": 1}
    with pytest.raises(BadInput, match="no DPO pairs left from 2 examples: dropped too_long 1 pair"):
        build_dpo([short, long], tok, max_length=limit)
    rows, report = build_sft([short, ex("b", 0, 1, turns=("look " * 40, "x"))], tok, max_length=limit)
    assert len(rows) == 1 and report.summary() == "SFT: kept 1 row; dropped too_long 1 row"


def test_nothing_left_raises_with_the_counts(tok) -> None:
    examples = [ex("a", 0, 0), ex("a", 1, 0), ex("b", 0, 1), ex("b", 1, 1), ex("c", 0, 0),
                ex("c", 1, 1, finished=False), ex("d", 0, 1, finished=False)]
    with pytest.raises(BadInput) as err:
        build_dpo(examples, tok)
    assert str(err.value) == ("no DPO pairs left from 7 examples: dropped both_fail 2 instances, "
                              "both_pass 1 instance, unfinished 2 trajectories")
    with pytest.raises(BadInput, match="no SFT rows left from 2 examples: dropped unfinished 1 trajectory, "
                                       "unresolved 1 trajectory"):
        build_sft([ex("a", 0, 0), ex("d", 0, 1, finished=False)], tok)
    with pytest.raises(BadInput, match="no KTO rows left from 0 examples: no examples were given"):
        build_kto([], tok)


def test_prompt_mismatch_drops_the_pair(tok) -> None:
    other = ex("a", 1, 0)
    other.messages[0] = {"role": "system", "content": "Another system prompt."}
    with pytest.raises(BadInput, match="prompt_mismatch 1 pair"):
        build_dpo([ex("a", 0, 1), other], tok)


# ---------------------------------------------------------------- loaders


def test_jsonl_import(tmp_path: Path, tok) -> None:
    good = tmp_path / "good.jsonl"
    lines = [{"instance_id": "a", "messages": chat("a", "look"), "reward": 1},
             {"instance_id": "a", "messages": chat("a", "nope"), "reward": 0, "finished": False}]
    good.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n")
    examples = examples_from_jsonl(good)
    assert [(e.instance_id, e.reward, e.finished, e.ref) for e in examples] == [
        ("a", 1.0, True, f"{good}#1"), ("a", 0.0, False, f"{good}#2")]
    assert examples[0].messages == lines[0]["messages"] and examples[0].turn_token_ids == []
    bad = tmp_path / "bad.jsonl"
    for third, problem in (("{not json", "Expecting property name"), ('{"instance_id": "x"}', "missing"),
                           (json.dumps({**lines[0], "reward": "yes"}), "reward must be a number")):
        bad.write_text("\n".join([json.dumps(lines[0]), json.dumps(lines[1]), third]))
        with pytest.raises(BadInput, match=f"bad.jsonl:3: .*{problem}"):
            examples_from_jsonl(bad)
    with pytest.raises(BadInput, match="cannot read"):
        examples_from_jsonl(tmp_path / "absent.jsonl")


def test_store_round_trip(tmp_path: Path, tmp_store, tok) -> None:
    ids = tok.encode("look") + [tok.convert_tokens_to_ids(END)]
    written = []
    for k, (reason, resolved) in enumerate([("finished", True), ("finished", False), ("max_steps", False),
                                            ("finished", None)]):
        turns = [Turn(ids, [-0.1] * len(ids), 9, len(ids), "stop", 0.1),
                 Turn(None, None, 9, 3, "stop", 0.1, trained=k != 1)]
        traj = Trajectory("r1", "a", k, k, "tiny", chat("a", "look", "finish"), turns, reason)
        path = tmp_path / "trajectories" / "r1" / "a" / f"{k}.json"
        traj.save(path)
        written.append(traj.to_row(path))
        if resolved is not None:
            status = "resolved" if resolved else "unresolved"
            written.append(EvaluationRow("r1.fast", "a", k, "fast", "r1", status, resolved, "", "",
                                         1, 1, 0, 0, 0.1, ""))
    tmp_store.write([run_row("r1", "rollout", "swe-mini", {"agent": {"action_format": "text"}}), *written])
    examples = examples_from_store(tmp_store, "r1")
    assert [(e.sample_index, e.reward, e.finished, e.source) for e in examples] == [
        (0, 1.0, True, "r1"), (1, 0.0, True, "r1"), (2, 0.0, False, "r1")]
    assert examples.skipped == {"no_verdict": 1}
    assert examples[0].turn_token_ids == [ids, None] and examples[0].tools is None
    assert [e.untrained for e in examples] == [frozenset(), frozenset({1}), frozenset()]
    rows, report = build_kto(examples, tok)
    assert [r["label"] for r in rows] == [True, False]
    assert report.summary() == ("KTO: kept 2 rows; dropped no_verdict 1 rollout, unfinished 1 trajectory; "
                                "notes turns_replaced 2")
    (pair,), _ = build_dpo(examples, tok)
    assert (pair["chosen_source"], pair["rejected_source"]) == ("r1#0", "r1#1")
    with pytest.raises(BadInput, match="eval id 'r1.full'; stored for this run: r1.fast$"):
        examples_from_store(tmp_store, "r1", "r1.full")
    with pytest.raises(BadInput, match="run 'r2' has no stored rollouts"):
        examples_from_store(tmp_store, "r2", "r1.fast")


def _runs(mask: list[int]) -> list[tuple[int, int]]:
    from methods.data.tokens import assistant_spans

    return assistant_spans(mask)
