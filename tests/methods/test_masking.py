"""Observation tokens (mask 0) contribute no term to the trained log-prob sums, and a multi-turn row
trains on exactly its assistant tokens, for the DPO, KTO and SFT paths on the tiny model.

A causal LM's later assistant tokens do depend on earlier observations, so the invariance is tested on the
observation AFTER the last assistant turn: rewriting it changes nothing that is summed. The same rewrite
with the mask forced to 1 does change the sum, so the test can fail. Per token, the fused head's terms are
non-zero exactly on assistant positions (the mid-trajectory observation is among the zeros)."""

from __future__ import annotations

import pytest
import torch
from method_rows import dataset, fast, kto_batch, kto_row, pair_row, pair_rows, sft_row, turns
from transformers import AutoTokenizer

from methods.dpo import MultiTurnDPOConfig, MultiTurnDPOTrainer
from methods.kto import MultiTurnKTOConfig, MultiTurnKTOTrainer
from methods.sft import MultiTurnSFTConfig, MultiTurnSFTTrainer

CHOSEN = turns("grep parse", "a.py:3: def parse", "patched parse", end_with_observation=True)
REJECTED = turns("cat b", "no such file", "giving up")


@pytest.fixture(scope="module")
def tok(tiny_model_dir):
    return AutoTokenizer.from_pretrained(tiny_model_dir)


def rewrite_tail(ids: list[int], mask: list[int]) -> list[int]:
    """`ids` with every token after the last assistant token (the final observation, mask 0) replaced."""
    last = max(i for i, bit in enumerate(mask) if bit)
    tail = [(t * 7 + 3) % 4000 + 10 for t in ids[last + 1 :]]
    assert len(tail) >= 5 and all(a != b for a, b in zip(tail, ids[last + 1 :], strict=True))
    return ids[: last + 1] + tail


def per_token(model, batch: dict, prefix: str = "") -> tuple[torch.Tensor, torch.Tensor]:
    """The fused head's per-token log-prob terms and which positions are trained, as TRL's losses see them."""
    ids = batch[f"{prefix}input_ids"]
    labels = ids.masked_fill(batch[f"{prefix}completion_mask"] == 0, -100)
    with torch.no_grad():
        mask = batch[f"{prefix}attention_mask"]
        out = model(input_ids=ids, attention_mask=mask, labels=labels, fused_lm_head=True)
    return out.log_probs, out.label_mask


def assert_terms_only_on_assistant_tokens(log_probs, label_mask, prompt_lens, masks) -> None:
    for row, (prompt_len, mask) in enumerate(zip(prompt_lens, masks, strict=True)):
        expected = torch.zeros_like(label_mask[row])  # labels are shifted by one: position t predicts t+1
        expected[prompt_len - 1 : prompt_len - 1 + len(mask)] = torch.tensor(mask, dtype=torch.bool)
        assert torch.equal(label_mask[row], expected)
        assert int(label_mask[row].sum()) == sum(mask)  # trained tokens = assistant tokens
        assert (log_probs[row][~expected] == 0).all() and (log_probs[row][expected] != 0).all()


def test_dpo_sums_see_only_assistant_tokens(tiny_model_dir, tok, tmp_path) -> None:
    trainer = MultiTurnDPOTrainer(
        str(tiny_model_dir), args=fast(MultiTurnDPOConfig, tmp_path), train_dataset=dataset(pair_rows(tok)),
        processing_class=tok,
    )
    row = pair_row(tok, CHOSEN, REJECTED)
    rewritten = {**row, "chosen_ids": rewrite_tail(row["chosen_ids"], row["chosen_mask"])}

    def chosen_logp(r: dict) -> float:
        return trainer.compute_ref_log_probs(trainer.model, trainer.data_collator([r]))[0].item()

    assert chosen_logp(rewritten) == pytest.approx(chosen_logp(row), abs=1e-6)
    unmasked = {**row, "chosen_mask": [1] * len(row["chosen_mask"])}
    unmasked_rewritten = {**unmasked, "chosen_ids": rewritten["chosen_ids"]}
    assert chosen_logp(unmasked_rewritten) != pytest.approx(chosen_logp(unmasked))

    log_probs, label_mask = per_token(trainer.model, trainer.data_collator([row]))
    prompt_len = len(row["prompt_ids"])
    assert_terms_only_on_assistant_tokens(
        log_probs, label_mask, [prompt_len] * 2, [row["chosen_mask"], row["rejected_mask"]]
    )


def test_kto_sums_see_only_assistant_tokens(tiny_model_dir, tok, tmp_path) -> None:
    rows = [kto_row(tok, CHOSEN, True), kto_row(tok, REJECTED, False)]
    trainer = MultiTurnKTOTrainer(
        str(tiny_model_dir), args=fast(MultiTurnKTOConfig, tmp_path), train_dataset=dataset(rows),
        processing_class=tok,
    )

    def logps(rs: list[dict]) -> list[float]:
        completion, kl = trainer.compute_ref_log_probs(trainer.model, kto_batch(trainer.data_collator, rs))
        return completion.tolist() + kl.tolist()  # the matched y and the mismatched y' of the KL term

    tail = rewrite_tail(rows[0]["completion_ids"], rows[0]["completion_mask"])
    rewritten = [{**rows[0], "completion_ids": tail}, rows[1]]
    assert logps(rewritten) == pytest.approx(logps(rows), abs=1e-6)
    unmasked = [{**r, "completion_mask": [1] * len(r["completion_mask"])} for r in (rows[0], rewritten[0])]
    assert logps([unmasked[1], rows[1]])[0] != pytest.approx(logps([unmasked[0], rows[1]])[0])

    collated = kto_batch(trainer.data_collator, rows)
    prompt_lens, masks = [len(r["prompt_ids"]) for r in rows], [r["completion_mask"] for r in rows]
    log_probs, label_mask = per_token(trainer.model, collated)
    assert_terms_only_on_assistant_tokens(log_probs, label_mask, prompt_lens, masks)
    log_probs, label_mask = per_token(trainer.model, collated, prefix="KL_")  # rotated: row i has row i-1's
    kl_masks = [rows[1]["completion_mask"], rows[0]["completion_mask"]]
    assert_terms_only_on_assistant_tokens(log_probs, label_mask, prompt_lens, kl_masks)


def test_sft_loss_sees_only_assistant_tokens(tiny_model_dir, tok, tmp_path) -> None:
    row = sft_row(tok, CHOSEN)
    rewritten = {**row, "input_ids": rewrite_tail(row["input_ids"], row["assistant_masks"])}
    trainer = MultiTurnSFTTrainer(
        str(tiny_model_dir), args=fast(MultiTurnSFTConfig, tmp_path), train_dataset=dataset([row, rewritten]),
        processing_class=tok,
    )
    prepared = list(trainer.train_dataset)  # TRL built `labels` from `assistant_masks`
    batch = trainer.data_collator(prepared)
    trainer.model.eval()
    with torch.no_grad():
        out = trainer.model(**batch, fused_lm_head=True)
        losses = [trainer.compute_loss(trainer.model, trainer.data_collator([p])).item() for p in prepared]
    assert out.label_mask.sum(dim=1).tolist() == [sum(row["assistant_masks"])] * 2
    assert torch.equal(out.label_mask[0], torch.tensor(row["assistant_masks"][1:], dtype=torch.bool))
    assert (out.log_probs[~out.label_mask] == 0).all() and (out.log_probs[out.label_mask] != 0).all()
    assert losses[1] == pytest.approx(losses[0], abs=1e-6)


def test_sft_refuses_rows_without_assistant_masks(tiny_model_dir, tok, tmp_path) -> None:
    rows = [{"input_ids": sft_row(tok, CHOSEN)["input_ids"]}]
    with pytest.raises(ValueError, match="no `assistant_masks` column"):
        MultiTurnSFTTrainer(
            str(tiny_model_dir), args=fast(MultiTurnSFTConfig, tmp_path), train_dataset=dataset(rows),
            processing_class=tok,
        )


@pytest.mark.parametrize("kind", ["dpo", "kto"])
def test_the_trainers_dataloader_keeps_the_masks(tiny_model_dir, tok, tmp_path, kind: str) -> None:
    """`remove_unused_columns` prunes columns TRL does not know; the mask columns must reach the collator."""
    if kind == "dpo":
        rows, cls, config = pair_rows(tok), MultiTurnDPOTrainer, MultiTurnDPOConfig
    else:
        rows = [kto_row(tok, CHOSEN, True), kto_row(tok, REJECTED, False)]
        cls, config = MultiTurnKTOTrainer, MultiTurnKTOConfig
    args = fast(config, tmp_path, per_device_train_batch_size=2, train_sampling_strategy="sequential")
    trainer = cls(str(tiny_model_dir), args=args, train_dataset=dataset(rows), processing_class=tok)
    assert args.remove_unused_columns
    batch = next(iter(trainer.get_train_dataloader()))
    direct = trainer.data_collator(rows) if kind == "dpo" else kto_batch(trainer.data_collator, rows)
    assert batch.keys() == direct.keys()
    assert all(torch.equal(batch[key], direct[key]) for key in direct)
    assert batch["completion_mask"].sum() < batch["attention_mask"].sum() // 2
