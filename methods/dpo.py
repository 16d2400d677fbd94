"""Multi-turn DPO: TRL's DPOTrainer on pre-tokenized trajectory pairs, assistant tokens only.

Loss (TRL's "sigmoid", Rafailov et al. 2023), log π(y|x) the SUM of token log-probs over every assistant
turn (PAPER.md, "Multi-turn handling"; observations masked, no length normalisation):

    loss = −log σ(β·[(log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l))])

Only the data path changes: rows carrying `prompt_ids` skip TRL's tokenisation, their `chosen_mask` /
`rejected_mask` survive column pruning, and `MultiTurnPreferenceCollator` turns them into
`completion_mask`. The loss, the reference model handling and the fused chunked log-prob head (no [B, T, V]
logits) are TRL's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trl import DPOConfig, DPOTrainer

from methods.collators import MultiTurnPreferenceCollator, pad_token_id, pretokenized
from methods.sft import PaperSchedule

PREFERENCE_COLUMNS = ("prompt_ids", "chosen_ids", "chosen_mask", "rejected_ids", "rejected_mask")


@dataclass
class MultiTurnDPOConfig(PaperSchedule, DPOConfig):
    """DPOConfig with the released ENTROPO defaults (PAPER.md, "Hyper-parameters").

    Args:
        beta (`float`, defaults to `0.1`): β, the weight of the reference log-ratio (TRL's default too).
        max_length (`int`, defaults to `12000`): the released DPO cut-off (prompt + completion, keep_start).
        learning_rate, lr_scheduler_type, warmup_steps, num_train_epochs, per_device_train_batch_size:
            1e-5, cosine, 0.1 (a ratio), 1, 1 (see `PaperSchedule`). `bf16` stays TRL's default (True):
            pass `bf16=False` on CPU.
    """

    beta: float = field(default=0.1, metadata={"help": "β of DPO (PAPER.md: 0.1)."})
    max_length: int | None = field(
        default=12000, metadata={"help": "Token cut-off of prompt + completion (PAPER.md: 12,000 for DPO)."}
    )


class MultiTurnDPOTrainer(DPOTrainer):
    """DPOTrainer that accepts pre-tokenized multi-turn pairs (`PREFERENCE_COLUMNS`) and trains on assistant
    tokens only. Other datasets take TRL's path unchanged (every completion token trained)."""

    def __init__(
        self, model, ref_model=None, args=None, data_collator=None, train_dataset=None, eval_dataset=None,
        processing_class=None, **kwargs,
    ):
        args = args if args is not None else MultiTurnDPOConfig(output_dir="multi-turn-dpo")
        if data_collator is None:
            # TRL builds its collator inside __init__ and uses it there (precompute_ref_log_probs), so ours
            # is passed in rather than swapped in afterwards.
            processing_class, pad_id = pad_token_id(model, processing_class)
            data_collator = MultiTurnPreferenceCollator(
                pad_token_id=pad_id,
                max_length=args.max_length,
                truncation_mode=args.truncation_mode,
                pad_to_multiple_of=args.pad_to_multiple_of,
            )
        super().__init__(
            model, ref_model, args, data_collator, train_dataset, eval_dataset, processing_class, **kwargs
        )

    def _prepare_dataset(self, dataset, processing_class, args, dataset_name):
        if "prompt_ids" not in next(iter(dataset)):
            return super()._prepare_dataset(dataset, processing_class, args, dataset_name)
        keep_start = args.truncation_mode == "keep_start"
        return pretokenized(dataset, PREFERENCE_COLUMNS, args.max_length, drop_long_prompts=keep_start)

    def _set_signature_columns_if_needed(self):
        # `remove_unused_columns` would otherwise drop the masks before the collator sees them
        super()._set_signature_columns_if_needed()
        extra = ("chosen_mask", "rejected_mask")
        self._signature_columns += [c for c in extra if c not in self._signature_columns]
