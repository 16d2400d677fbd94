"""A training stage killed part-way resumes from its last checkpoint: the same weights as a run never
killed and never checkpointed, each step's row stored once, and no checkpoint left behind."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from method_rows import sft_row, turns
from safetensors.torch import load_file
from transformers import AutoTokenizer, TrainerCallback

import methods.train as train
from harness.store import Store
from methods.recipes import SFT

STEPS, EVERY, KILLED_AT = 6, 2, 5  # the kill falls after the checkpoint at step 4


class Killed(Exception):
    pass


class Steps(TrainerCallback):
    """Records the steps a trainer runs; raises Killed after step `kill_at`."""

    def __init__(self, kill_at: int | None = None) -> None:
        self.kill_at, self.ran = kill_at, []

    def on_step_end(self, _args, state, _control, **_):
        self.ran.append(state.global_step)
        if state.global_step == self.kill_at:
            raise Killed


def watched(monkeypatch, steps: Steps) -> None:
    """Every trainer `fit` builds gets `steps` among its callbacks."""
    monkeypatch.setattr(train, "build_trainer", lambda *a, build=train.build_trainer, **k: build(
        *a, **{**k, "callbacks": [*k["callbacks"], steps]}))


def job(tiny_model_dir: Path, out: Path, **overrides) -> train.FitJob:
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    rows = [sft_row(tok, turns("ls", "a.py", "fixed parse")), sft_row(tok, turns("grep x", "b.py:1", "done"))]
    args = train.trainer_args(out / "trainer", 0, {"max_steps": STEPS, "per_device_train_batch_size": 1,
                                                   "learning_rate": 3e-3, "save_steps": EVERY, **overrides})
    options = {**train.DATA_OPTIONS, "lora": False}
    return train.FitJob("train-sft-resume", SFT, str(tiny_model_dir), rows * 4, args, options, out)


def weights(out: Path) -> dict[str, torch.Tensor]:
    return load_file(out / "merged" / "model.safetensors")


def test_a_killed_stage_resumes_from_its_last_checkpoint(tiny_model_dir, tmp_path, monkeypatch) -> None:
    with Store(tmp_path / "whole.duckdb") as store:
        train.fit(job(tiny_model_dir, tmp_path / "whole", save_strategy="no"), store)  # as before checkpoints

    first, second = Steps(kill_at=KILLED_AT), Steps()
    with Store(tmp_path / "killed.duckdb") as store:
        with monkeypatch.context() as m, pytest.raises(Killed):
            watched(m, first)
            train.fit(job(tiny_model_dir, tmp_path / "killed"), store)
        assert [p.name for p in (tmp_path / "killed" / "trainer").glob("checkpoint-*")] == ["checkpoint-4"]
        watched(monkeypatch, second)
        train.fit(job(tiny_model_dir, tmp_path / "killed"), store)
        steps = store.query("SELECT step FROM training_runs ORDER BY step")

    assert first.ran == [1, 2, 3, 4, 5] and second.ran == [5, 6]  # resumed after the checkpoint at 4
    assert [s for (s,) in steps] == list(range(1, STEPS + 1))
    assert not (tmp_path / "killed" / "trainer").exists()
    whole, resumed = weights(tmp_path / "whole"), weights(tmp_path / "killed")
    assert whole.keys() == resumed.keys()
    assert all(torch.equal(whole[k], resumed[k]) for k in whole)
