"""Dropping a right-padding-only mask leaves every trained log-prob of a causal LM unchanged."""

from __future__ import annotations

import copy

import pytest
import torch
from method_rows import dataset, fast, kto_batch, kto_rows
from transformers import AutoModelForCausalLM, AutoTokenizer

from methods.attention import right_padded, skip_right_padding_mask
from methods.entropo_kto import EntropoKTOConfig, EntropoKTOTrainer


def test_right_padded_detects_the_padding_side() -> None:
    assert right_padded(torch.tensor([[1, 1, 1], [1, 1, 0], [1, 0, 0]]))
    assert not right_padded(torch.tensor([[1, 1, 1], [0, 1, 1]]))  # left padding keeps its mask
    assert not right_padded(torch.tensor([[1, 0, 1]]))


def test_real_tokens_see_the_same_logits_without_the_mask(tiny_model_dir) -> None:
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir).eval()
    fast_model = skip_right_padding_mask(copy.deepcopy(model))
    ids = torch.randint(5, 4000, (2, 64), generator=torch.Generator().manual_seed(0))
    mask = torch.ones_like(ids)
    mask[1, 40:] = 0
    with torch.no_grad():
        masked = model(input_ids=ids, attention_mask=mask).logits
        unmasked = fast_model(input_ids=ids, attention_mask=mask).logits
        left = torch.ones_like(ids)
        left[1, :24] = 0  # left padding: the hook must pass the mask through
        assert torch.equal(fast_model(input_ids=ids, attention_mask=left).logits,
                           model(input_ids=ids, attention_mask=left).logits)
    real = mask.bool()
    torch.testing.assert_close(unmasked[real], masked[real], atol=1e-5, rtol=1e-5)
    assert not torch.allclose(unmasked[~real], masked[~real])  # the pads did change: the hook ran


def test_a_kto_loss_is_unchanged_by_the_hook(tiny_model_dir, tmp_path) -> None:
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    rows = kto_rows(tok)

    def kto_loss(hooked: bool) -> float:
        model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
        with torch.no_grad():  # a policy unlike its reference so every term is non-zero
            for param in model.parameters():
                param.add_(0.01 * torch.randn(param.shape, generator=torch.Generator().manual_seed(1)))
        ref = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
        if hooked:
            model, ref = skip_right_padding_mask(model), skip_right_padding_mask(ref)
        trainer = EntropoKTOTrainer(
            model, ref_model=ref, processing_class=tok, train_dataset=dataset(rows),
            args=fast(EntropoKTOConfig, tmp_path, alpha=0.12, beta=0.1, per_device_train_batch_size=4),
        )
        batch = kto_batch(trainer.data_collator, rows)
        assert not bool(batch["attention_mask"].all())  # the rows differ in length: the batch is padded
        trainer.model.eval()
        with torch.no_grad():
            return trainer.compute_loss(trainer.model, batch).item()

    assert kto_loss(True) == pytest.approx(kto_loss(False), abs=1e-6)
