"""The multi-turn collators: TRL's ids, padding and truncation, and
`completion_mask` = prompt zeros + assistant mask."""

from __future__ import annotations

import pytest
import torch
from trl.trainer.dpo_trainer import DataCollatorForPreference
from trl.trainer.kto_trainer import DataCollatorForUnpairedPreference

from methods.collators import MultiTurnPreferenceCollator, MultiTurnUnpairedCollator
from methods.kto import rotate_completions

PAIRS = [
    {"prompt_ids": [1, 2], "chosen_ids": [3, 4, 5], "chosen_mask": [1, 0, 1],
     "rejected_ids": [6, 7], "rejected_mask": [0, 1]},
    {"prompt_ids": [8], "chosen_ids": [9], "chosen_mask": [1],
     "rejected_ids": [10, 11, 12, 13], "rejected_mask": [1, 1, 0, 1]},
]


def test_preference_mask_is_prompt_zeros_plus_assistant_mask() -> None:
    out = MultiTurnPreferenceCollator(pad_token_id=0)(PAIRS)
    trl = DataCollatorForPreference(pad_token_id=0)(PAIRS)
    assert torch.equal(out["input_ids"], trl["input_ids"])
    assert torch.equal(out["attention_mask"], trl["attention_mask"])
    assert out["completion_mask"].tolist() == [
        [0, 0, 1, 0, 1],  # chosen rows first, as TRL orders the batch
        [0, 1, 0, 0, 0],
        [0, 0, 0, 1, 0],  # then rejected rows
        [0, 1, 1, 0, 1],
    ]


def test_rows_without_masks_collate_exactly_like_trl() -> None:
    plain = [{k: v for k, v in row.items() if not k.endswith("_mask")} for row in PAIRS]
    out = MultiTurnPreferenceCollator(pad_token_id=0, pad_to_multiple_of=8)(plain)
    trl = DataCollatorForPreference(pad_token_id=0, pad_to_multiple_of=8)(plain)
    assert out.keys() == trl.keys()
    assert all(torch.equal(out[k], trl[k]) for k in out)


@pytest.mark.parametrize(
    ("mode", "chosen_mask"),
    [("keep_start", [[0, 0, 1, 0], [0, 1, 0, 0]]), ("keep_end", [[0, 1, 0, 1], [0, 1, 0, 0]])],
)
def test_truncation_cuts_mask_and_ids_alike(mode: str, chosen_mask: list[list[int]]) -> None:
    out = MultiTurnPreferenceCollator(pad_token_id=0, max_length=4, truncation_mode=mode)(PAIRS)
    trl = DataCollatorForPreference(pad_token_id=0, max_length=4, truncation_mode=mode)(PAIRS)
    assert torch.equal(out["input_ids"], trl["input_ids"]) and out["input_ids"].shape == (4, 4)
    assert out["completion_mask"][:2].tolist() == chosen_mask
    assert not (out["completion_mask"].bool() & ~trl["completion_mask"].bool()).any()  # never outside TRL's


def test_a_row_longer_than_max_length_does_not_crash() -> None:
    row = {"prompt_ids": [1] * 5, "chosen_ids": [2] * 50, "chosen_mask": [1] * 50,
           "rejected_ids": [3] * 7, "rejected_mask": [1] * 7}
    out = MultiTurnPreferenceCollator(pad_token_id=0, max_length=8)([row])
    assert out["input_ids"].shape == (2, 8)
    assert out["completion_mask"].sum(dim=1).tolist() == [3, 3]


def test_a_mask_of_the_wrong_length_is_refused() -> None:
    bad = [{**PAIRS[0], "chosen_mask": [1, 0]}]
    with pytest.raises(ValueError, match="`chosen_mask` has 2 entries but `chosen_ids` has 3 tokens"):
        MultiTurnPreferenceCollator(pad_token_id=0)(bad)


def test_unpaired_masks_cover_completion_and_kl_completion() -> None:
    rows = [
        {"prompt_ids": [1, 2], "completion_ids": [3, 4, 5], "completion_mask": [1, 0, 1], "label": True},
        {"prompt_ids": [6], "completion_ids": [7, 8], "completion_mask": [0, 1], "label": False},
    ]
    batch = rotate_completions({k: [r[k] for r in rows] for k in rows[0]})
    assert batch["KL_completion_ids"] == [[7, 8], [3, 4, 5]]
    assert batch["KL_completion_mask"] == [[0, 1], [1, 0, 1]]
    examples = [{k: batch[k][i] for k in batch} for i in range(2)]
    out = MultiTurnUnpairedCollator(pad_token_id=0)(examples)
    trl = DataCollatorForUnpairedPreference(pad_token_id=0)(examples)
    for key in ("input_ids", "attention_mask", "KL_input_ids", "KL_attention_mask", "label"):
        assert torch.equal(out[key], trl[key])
    assert out["completion_mask"].tolist() == [[0, 0, 1, 0, 1], [0, 0, 1, 0, 0]]
    assert out["KL_completion_mask"].tolist() == [[0, 0, 0, 1], [0, 1, 0, 1]]
    truncated = MultiTurnUnpairedCollator(pad_token_id=0, max_length=3)(examples)  # KTO keeps the start
    assert truncated["completion_mask"].tolist() == [[0, 0, 1], [0, 0, 1]]
