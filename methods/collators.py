"""Collators for pre-tokenized multi-turn rows: TRL's, with `completion_mask` = prompt zeros + assistant mask.

TRL's preference collators mark every completion token as trained (observations included). Ours reuse them
for truncation and padding and only replace `completion_mask`, so TRL's
`labels = input_ids.masked_fill(completion_mask == 0, -100)` and its per-token log-prob sums see only the
model's own turns (PAPER.md, "Multi-turn handling": only assistant tokens count, sequence log-prob is their
sum). A row without a mask column trains on its whole completion, exactly as TRL does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from trl.trainer.dpo_trainer import DataCollatorForPreference
from trl.trainer.kto_trainer import DataCollatorForUnpairedPreference


def truncate(seq: list[int], max_length: int | None, truncation_mode: str = "keep_start") -> list[int]:
    """The slice TRL's collators apply to `prompt + completion` (`DataCollatorForPreference`)."""
    if max_length is None:
        return seq
    if truncation_mode == "keep_start":
        return seq[:max_length]
    if truncation_mode == "keep_end":
        return seq[-max_length:]
    raise ValueError(f"Unsupported truncation mode: {truncation_mode}, expected 'keep_start' or 'keep_end'")


def assistant_completion_mask(
    examples: list[dict[str, Any]],
    ids_key: str,
    mask_key: str,
    like: torch.Tensor,
    max_length: int | None,
    truncation_mode: str = "keep_start",
) -> torch.Tensor:
    """`[0] * len(prompt_ids) + example[mask_key]` per row, truncated like the ids and right-padded with 0 to
    the shape of `like` (the collator's own completion mask for the same rows).

    Without `mask_key` in the rows, every completion token counts (TRL's behaviour)."""
    out = torch.zeros_like(like)
    for row, example in enumerate(examples):
        ids = example[ids_key]
        mask = list(example[mask_key]) if mask_key in example else [1] * len(ids)
        if len(mask) != len(ids):
            raise ValueError(
                f"`{mask_key}` has {len(mask)} entries but `{ids_key}` has {len(ids)} tokens; "
                "the data builder must give one mask bit per token"
            )
        full = truncate([0] * len(example["prompt_ids"]) + mask, max_length, truncation_mode)
        out[row, : len(full)] = torch.tensor(full, dtype=out.dtype)
    return out


@dataclass
class MultiTurnPreferenceCollator(DataCollatorForPreference):
    """DPO batches (`input_ids` [2B, T]: chosen rows then rejected) from rows with `prompt_ids`,
    `chosen_ids`, `chosen_mask`, `rejected_ids`, `rejected_mask`; `completion_mask` is 1 on assistant
    tokens only."""

    def torch_call(self, examples: list[dict[str, Any]]) -> dict[str, Any]:
        output = super().torch_call(examples)
        chosen, rejected = output["completion_mask"].chunk(2, dim=0)
        args = (self.max_length, self.truncation_mode)
        output["completion_mask"] = torch.cat(
            (
                assistant_completion_mask(examples, "chosen_ids", "chosen_mask", chosen, *args),
                assistant_completion_mask(examples, "rejected_ids", "rejected_mask", rejected, *args),
            )
        )
        return output


@dataclass
class MultiTurnUnpairedCollator(DataCollatorForUnpairedPreference):
    """KTO batches from rows with `prompt_ids`, `completion_ids`, `completion_mask`, `label` (and the
    rotated `KL_completion_ids` / `KL_completion_mask` the trainer adds); both completion masks keep
    assistant tokens only. TRL's KTO collator truncates with keep_start only, so this one does too."""

    def torch_call(self, examples: list[dict[str, Any]]) -> dict[str, Any]:
        output = super().torch_call(examples)
        for prefix in ("", "KL_"):
            if f"{prefix}completion_mask" in output:
                output[f"{prefix}completion_mask"] = assistant_completion_mask(
                    examples,
                    f"{prefix}completion_ids",
                    f"{prefix}completion_mask",
                    output[f"{prefix}completion_mask"],
                    self.max_length,
                )
        return output


def pad_token_id(model: Any, processing_class: Any) -> tuple[Any, int]:
    """The tokenizer (loaded from the model when not given, as TRL does) and the pad id TRL's trainers use."""
    if processing_class is None:
        from transformers import AutoTokenizer
        from trl.trainer.utils import get_config_model_id

        processing_class = AutoTokenizer.from_pretrained(
            model if isinstance(model, str) else get_config_model_id(model.config)
        )
    tokenizer = getattr(processing_class, "tokenizer", processing_class)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return processing_class, tokenizer.pad_token_id


def pretokenized(dataset: Any, columns: tuple[str, ...], max_length: int | None, drop_long_prompts: bool):
    """Pass through rows that already carry `prompt_ids` (the data builder's output) after checking
    `columns`. Like TRL's own preparation, drop rows whose prompt alone fills `max_length` (keep_start would
    leave them no completion token); longer rows are truncated by the collator, never rejected."""
    names = getattr(dataset, "column_names", None) or list(next(iter(dataset)))
    missing = [c for c in columns if c not in names]
    if missing:
        raise ValueError(f"pre-tokenized rows lack {missing}; expected columns {list(columns)}")
    if max_length is not None and drop_long_prompts:
        dataset = dataset.filter(lambda row: len(row["prompt_ids"]) < max_length)
    return dataset
