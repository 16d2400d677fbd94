"""Every loss against arithmetic written out by hand, through the trainers' real `_compute_loss`: the
policy and reference are `TableLM`s whose token log-probs we choose, so each sequence log-prob is a sum we
can write."""

from __future__ import annotations

import math

import pytest
from method_rows import TableLM, dataset, fast, kto_batch, kto_rows, pair_rows
from transformers import AutoTokenizer

from methods.collators import MultiTurnPreferenceCollator, MultiTurnUnpairedCollator
from methods.dpo import MultiTurnDPOConfig, MultiTurnDPOTrainer
from methods.entropo_dpo import EntropoDPOConfig, EntropoDPOTrainer
from methods.entropo_kto import EntropoKTOConfig, EntropoKTOTrainer
from methods.kto import MultiTurnKTOConfig, MultiTurnKTOTrainer

BETA = 0.1
OBS = {20: -7.0, 21: -7.0, 22: -7.0}  # observation tokens: a masking bug would add these big terms

# Two pairs; observation tokens (mask 0) inside the completions
PAIRS = [
    {"prompt_ids": [1, 2], "chosen_ids": [10, 20, 11], "chosen_mask": [1, 0, 1],
     "rejected_ids": [12, 21, 13], "rejected_mask": [1, 0, 1]},
    {"prompt_ids": [3], "chosen_ids": [14, 22, 15, 16], "chosen_mask": [1, 0, 0, 1],
     "rejected_ids": [17], "rejected_mask": [1]},
]
DPO_POLICY = TableLM({10: -0.5, 11: -0.25, 12: -1.5, 13: -0.75, 14: -0.4, 15: -9, 16: -0.6, 17: -2.0, **OBS})
DPO_REF = TableLM({10: -0.9, 11: -0.6, 12: -1.0, 13: -0.5, 14: -0.8, 15: -9, 16: -0.7, 17: -1.2, **OBS})
# Sums over assistant tokens only, per pair
PI_W, REF_W = [-0.5 + -0.25, -0.4 + -0.6], [-0.9 + -0.6, -0.8 + -0.7]
PI_L, REF_L = [-1.5 + -0.75, -2.0], [-1.0 + -0.5, -1.2]

# Four labelled rows (desirable, undesirable, desirable, undesirable)
KTO = [
    {"prompt_ids": [1, 2], "completion_ids": [10, 20, 11], "completion_mask": [1, 0, 1], "label": True},
    {"prompt_ids": [3], "completion_ids": [12, 21, 13], "completion_mask": [1, 0, 1], "label": False},
    {"prompt_ids": [4, 5], "completion_ids": [14, 15], "completion_mask": [1, 1], "label": True},
    {"prompt_ids": [6], "completion_ids": [16, 22, 17], "completion_mask": [0, 0, 1], "label": False},
]
KTO_POLICY = TableLM({10: -0.2, 11: -0.3, 12: -0.6, 13: -0.1, 14: -0.25, 15: -0.35, 16: -5, 17: -0.5, **OBS})
KTO_REF = TableLM({10: -1.0, 11: -0.8, 12: -0.9, 13: -0.7, 14: -0.6, 15: -1.1, 16: -5, 17: -0.45, **OBS})
PI = [-0.2 + -0.3, -0.6 + -0.1, -0.25 + -0.35, -0.5]
REF = [-1.0 + -0.8, -0.9 + -0.7, -0.6 + -1.1, -0.45]
LABELS = [True, False, True, False]


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def mean(xs: list[float]) -> float:
    return sum(xs) / len(xs)


@pytest.fixture(scope="module")
def build(tiny_model_dir, tmp_path_factory):
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    out = tmp_path_factory.mktemp("losses")
    made = {}

    def make(trainer_cls, config_cls, **config):
        key = (trainer_cls, *sorted(config.items()))
        if key not in made:
            rows = pair_rows(tok) if "DPO" in trainer_cls.__name__ else kto_rows(tok)
            args = fast(config_cls, out, **config)
            made[key] = trainer_cls(
                str(tiny_model_dir), args=args, train_dataset=dataset(rows), processing_class=tok
            )
            made[key].model.eval()
        return made[key]

    return make


def dpo_loss(trainer) -> tuple[float, dict[str, float]]:
    trainer.ref_model = DPO_REF
    batch = MultiTurnPreferenceCollator(pad_token_id=0)(PAIRS)
    loss = trainer._compute_loss(DPO_POLICY, batch, return_outputs=False).item()
    return loss, {key: values[-1] for key, values in trainer._metrics["eval"].items()}


def kto_loss(trainer) -> tuple[float, dict[str, float]]:
    trainer.ref_model = KTO_REF
    batch = kto_batch(MultiTurnUnpairedCollator(pad_token_id=0), KTO)
    loss = trainer._compute_loss(KTO_POLICY, batch, return_outputs=False).item()
    return loss, {key: values[-1] for key, values in trainer._metrics["eval"].items()}


def test_multi_turn_dpo_by_hand(build) -> None:
    loss, logged = dpo_loss(build(MultiTurnDPOTrainer, MultiTurnDPOConfig))
    x = [BETA * ((PI_W[i] - REF_W[i]) - (PI_L[i] - REF_L[i])) for i in range(2)]
    assert x == pytest.approx([0.15, 0.13])
    assert loss == pytest.approx(mean([-math.log(sigmoid(xi)) for xi in x]), abs=1e-6)
    assert logged["logps/chosen"] == pytest.approx(mean(PI_W), abs=1e-6)


@pytest.mark.parametrize("alpha", [0.11, 0.15])
def test_entropo_dpo_by_hand(build, alpha: float) -> None:
    loss, logged = dpo_loss(build(EntropoDPOTrainer, EntropoDPOConfig, alpha=alpha))
    z = [alpha * (PI_W[i] - PI_L[i]) - BETA * (REF_W[i] - REF_L[i]) for i in range(2)]
    assert loss == pytest.approx(mean([-math.log(sigmoid(zi)) for zi in z]), abs=1e-6)
    rewards_w = [alpha * PI_W[i] - BETA * REF_W[i] for i in range(2)]
    rewards_l = [alpha * PI_L[i] - BETA * REF_L[i] for i in range(2)]
    assert logged["rewards/chosen"] == pytest.approx(mean(rewards_w), abs=1e-6)
    assert logged["rewards/rejected"] == pytest.approx(mean(rewards_l), abs=1e-6)
    assert logged["rewards/margins"] == pytest.approx(mean(z), abs=1e-6)
    # log-probs are logged as log π, not the (α/β)-scaled values fed to TRL's loss
    assert logged["logps/chosen"] == pytest.approx(mean(PI_W), abs=1e-6)
    assert logged["logps/rejected"] == pytest.approx(mean(PI_L), abs=1e-6)


def test_entropo_dpo_with_alpha_equal_beta_is_dpo(build) -> None:
    dpo, _ = dpo_loss(build(MultiTurnDPOTrainer, MultiTurnDPOConfig))
    entropo, _ = dpo_loss(build(EntropoDPOTrainer, EntropoDPOConfig, alpha=BETA))
    assert entropo == dpo  # the same computation, bit for bit


def kto_by_hand(alpha: float, form: str) -> tuple[float, float]:
    """(loss, z0) written out: z0 = max(0, mean(α·log π(y') − β·log π_ref(y'))); the rotation pairs every
    completion with another prompt, and TableLM's log-probs ignore the prompt, so y' ranges over all four."""
    z0 = max(0.0, mean([alpha * PI[i] - BETA * REF[i] for i in range(4)]))
    losses = []
    for i in range(4):
        lr = PI[i] - REF[i]
        # the value v(y) − (reference point) inside the sigmoid, per form
        v = {"released": BETA * (lr - z0), "trl": BETA * lr - z0,
             "implicit": alpha * PI[i] - BETA * REF[i] - z0}[form]
        losses.append(1 - sigmoid(v) if LABELS[i] else 1 - sigmoid(-v))
    return mean(losses), z0


def test_multi_turn_kto_by_hand(build) -> None:
    loss, logged = kto_loss(build(MultiTurnKTOTrainer, MultiTurnKTOConfig, per_device_train_batch_size=4))
    expected, z0 = kto_by_hand(BETA, "trl")  # KTO: α = β, z0 = β·KL
    assert z0 == pytest.approx(BETA * mean([1.3, 0.9, 1.1, -0.05]))
    assert loss == pytest.approx(expected, abs=1e-6)
    assert logged["kl"] == pytest.approx(z0 / BETA, abs=1e-6)


@pytest.mark.parametrize(("alpha", "form"), [(0.11, "released"), (0.11, "trl"), (0.11, "implicit"),
                                             (0.5, "released"), (0.5, "trl")])
def test_entropo_kto_by_hand(build, alpha: float, form: str) -> None:
    config = dict(alpha=alpha, value_form=form, per_device_train_batch_size=4)
    loss, logged = kto_loss(build(EntropoKTOTrainer, EntropoKTOConfig, **config))
    expected, z0 = kto_by_hand(alpha, form)
    assert (z0 > 0) == (alpha == 0.11)  # α = 0.5 drives the estimate below 0: the clamp holds z0 at 0
    assert loss == pytest.approx(expected, abs=1e-6)
    # TRL's kl is z0 in the released form, z0 in log-ratio units (z0/β) in the others
    assert logged["kl"] == pytest.approx(z0 if form == "released" else z0 / BETA, abs=1e-6)
    unclamped = mean([alpha * PI[i] - BETA * REF[i] for i in range(4)])
    assert (logged["z0"], logged["z0/clamped"]) == (pytest.approx(z0, abs=1e-6), float(unclamped < 0))
    assert logged["z0/unclamped"] == pytest.approx(unclamped, abs=1e-6)
    chosen = [i for i in range(4) if LABELS[i]]
    a = alpha if form == "implicit" else BETA
    rewards = [a * PI[i] - BETA * REF[i] for i in chosen]
    assert logged["rewards/chosen"] == pytest.approx(mean(rewards), abs=1e-6)
    assert logged["logps/chosen"] == pytest.approx(mean([PI[i] for i in chosen]), abs=1e-6)


def test_released_form_by_hand_written_out() -> None:
    """The released formula's numbers, independent of kto_by_hand: α 0.11, β 0.1 on the rows above."""
    z0 = max(0.0, (0.11 * -2.3 - 0.1 * -5.55) / 4)  # sums of log π(y') and log π_ref(y') over the 4 rows
    assert z0 == pytest.approx(0.075500, abs=1e-6)
    lr = [1.3, 0.9, 1.1, -0.05]
    by_row = [1 - sigmoid(0.1 * (lr[0] - z0)), 1 - sigmoid(0.1 * (z0 - lr[1])),
              1 - sigmoid(0.1 * (lr[2] - z0)), 1 - sigmoid(0.1 * (z0 - lr[3]))]
    assert mean(by_row) == pytest.approx(kto_by_hand(0.11, "released")[0], abs=1e-12)


def test_entropo_kto_limits(build) -> None:
    """α = β: "trl" is TRL's KTO bit for bit and "implicit" equals it; "released" is not KTO, its z0 is
    β·KL and the value function scales it by β again (PAPER.md)."""
    kto, kto_logged = kto_loss(build(MultiTurnKTOTrainer, MultiTurnKTOConfig, per_device_train_batch_size=4))
    forms = {
        form: kto_loss(build(EntropoKTOTrainer, EntropoKTOConfig, alpha=BETA, value_form=form,
                             per_device_train_batch_size=4))
        for form in ("released", "trl", "implicit")
    }
    assert forms["trl"][0] == kto
    assert forms["implicit"][0] == pytest.approx(forms["trl"][0], abs=1e-12)
    kl = mean([PI[i] - REF[i] for i in range(4)])  # TRL's KL estimate, > 0 here
    assert forms["released"][1]["z0"] == pytest.approx(BETA * kl, abs=1e-6)
    twice = mean([1 - sigmoid(BETA * (PI[i] - REF[i] - BETA * kl)) if LABELS[i]
                  else 1 - sigmoid(BETA * (BETA * kl - (PI[i] - REF[i]))) for i in range(4)])
    assert forms["released"][0] == pytest.approx(twice, abs=1e-6)
    # KTO subtracts β·KL inside the sigmoid, the released form β·z0 = β²·KL: ten times less here (the
    # losses differ by 8e-6 only because desirable and undesirable rows move in opposite directions)
    assert forms["released"][1]["kl"] == pytest.approx(BETA * kto_logged["kl"], abs=1e-6)
    assert abs(forms["released"][0] - kto) > 1e-6
