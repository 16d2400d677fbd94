"""Helpers for the method tests: multi-turn rows in the data builder's column layout (built here, not
with methods/data), trainer configs for fast CPU runs, and a table-driven stand-in for a fused-head LM."""

from __future__ import annotations

from pathlib import Path

import torch
from datasets import Dataset
from trl.trainer.utils import FusedCausalLMOutput

from methods.kto import rotate_completions

PROMPT = [
    {"role": "system", "content": "You fix bugs."},
    {"role": "user", "content": "Fix parse() in cronex."},
]


def turns(first: str, observation: str, last: str, end_with_observation: bool = False) -> list[dict]:
    """Assistant, tool observation, assistant (and optionally one more observation at the very end)."""
    msgs = [
        {"role": "assistant", "content": first},
        {"role": "tool", "content": observation},
        {"role": "assistant", "content": last},
    ]
    return msgs + ([{"role": "tool", "content": "exit code 0"}] if end_with_observation else [])


def encode(tok, completion: list[dict]) -> tuple[list[int], list[int], list[int]]:
    """prompt_ids (system + issue) and the completion's ids and assistant mask, from the chat template."""
    prompt = tok.apply_chat_template(PROMPT, return_dict=True)["input_ids"]
    full = tok.apply_chat_template(PROMPT + completion, return_dict=True, return_assistant_tokens_mask=True)
    assert full["input_ids"][: len(prompt)] == prompt
    return prompt, full["input_ids"][len(prompt) :], full["assistant_masks"][len(prompt) :]


def pair_row(tok, chosen: list[dict], rejected: list[dict]) -> dict:
    prompt, chosen_ids, chosen_mask = encode(tok, chosen)
    _, rejected_ids, rejected_mask = encode(tok, rejected)
    return {
        "prompt_ids": prompt, "chosen_ids": chosen_ids, "chosen_mask": chosen_mask,
        "rejected_ids": rejected_ids, "rejected_mask": rejected_mask,
    }


def kto_row(tok, completion: list[dict], label: bool) -> dict:
    prompt, ids, mask = encode(tok, completion)
    return {"prompt_ids": prompt, "completion_ids": ids, "completion_mask": mask, "label": label}


def sft_row(tok, completion: list[dict]) -> dict:
    prompt, ids, mask = encode(tok, completion)
    return {"input_ids": prompt + ids, "assistant_masks": [0] * len(prompt) + mask}


def pair_rows(tok) -> list[dict]:
    return [
        pair_row(tok, turns("ls", "a.py", "fixed parse"), turns("cat b", "no such file", "giving up")),
        pair_row(tok, turns("grep parse", "a.py:3", "patched it"), turns("rm -rf", "denied", "stop")),
    ]


def kto_rows(tok) -> list[dict]:
    return [
        kto_row(tok, turns("ls", "a.py", "fixed parse"), True),
        kto_row(tok, turns("cat b", "no such file", "giving up"), False),
        kto_row(tok, turns("grep parse", "a.py:3", "patched it"), True),
        kto_row(tok, turns("rm -rf", "denied", "stop"), False),
    ]


def fast(config_cls, out: Path, **overrides):
    """A config for seconds-long CPU runs: fp32, no checkpointing, no saving, log every step."""
    kwargs = dict(
        output_dir=str(out), bf16=False, gradient_checkpointing=False, report_to="none", save_strategy="no",
        logging_steps=1, disable_tqdm=True, seed=0,
    )
    return config_cls(**{**kwargs, **overrides})


def kto_batch(collator, rows: list[dict]) -> dict:
    """Collate KTO rows after TRL's KL rotation (the trainer does it in `_prepare_dataset`)."""
    columns = rotate_completions({key: [row[key] for row in rows] for key in rows[0]})
    return collator([{key: values[i] for key, values in columns.items()} for i in range(len(rows))])


def dataset(rows: list[dict]) -> Dataset:
    return Dataset.from_list(rows)


class TableLM:
    """Stands in for a causal LM with TRL's fused head: the log-prob of next-token label v is `table[v]`,
    zero where the label is -100 (as `add_fused_lm_head` returns), so sequence log-probs are sums a test
    can write."""

    def __init__(self, table: dict[int, float], default: float = -3.0) -> None:
        self.table, self.default = table, default

    def __call__(self, input_ids=None, labels=None, fused_lm_head=False, **_) -> FusedCausalLMOutput:
        shifted = labels[:, 1:]
        mask = shifted != -100
        values = [[self.table.get(int(v), self.default) for v in row] for row in shifted]
        log_probs = torch.tensor(values, dtype=torch.float64) * mask
        zeros = torch.zeros_like(log_probs)
        return FusedCausalLMOutput(
            log_probs=log_probs, entropy=zeros, mean_logits=zeros, is_top1=torch.zeros_like(mask),
            label_mask=mask,
        )
