"""The learned verifier: condensation, the judge prompt, its training rows (answer tokens only), the
score from real log-probs of the tiny model, scores matched to trajectories by key, and training
plus scoring end to end on swe-mini."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch
from scripted import RUN, bwrap, scripted_run_fixture  # noqa: F401 (the `scripted_run` fixture)

from harness.backends.hf import HFBackend, continuation_ids
from harness.records import SignalRow
from harness.signals import verifier
from harness.signals.verifier import ANSWERS, condense, judge_messages, score, verifier_signals
from harness.trajectory import Trajectory
from methods.data import Example, build_verifier, training_tokenizer

LOG = [
    {"role": "system", "content": "agent rules"},
    {"role": "user", "content": "ISSUE: parse() drops the last field"},
    {"role": "assistant", "content": "look " * 20},
    {"role": "user", "content": "x" * 4000},
    {"role": "assistant", "content": "edit"},
    {"role": "user", "content": "y" * 8000},
    {"role": "tool", "content": "z" * 100},
]


def test_condense_replaces_the_largest_observations_first_and_never_the_model_or_the_issue() -> None:
    whole = condense(LOG, budget_tokens=10_000)
    assert "agent rules" not in whole and "x" * 4000 in whole and "y" * 8000 in whole
    cut = condense(LOG, budget_tokens=1500)  # 6,000 characters: dropping the 8,000 is enough
    assert "[... 8000 characters of output omitted ...]" in cut and "x" * 4000 in cut and "z" * 100 in cut
    tight = condense(LOG, budget_tokens=1)
    assert "ISSUE: parse() drops the last field" in tight and "look " * 20 in tight and "edit" in tight
    assert all(f"[... {n} characters of output omitted ...]" in tight for n in (4000, 8000, 100))


def test_judge_prompt_holds_the_log_and_the_patch() -> None:
    system, user = judge_messages(LOG, "diff --git a/p.py b/p.py\n")
    assert system["role"] == "system" and "<judgement>YES</judgement>" in system["content"]
    assert "<final_patch>\ndiff --git a/p.py b/p.py\n</final_patch>" in user["content"]
    assert "(empty)" in judge_messages(LOG, " \n")[1]["content"]


def test_training_rows_train_the_answer_only(tiny_model_dir: Path) -> None:
    tok = training_tokenizer(str(tiny_model_dir))
    examples = [Example("i", LOG[1:], reward, True, patch="diff", sample_index=k)
                for k, reward in enumerate((1.0, 0.0))] + [Example("i", LOG[1:], 0.0, False, sample_index=2)]
    rows, report = build_verifier(examples, tok)
    assert report.kept == 3 and report.notes == {"yes": 1, "no": 2}  # unfinished trajectories are judged too
    for row, answer in zip(rows, (ANSWERS[True], ANSWERS[False], ANSWERS[False]), strict=True):
        trained = [t for t, m in zip(row["input_ids"], row["assistant_masks"], strict=True) if m]
        assert tok.decode(trained).strip().startswith(answer)
        assert len(trained) <= len(tok.encode(answer, add_special_tokens=False)) + 2  # + the turn's end


def test_the_score_is_p_yes_over_p_yes_plus_p_no_from_real_log_probs(tiny_model_dir: Path) -> None:
    backend = HFBackend(str(tiny_model_dir), device="cpu")
    chat = judge_messages(LOG, "diff")
    p, yes, no = score(backend, chat)
    ids, cont = continuation_ids(backend._tok, chat, ANSWERS[True])  # by hand: one forward pass
    with torch.no_grad():
        logits = backend._lm(input_ids=torch.tensor([ids + cont])).logits[0].log_softmax(-1)
    assert yes == pytest.approx(sum(logits[len(ids) - 1 + i, t].item() for i, t in enumerate(cont)), abs=1e-4)
    assert p == pytest.approx(math.exp(yes) / (math.exp(yes) + math.exp(no)), rel=1e-6) and 0 < p < 1


class LengthJudge:
    """A fake verifier whose answer depends on the chat it is shown (so a mix-up would show)."""

    def continuation_logprobs(self, messages, continuations):
        return [-(len(messages[-1]["content"]) % 97) / 10, -1.0]

    def prompt_tokens(self, messages):
        return 7

    def close(self) -> None:
        pass


@bwrap
def test_scores_are_stored_under_their_own_trajectory(scripted_run, monkeypatch) -> None:
    monkeypatch.setattr(verifier, "open_backend", lambda kind, model: LengthJudge())
    assert verifier_signals(scripted_run, RUN, "length-judge", show_progress=False) == 6
    stored = {(r.instance_id, r.sample_index): r.value for r in scripted_run.rows(SignalRow, run_id=RUN)}
    for (iid, k, path, patch) in scripted_run.query(
            "SELECT instance_id, sample_index, trajectory_path, patch FROM rollouts WHERE run_id = ? "
            "ORDER BY sample_index DESC", [RUN]):
        messages = Trajectory.load(scripted_run.artifact(path)).messages
        expected, _, _ = score(LengthJudge(), judge_messages(messages, patch))
        assert stored[(iid, k)] == pytest.approx(expected)
    assert len(set(stored.values())) > 1
    assert verifier_signals(scripted_run, RUN, "length-judge", show_progress=False) == 0  # resumes


@pytest.mark.slow
@bwrap
def test_the_verifier_trains_on_swe_mini_and_scores_a_run(cli, scripted_run, tiny_model_dir) -> None:
    done = cli("train", "-C", "swe-mini", "--method", "verifier", "--model", str(tiny_model_dir),
               "--db", "train.duckdb", "-c", "sandbox=local", "-c", "train.preference.instances=6",
               "-c", "method_options.max_steps=3")
    assert done.returncode == 0, done.stderr
    assert "train-verifier-" in done.stdout and "3 steps" in done.stdout
    model = done.stdout.split("model: ")[1].split()[0]
    assert verifier_signals(scripted_run, RUN, model, show_progress=False) == 6
    scores = scripted_run.query("SELECT value, detail->>'model', CAST(detail->>'tokens' AS INT) FROM signals "
                                "WHERE name = 'verifier'")
    assert len(scores) == 6 and all(0 < p < 1 and m == model and n > 100 for p, m, n in scores)
