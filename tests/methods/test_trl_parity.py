"""On a real batch of the tiny model: ENTROPO with α = β is TRL's own DPO / KTO loss (ENTROPO-KTO in its
"trl" form), and ENTROPO-DPO with α ≠ β is the paper's formula on the log-probs TRL's fused head computes."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from method_rows import dataset, fast, kto_batch, kto_rows, pair_rows
from transformers import AutoTokenizer
from trl import DPOConfig, DPOTrainer, KTOConfig, KTOTrainer

from methods.entropo_dpo import EntropoDPOConfig, EntropoDPOTrainer
from methods.entropo_kto import EntropoKTOConfig, EntropoKTOTrainer

BETA = 0.1
ALPHA_FAR = 0.5  # far from β: a fresh adapter's z = (α − β)·Δ (α 0.13 gave |z| 0.002 on today's tiny model)
TEXT_PAIRS = [{"prompt": "Fix parse.", "chosen": "def parse(x):", "rejected": "rm -rf"}] * 2
TEXT_UNPAIRED = [{"prompt": "Fix parse.", "completion": "def parse(x):", "label": i < 2} for i in range(4)]


@pytest.fixture(scope="module")
def tok(tiny_model_dir):
    return AutoTokenizer.from_pretrained(tiny_model_dir)


def loss(trainer, batch) -> torch.Tensor:
    trainer.model.eval()
    with torch.no_grad():
        return trainer.compute_loss(trainer.model, batch)


def test_entropo_dpo_with_alpha_equal_beta_is_trl_dpo(tiny_model_dir, tok, tmp_path) -> None:
    model = str(tiny_model_dir)
    ours = EntropoDPOTrainer(
        model, args=fast(EntropoDPOConfig, tmp_path, alpha=BETA, beta=BETA),
        train_dataset=dataset(pair_rows(tok)), processing_class=tok,
    )
    trl = DPOTrainer(
        model, args=fast(DPOConfig, tmp_path, beta=BETA), train_dataset=dataset(TEXT_PAIRS),
        processing_class=tok,
    )
    batch = ours.data_collator(pair_rows(tok))
    assert batch["completion_mask"].sum() < batch["attention_mask"].sum() // 2  # observations are masked
    expected = loss(trl, batch)
    assert loss(ours, batch).item() == pytest.approx(expected.item(), abs=1e-6)
    assert expected.item() == pytest.approx(math.log(2), abs=1e-6)  # untrained: policy = reference

    # α ≠ β: z = α·[log π(y_w) − log π(y_l)] − β·[log π_ref(y_w) − log π_ref(y_l)], with the sums TRL computes
    ours.args.alpha = 0.13
    with torch.no_grad():  # move the policy away from the reference so that z ≠ 0
        for param in ours.model.parameters():
            param.add_(0.01 * torch.randn(param.shape, generator=torch.Generator().manual_seed(1)))
        policy = torch.cat(ours.compute_ref_log_probs(ours.model, batch)).double()
        ref = torch.cat(ours.compute_ref_log_probs(ours.ref_model, batch)).double()
    (pi_w, pi_l), (ref_w, ref_l) = policy.chunk(2), ref.chunk(2)
    z = 0.13 * (pi_w - pi_l) - BETA * (ref_w - ref_l)
    assert z.abs().min() > 0.01  # so a scaled reference (z = 0, loss log 2) misses the 1e-6 tolerance below
    assert loss(ours, batch).item() == pytest.approx(-F.logsigmoid(z).mean().item(), abs=1e-6)


def test_entropo_kto_trl_form_with_alpha_equal_beta_is_trl_kto(tiny_model_dir, tok, tmp_path) -> None:
    """The "trl" form is the one that reduces to KTO (the released one does not: test_losses.py)."""
    model = str(tiny_model_dir)
    ours = EntropoKTOTrainer(
        model, args=fast(EntropoKTOConfig, tmp_path, alpha=BETA, beta=BETA, value_form="trl",
                         per_device_train_batch_size=4),
        train_dataset=dataset(kto_rows(tok)), processing_class=tok,
    )
    trl = KTOTrainer(
        model, args=fast(KTOConfig, tmp_path, beta=BETA, per_device_train_batch_size=4),
        train_dataset=dataset(TEXT_UNPAIRED), processing_class=tok,
    )
    batch = kto_batch(ours.data_collator, kto_rows(tok))
    # A policy unlike its reference, so that z0 and every log-ratio are non-zero (the KL estimate is
    # clamped at 0: a perturbation that lowers the KL completions' log-probs would hide z0; the last
    # assertion checks this one does not).
    with torch.no_grad():
        for param in [*ours.model.parameters(), *trl.model.parameters()]:
            param.add_(0.01 * torch.randn(param.shape, generator=torch.Generator().manual_seed(2)))
    expected = loss(trl, batch)
    assert loss(ours, batch).item() == pytest.approx(expected.item(), abs=1e-6)
    assert ours._metrics["eval"]["kl"] == trl._metrics["eval"]["kl"]
    assert ours._metrics["eval"]["kl"][-1] > 0.1  # the reference point z0 is not clamped away


def test_entropo_dpo_under_lora_scales_the_policy_not_the_reference(tiny_model_dir, tok, tmp_path) -> None:
    """With LoRA the reference is the same module with the adapter off (the paper's setup): it must not be
    scaled. A fresh adapter leaves π = π_ref, so z = (α − β)·[log π(y_w) − log π(y_l)] (0 if both were)."""
    from peft import LoraConfig

    ours = EntropoDPOTrainer(
        str(tiny_model_dir), args=fast(EntropoDPOConfig, tmp_path, alpha=ALPHA_FAR, beta=BETA),
        train_dataset=dataset(pair_rows(tok)), processing_class=tok,
        peft_config=LoraConfig(r=8, target_modules="all-linear"),
    )
    assert ours.ref_model is None
    batch = ours.data_collator(pair_rows(tok))
    with torch.no_grad():
        pi_w, pi_l = torch.cat(ours.compute_ref_log_probs(ours.model, batch)).double().chunk(2)
    z = (ALPHA_FAR - BETA) * (pi_w - pi_l)
    assert z.abs().min() > 0.01
    # float32 against a float64 reference: relative rounding (the loss is about 3, not near 0)
    assert loss(ours, batch).item() == pytest.approx(-F.logsigmoid(z).mean().item(), rel=1e-6)


def test_entropo_dpo_with_precomputed_reference_log_probs(tiny_model_dir, tok, tmp_path) -> None:
    """`precompute_ref_log_probs=True` (reference sums computed once, with our collator): the same loss."""
    rows = pair_rows(tok)
    configs = [
        fast(EntropoDPOConfig, tmp_path, precompute_ref_log_probs=flag, per_device_train_batch_size=2,
             train_sampling_strategy="sequential")
        for flag in (False, True)
    ]
    trainers = [
        EntropoDPOTrainer(str(tiny_model_dir), args=c, train_dataset=dataset(rows), processing_class=tok)
        for c in configs
    ]
    batch = next(iter(trainers[1].get_train_dataloader()))
    assert {"ref_chosen_logps", "ref_rejected_logps"} <= batch.keys()
    with torch.no_grad():  # the same policy, moved off the reference so that the loss depends on both
        for trainer in trainers:
            for param in trainer.model.parameters():
                param.add_(0.01 * torch.randn(param.shape, generator=torch.Generator().manual_seed(1)))
    plain = {key: value for key, value in batch.items() if not key.startswith("ref_")}
    assert loss(trainers[1], batch).item() == pytest.approx(loss(trainers[0], plain).item(), abs=1e-6)
