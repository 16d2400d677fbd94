"""Multi-turn SFT on pre-tokenized trajectories: the loss covers assistant tokens only (PAPER.md,
"Multi-turn handling"), with the released configs' schedule (PAPER.md, "Hyper-parameters").

TRL 1.16 needs no new loss here: for a dataset that already has `input_ids`, `SFTTrainer._prepare_dataset`
builds `labels` from an `assistant_masks` column (-100 where the mask is 0), truncates, and drops rows left
without a trained token. `assistant_only_loss=True` must stay off: TRL raises for it on a dataset that is not
conversational, which a pre-tokenized one is not. The trainer below only refuses pre-tokenized rows without
`assistant_masks`, which TRL would silently train on whole (observations included).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trl import SFTConfig, SFTTrainer


@dataclass
class PaperSchedule:
    """Optimiser defaults of the released ENTROPO configs, shared by every stage (mix in before the TRL
    config). `bf16` keeps TRL's default (True unless fp16): set `bf16=False` on CPU. LoRA (rank 8, all
    linear layers) is a `peft_config` passed to the trainer, not a config field."""

    learning_rate: float = field(default=1e-5, metadata={"help": "Released configs: 1e-5."})
    lr_scheduler_type: str = field(default="cosine", metadata={"help": "Released configs: cosine."})
    warmup_steps: float = field(
        default=0.1,
        metadata={"help": "Released configs: warm-up ratio 0.1 (transformers 5 reads a float < 1 as ratio)."},
    )
    num_train_epochs: float = field(default=1.0, metadata={"help": "Released configs: one epoch."})
    per_device_train_batch_size: int = field(default=1, metadata={"help": "Released configs: batch 1."})


@dataclass
class MultiTurnSFTConfig(PaperSchedule, SFTConfig):
    """SFTConfig for pre-tokenized rows `input_ids` + `assistant_masks` (1 on assistant tokens).

    Args:
        max_length (`int`, defaults to `18000`): the paper gives no SFT cut-off; the longest cut-off of the
            released configs (KTO's) is used, so SFT sees all of every trajectory the preference stages keep.
    """

    max_length: int | None = field(
        default=18000, metadata={"help": "Token cut-off; the paper gives none for SFT: KTO's 18,000."}
    )


class MultiTurnSFTTrainer(SFTTrainer):
    """SFTTrainer that insists on the `assistant_masks` column of pre-tokenized rows (or on `labels`)."""

    def _prepare_dataset(self, dataset, processing_class, args, packing, formatting_func, dataset_name):
        names = getattr(dataset, "column_names", None) or list(next(iter(dataset)))
        if "input_ids" in names and "assistant_masks" not in names and "labels" not in names:
            raise ValueError(
                f"the pre-tokenized {dataset_name} rows have no `assistant_masks` column: SFT would train on "
                "observation tokens too. Build them with the assistant mask (methods/data)."
            )
        return super()._prepare_dataset(
            dataset, processing_class, args, packing, formatting_func, dataset_name
        )
