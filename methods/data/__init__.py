"""The training stage's data path: stored rollouts, demonstrations and JSONL trajectories ->
`Example`s -> selection (PAPER.md) -> pre-tokenized rows with assistant-only masks for the trainers.

    examples = examples_from_store(store, run_id, eval_id) + examples_from_jsonl(path)
    rows, report = build_dpo(examples, tokenizer)     # or build_kto / build_sft
    dataset = to_dataset(rows)
"""

from methods.data.build import (
    DPO_MAX_LENGTH,
    DRILL,
    KTO_MAX_LENGTH,
    DropReport,
    build_dpo,
    build_kto,
    build_sft,
    build_verifier,
    select_pairs,
    to_dataset,
)
from methods.data.examples import (
    Example,
    ExampleSet,
    examples_from_jsonl,
    examples_from_store,
)
from methods.data.tokens import Rendered, render, training_tokenizer

__all__ = [
    "DPO_MAX_LENGTH", "DRILL", "KTO_MAX_LENGTH", "DropReport", "Example", "ExampleSet", "Rendered",
    "build_dpo", "build_kto", "build_sft", "build_verifier", "examples_from_jsonl",
    "examples_from_store", "render", "select_pairs", "to_dataset", "training_tokenizer",
]
