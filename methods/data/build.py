"""Selection rules (PAPER.md, "Multi-turn handling") and the pre-tokenized rows the trainers read.

  DPO   per instance, successful and failed finished trajectories paired one to one (each in at
        most one pair, seeded); both-pass and both-fail instances give none. Cut-off 12,000 tokens.
  KTO   every finished trajectory, `label` = reward > 0, in a seeded random order. Cut-off 18,000 tokens.
  SFT   finished trajectories with reward > 0 (demonstrations included).

Every builder returns (rows, DropReport); a row over `max_length` (prompt + completion) is dropped,
for DPO the whole pair. When nothing is left it raises BadInput saying what was dropped and why.
"""

from __future__ import annotations

import logging
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from harness.errors import BadInput
from methods.data.examples import Example, ExampleSet
from methods.data.tokens import Rendered, Unusable, render

log = logging.getLogger(__name__)
DPO_MAX_LENGTH = 12_000
KTO_MAX_LENGTH = 18_000
SFT_TOKENS = ("assistant", "all")  # what SFT trains: the model's own turns (the paper), or every token
DRILL = "drill"  # the source of copy drills: their answers alone are trained, whatever `tokens` says

# What each drop reason counts, for the summary; reasons not listed count the builder's rows.
UNITS = {
    "no_verdict": "rollout", "eval_error": "rollout", "missing_trajectory": "rollout",
    "unfinished": "trajectory", "unresolved": "trajectory", "unpaired": "trajectory",
    "both_pass": "instance", "both_fail": "instance",
    # a trajectory the chat template cannot render as prompt + assistant turns (methods/data/tokens.py)
    "no_prompt": "trajectory", "no_assistant": "trajectory", "prompt_not_prefix": "trajectory",
    "span_mismatch": "trajectory",
}


@dataclass
class DropReport:
    """What a builder kept and dropped (by reason), plus non-dropping notes such as token fallbacks."""

    kind: str  # "DPO", "KTO", "SFT"
    unit: str  # what `kept` counts: "pair" or "row"
    kept: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        parts = [f"{self.kind}: kept {_n(self.kept, self.unit)}"]
        if self.dropped:
            parts.append("dropped " + ", ".join(f"{reason} {_n(n, UNITS.get(reason, self.unit))}"
                                                for reason, n in sorted(self.dropped.items())))
        if self.notes:
            parts.append("notes " + ", ".join(f"{k} {v}" for k, v in sorted(self.notes.items())))
        return "; ".join(parts)

    def _empty(self, n_examples: int) -> BadInput:
        why = self.summary().split("; ", 1)[1] if self.dropped else "no examples were given"
        return BadInput(f"no {self.kind} {self.unit}s left from {n_examples} examples: {why}")


def select_pairs(examples: Iterable[Example], seed: int = 0,
                 report: DropReport | None = None) -> list[tuple[Example, Example]]:
    """(chosen, rejected) pairs: per instance, shuffled successes zipped with shuffled failures."""
    report = report if report is not None else DropReport("DPO", "pair")
    groups: dict[str, list[Example]] = defaultdict(list)
    for ex in _finished(examples, report):
        groups[ex.instance_id].append(ex)
    pairs = []
    for instance_id, group in sorted(groups.items()):
        rng = random.Random(f"{seed}:{instance_id}")
        good = sorted((e for e in group if e.reward > 0), key=lambda e: e.ref)
        bad = sorted((e for e in group if e.reward <= 0), key=lambda e: e.ref)
        if not good or not bad:
            report.dropped["both_fail" if not good else "both_pass"] += 1
            continue
        rng.shuffle(good)
        rng.shuffle(bad)
        pairs += zip(good, bad, strict=False)
        if len(good) != len(bad):
            report.dropped["unpaired"] += abs(len(good) - len(bad))
    return pairs


def build_dpo(examples: Iterable[Example], tokenizer: Any, max_length: int | None = DPO_MAX_LENGTH,
              seed: int = 0) -> tuple[list[dict], DropReport]:
    """Rows with prompt_ids, chosen_ids/_mask, rejected_ids/_mask (plus instance_id and sources)."""
    examples = list(_start(examples, report := DropReport("DPO", "pair")))
    renderer = _Renderer(tokenizer, report)
    rows = []
    for chosen, rejected in select_pairs(examples, seed, report):
        if chosen.prompt != rejected.prompt or chosen.tools != rejected.tools:
            report.dropped["prompt_mismatch"] += 1
            continue
        good, bad = renderer(chosen), renderer(rejected)
        if good is None or bad is None:
            continue
        if max_length is not None and max(len(good), len(bad)) > max_length:
            report.dropped["too_long"] += 1
            continue
        rows.append({
            "instance_id": chosen.instance_id, "chosen_source": chosen.ref, "rejected_source": rejected.ref,
            "prompt_ids": good.prompt_ids, "chosen_ids": good.completion_ids,
            "chosen_mask": good.completion_mask, "rejected_ids": bad.completion_ids,
            "rejected_mask": bad.completion_mask,
        })
    return _done(rows, report, len(examples))


def build_kto(examples: Iterable[Example], tokenizer: Any, max_length: int | None = KTO_MAX_LENGTH,
              seed: int = 0) -> tuple[list[dict], DropReport]:
    """Rows with prompt_ids, completion_ids/_mask and `label` (bool: reward > 0) for every finished one,
    in a seeded shuffled order: TRL's KTO reads them sequentially (its KL term pairs neighbours), so
    without it batches would follow the sources (all demonstrations first) and ignore the seed."""
    examples = list(_start(examples, report := DropReport("KTO", "row")))
    rows, report = _single(examples, tokenizer, max_length, report, lambda ex, r: {
        "prompt_ids": r.prompt_ids, "completion_ids": r.completion_ids,
        "completion_mask": r.completion_mask, "label": ex.reward > 0,
    })
    random.Random(f"kto:{seed}").shuffle(rows)
    return rows, report


def build_sft(examples: Iterable[Example], tokenizer: Any, max_length: int | None = None,
              tokens: str = "assistant") -> tuple[list[dict], DropReport]:
    """Rows with input_ids and assistant_masks for every finished trajectory with reward > 0; with
    `tokens="all"` the mask covers every token (observations and prompt too: language-model pretraining)."""
    if tokens not in SFT_TOKENS:
        raise BadInput(f"sft_tokens must be one of {', '.join(SFT_TOKENS)}, not {tokens!r}")
    examples = list(_start(examples, report := DropReport("SFT", "row")))
    kept = []
    for ex in examples:
        if ex.finished and ex.reward <= 0:
            report.dropped["unresolved"] += 1
        else:
            kept.append(ex)
    columns = _sft_columns if tokens == "assistant" else _lm_columns
    return _single(kept, tokenizer, max_length, report, columns, n_examples=len(examples))


def build_verifier(examples: Iterable[Example], tokenizer: Any,
                   max_length: int | None = None) -> tuple[list[dict], DropReport]:
    """Rows of the learned verifier (PAPER.md): every judged trajectory, finished or not, as the judge
    chat answered YES when it resolved and NO otherwise; only the answer is trained."""
    from harness.signals.verifier import ANSWERS, judge_messages

    examples = list(_start(examples, report := DropReport("verifier", "row")))
    judged = [Example(ex.instance_id, [*judge_messages(ex.messages, ex.patch),
                                       {"role": "assistant", "content": ANSWERS[ex.reward > 0]}],
                      ex.reward, True, [], ex.source, ex.sample_index) for ex in examples]
    report.notes.update(yes=sum(ex.reward > 0 for ex in examples), no=sum(ex.reward <= 0 for ex in examples))
    return _single(judged, tokenizer, max_length, report, _sft_columns, n_examples=len(examples))


def _sft_columns(ex: Example, r: Rendered) -> dict:
    return {"input_ids": r.prompt_ids + r.completion_ids,
            "assistant_masks": [0] * len(r.prompt_ids) + r.completion_mask}


def _lm_columns(ex: Example, r: Rendered) -> dict:
    if ex.source == DRILL:  # what a drill asks is made up at random: nothing to learn but its answer
        return _sft_columns(ex, r)
    mask = [1] * len(r)
    for start, end in r.untrained:  # a deliberate mistake: what follows it is learned, never the mistake
        mask[len(r.prompt_ids) + start: len(r.prompt_ids) + end] = [0] * (end - start)
    return {"input_ids": r.prompt_ids + r.completion_ids, "assistant_masks": mask}


def to_dataset(rows: list[dict]):
    """The rows as a `datasets.Dataset` (imported here: building rows needs no `datasets`)."""
    from datasets import Dataset

    return Dataset.from_list(rows)


def _single(examples: list[Example], tokenizer: Any, max_length: int | None, report: DropReport,
            columns, n_examples: int | None = None) -> tuple[list[dict], DropReport]:
    renderer = _Renderer(tokenizer, report)
    rows = []
    for ex in _finished(examples, report):
        if (rendered := renderer(ex)) is None:
            continue
        if max_length is not None and len(rendered) > max_length:
            report.dropped["too_long"] += 1
            continue
        rows.append({"instance_id": ex.instance_id, "source": ex.ref, **columns(ex, rendered)})
    return _done(rows, report, len(examples) if n_examples is None else n_examples)


class _Renderer:
    """Renders each example at most once; unusable ones are counted in the report by reason."""

    def __init__(self, tokenizer: Any, report: DropReport):
        self.tokenizer, self.report, self.cache = tokenizer, report, {}

    def __call__(self, ex: Example) -> Rendered | None:
        if id(ex) not in self.cache:
            try:
                rendered = render(self.tokenizer, ex)
            except Unusable as exc:
                log.debug("%s: %s", ex.ref, exc)
                self.report.dropped[exc.reason] += 1
                rendered = None
            else:
                for note in ("replaced", "closed", "mismatched"):
                    self.report.notes[f"turns_{note}"] += getattr(rendered, note)
            self.cache[id(ex)] = rendered
        return self.cache[id(ex)]


def _start(examples: Iterable[Example], report: DropReport) -> Iterable[Example]:
    if isinstance(examples, ExampleSet):
        report.dropped.update(examples.skipped)
    return examples


def _finished(examples: Iterable[Example], report: DropReport) -> list[Example]:
    examples = list(examples)
    kept = [ex for ex in examples if ex.finished]
    report.dropped["unfinished"] += len(examples) - len(kept)
    return kept


def _done(rows: list[dict], report: DropReport, n_examples: int) -> tuple[list[dict], DropReport]:
    report.dropped = +report.dropped  # drop zero counts
    report.notes = +report.notes
    report.kept = len(rows)
    if report.notes.get("turns_mismatched"):
        log.warning("%d assistant turns had stored token ids that do not decode to their message; "
                    "their template tokens are used instead", report.notes["turns_mismatched"])
    if not rows:
        raise report._empty(n_examples)
    log.info(report.summary())
    return rows, report


def _n(n: int, unit: str) -> str:
    plural = unit[:-1] + "ies" if unit.endswith("y") else unit + "s"
    return f"{n} {unit if n == 1 else plural}"
