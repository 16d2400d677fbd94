"""Every trainer trains: three steps on the tiny model (CPU, fp32), the same batch each step, the loss
goes down. Also the configs: the released defaults and the refusals."""

from __future__ import annotations

import copy

import pytest
from method_rows import dataset, fast, kto_rows, pair_rows, sft_row, turns
from transformers import AutoModelForCausalLM, AutoTokenizer

from methods.dpo import MultiTurnDPOConfig, MultiTurnDPOTrainer
from methods.entropo_dpo import EntropoDPOConfig, EntropoDPOTrainer
from methods.entropo_kto import EntropoKTOConfig, EntropoKTOTrainer
from methods.kto import MultiTurnKTOConfig, MultiTurnKTOTrainer
from methods.sft import MultiTurnSFTConfig, MultiTurnSFTTrainer

STEPS = dict(max_steps=3, learning_rate=3e-3, lr_scheduler_type="constant", warmup_steps=0)


@pytest.fixture(scope="module")
def tok(tiny_model_dir):
    return AutoTokenizer.from_pretrained(tiny_model_dir)


def losses(trainer) -> list[float]:
    trainer.train()
    return [entry["loss"] for entry in trainer.state.log_history if "loss" in entry]


def assert_goes_down(values: list[float]) -> None:
    assert len(values) == 3
    assert all(b < a for a, b in zip(values, values[1:], strict=False)), values


@pytest.mark.parametrize(
    ("trainer_cls", "config_cls", "extra"),
    [
        (MultiTurnDPOTrainer, MultiTurnDPOConfig, {}),
        (EntropoDPOTrainer, EntropoDPOConfig, {"alpha": 0.11}),
    ],
)
def test_dpo_trainers_train(tiny_model_dir, tok, tmp_path, trainer_cls, config_cls, extra) -> None:
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    args = fast(config_cls, tmp_path, per_device_train_batch_size=2, train_sampling_strategy="sequential",
                **STEPS, **extra)
    trainer = trainer_cls(
        model, ref_model=copy.deepcopy(model), args=args, train_dataset=dataset(pair_rows(tok) * 4),
        processing_class=tok,
    )
    assert_goes_down(losses(trainer))


@pytest.mark.parametrize(
    ("trainer_cls", "config_cls", "extra"),
    [
        (MultiTurnKTOTrainer, MultiTurnKTOConfig, {}),
        (EntropoKTOTrainer, EntropoKTOConfig, {"alpha": 0.11, "value_form": "released"}),
        (EntropoKTOTrainer, EntropoKTOConfig, {"alpha": 0.11, "value_form": "trl"}),
        (EntropoKTOTrainer, EntropoKTOConfig, {"alpha": 0.11, "value_form": "implicit"}),
    ],
)
def test_kto_trainers_train(tiny_model_dir, tok, tmp_path, trainer_cls, config_cls, extra) -> None:
    args = fast(config_cls, tmp_path, per_device_train_batch_size=4, **STEPS, **extra)
    trainer = trainer_cls(
        str(tiny_model_dir), args=args, train_dataset=dataset(kto_rows(tok) * 4), processing_class=tok
    )
    assert_goes_down(losses(trainer))
    if trainer_cls is EntropoKTOTrainer:  # every logged step says where z0 stood and whether it clamped
        steps = [log for log in trainer.state.log_history if "loss" in log]
        assert steps and all({"z0", "z0/unclamped", "z0/clamped"} <= set(log) for log in steps)


def test_sft_trainer_trains(tiny_model_dir, tok, tmp_path) -> None:
    rows = [sft_row(tok, turns("ls", "a.py", "fixed parse")), sft_row(tok, turns("grep x", "b.py:1", "done"))]
    args = fast(MultiTurnSFTConfig, tmp_path, per_device_train_batch_size=2, **STEPS)
    trainer = MultiTurnSFTTrainer(str(tiny_model_dir), args=args, train_dataset=dataset(rows * 4),
                                  processing_class=tok)
    assert_goes_down(losses(trainer))


def test_configs_carry_the_released_defaults(tmp_path) -> None:
    dpo = EntropoDPOConfig(output_dir=str(tmp_path), bf16=False)
    kto = EntropoKTOConfig(output_dir=str(tmp_path), bf16=False)
    for config in (dpo, kto):
        assert (config.alpha, config.beta, config.learning_rate) == (0.11, 0.1, 1e-5)
        assert config.num_train_epochs == 1.0
        assert (config.lr_scheduler_type.value, config.warmup_steps) == ("cosine", 0.1)
    assert (dpo.max_length, dpo.per_device_train_batch_size, dpo.loss_type) == (12000, 1, ["sigmoid"])
    assert (kto.max_length, kto.per_device_train_batch_size, kto.value_form) == (18000, 2, "released")
    assert MultiTurnSFTConfig(output_dir=str(tmp_path), bf16=False).max_length == 18000


@pytest.mark.parametrize(
    ("config_cls", "kwargs", "message"),
    [
        (MultiTurnKTOConfig, {"per_device_train_batch_size": 1}, "needs at least 2 rows per device batch"),
        (EntropoKTOConfig, {"value_form": "paper"}, "value_form='paper'"),
        (EntropoKTOConfig, {"alpha": 0.0}, "α > 0"),
        (EntropoDPOConfig, {"loss_type": "ipo"}, "ENTROPO-DPO is the sigmoid loss"),
        (EntropoDPOConfig, {"use_weighting": True}, "ENTROPO-DPO is the sigmoid loss"),
    ],
)
def test_configs_refuse_what_the_loss_cannot_do(tmp_path, config_cls, kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        config_cls(output_dir=str(tmp_path), bf16=False, **kwargs)


def test_kto_with_only_desirable_rows_trains(tiny_model_dir, tok, tmp_path) -> None:
    """Regression: TRL divided by zero averaging the empty `rejected` metric lists of such a run."""
    rows = [r for r in kto_rows(tok) if r["label"]] * 4
    args = fast(EntropoKTOConfig, tmp_path, per_device_train_batch_size=2, **STEPS)
    trainer = EntropoKTOTrainer(str(tiny_model_dir), args=args, train_dataset=dataset(rows),
                                processing_class=tok)
    assert_goes_down(losses(trainer))
