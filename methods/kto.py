"""Multi-turn KTO: TRL's KTOTrainer on pre-tokenized labelled trajectories, assistant tokens only.

Loss (TRL's "kto", Ethayarajh et al. 2024, Eq. 7), log π(y|x) the SUM over assistant tokens (PAPER.md):

    z0 = max(0, mean over the batch of [log π(y') − log π_ref(y')]), y' mismatched completions, no grad
    desirable:   L = 1 − σ(β·((log π(y) − log π_ref(y)) − z0))
    undesirable: L = 1 − σ(β·(z0 − (log π(y) − log π_ref(y))))
    loss = mean(λ_D·L_D ∪ λ_U·L_U),  λ_D = desirable_weight = 1, λ_U = undesirable_weight = 1

y' comes from rotating the completions by one inside each batch of `per_device_train_batch_size` rows, as
TRL does; for pre-tokenized rows the rotation carries the assistant mask too (`KL_completion_mask`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trl import KTOConfig, KTOTrainer

from methods.collators import MultiTurnUnpairedCollator, pad_token_id, pretokenized
from methods.sft import PaperSchedule

UNPAIRED_COLUMNS = ("prompt_ids", "completion_ids", "completion_mask", "label")


@dataclass
class MultiTurnKTOConfig(PaperSchedule, KTOConfig):
    """KTOConfig with the released ENTROPO defaults (PAPER.md, "Hyper-parameters").

    Args:
        beta (`float`, defaults to `0.1`): β of KTO.
        max_length (`int`, defaults to `18000`): the released KTO cut-off (prompt + completion, keep_start).
        per_device_train_batch_size (`int`, defaults to `2`): at least 2, because the reference point z0
            pairs each prompt with another row's completion of the same batch (the paper's batch 1 cannot;
            use gradient accumulation to change the effective batch).
        Other defaults as `PaperSchedule`; `bf16` stays TRL's default (True): pass `bf16=False` on CPU.
    """

    beta: float = field(default=0.1, metadata={"help": "β of KTO (PAPER.md: 0.1)."})
    max_length: int | None = field(
        default=18000, metadata={"help": "Token cut-off of prompt + completion (PAPER.md: 18,000 for KTO)."}
    )
    per_device_train_batch_size: int = field(
        default=2, metadata={"help": "Rows per device batch, >= 2: the KL term rotates completions in it."}
    )

    def __post_init__(self):
        if self.loss_type == "kto" and self.per_device_train_batch_size < 2:
            raise ValueError(
                f"per_device_train_batch_size={self.per_device_train_batch_size}: KTO needs at least 2 rows "
                "per device batch, because its reference point z0 uses each row's completion under another "
                "row's prompt. Use gradient_accumulation_steps for a different effective batch."
            )
        super().__post_init__()


class MultiTurnKTOTrainer(KTOTrainer):
    """KTOTrainer that accepts pre-tokenized multi-turn rows (`UNPAIRED_COLUMNS`) and trains on assistant
    tokens only. Other datasets take TRL's path unchanged."""

    def __init__(
        self, model, ref_model=None, args=None, data_collator=None, train_dataset=None, eval_dataset=None,
        processing_class=None, **kwargs,
    ):
        args = args if args is not None else MultiTurnKTOConfig(output_dir="multi-turn-kto")
        if data_collator is None:  # built here: TRL uses it inside __init__ (precompute_ref_log_probs)
            processing_class, pad_id = pad_token_id(model, processing_class)
            data_collator = MultiTurnUnpairedCollator(
                pad_token_id=pad_id, max_length=args.max_length, pad_to_multiple_of=args.pad_to_multiple_of
            )
        super().__init__(
            model, ref_model, args, data_collator, train_dataset, eval_dataset, processing_class, **kwargs
        )

    def _prepare_dataset(self, dataset, processing_class, args, dataset_name):
        if "prompt_ids" not in next(iter(dataset)):
            return super()._prepare_dataset(dataset, processing_class, args, dataset_name)
        dataset = pretokenized(dataset, UNPAIRED_COLUMNS, args.max_length, drop_long_prompts=True)
        if self.calculate_KL:
            # TRL's rotation (kto_trainer.py `add_kl_completion_ids`): (x_i, y_{i-1}) inside each batch;
            # a batch of all the processes (TRL: of one), so N processes pair rows as one process with
            # N times the batch does (the KL estimate is gathered over them)
            size = args.per_device_train_batch_size * args.world_size
            dataset = dataset.map(rotate_completions, batched=True, batch_size=size)
        return dataset

    def log(self, logs: dict[str, float], start_time: float | None = None) -> None:
        """TRL averages every metric list it holds (kto_trainer.py:1652); a run whose batches hold no
        undesirable (or no desirable) rows leaves a list empty and divided by zero. Drop those."""
        metrics = self._metrics["train" if self.model.training else "eval"]
        for key in [k for k, values in metrics.items() if not values]:
            del metrics[key]
        super().log(logs, start_time)

    def _set_signature_columns_if_needed(self):
        # `remove_unused_columns` would otherwise drop the masks before the collator sees them
        super()._set_signature_columns_if_needed()
        extra = ("completion_mask", "KL_completion_mask")
        self._signature_columns += [c for c in extra if c not in self._signature_columns]


def rotate_completions(batch: dict[str, list]) -> dict[str, list]:
    """KL_completion_* = the batch's completions shifted by one: row i gets row i−1's (row 0 the last's)."""
    for key in ("completion_ids", "completion_mask"):
        batch[f"KL_{key}"] = batch[key][-1:] + batch[key][:-1]
    return batch
