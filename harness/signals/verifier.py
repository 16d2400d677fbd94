"""The learned verifier (PAPER.md, "Learned verifier"): shown the condensed trajectory and its final
patch, the model answers <judgement>YES</judgement> or <judgement>NO</judgement>; the signal is
p(YES) / (p(YES) + p(NO)) from the log-probs of the two answers. Each score is computed for, and
stored under, its own (instance, sample) key: never matched back by completion order (the released
code's defect). Training (methods/verifier.py) builds its prompts with the same `judge_messages`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from harness.backends import open_backend
from harness.errors import BadInput
from harness.progress import progress_bar
from harness.records import RolloutRow, SignalRow
from harness.store import Store
from harness.trajectory import Trajectory

ANSWERS = {True: "<judgement>YES</judgement>", False: "<judgement>NO</judgement>"}
TOKEN_BUDGET = 16_000  # of the trajectory log, estimated at 4 characters a token (same in training)
SYSTEM = ("You are an expert software engineer reviewing an AI agent's attempt to resolve a GitHub issue. "
          "Judge whether the final patch resolves the issue. Answer with <judgement>YES</judgement> or "
          "<judgement>NO</judgement> only.")
_OMITTED = "[... {n} characters of output omitted ...]"
_WRITE_EVERY = 16


def condense(messages: Sequence[dict[str, Any]], budget_tokens: int = TOKEN_BUDGET) -> str:
    """The conversation after the system prompt as text, the largest observations replaced by a
    placeholder first until it fits `budget_tokens` (the model's own turns are never cut)."""
    blocks = [(m.get("role", ""), m.get("content") or "") for m in messages if m.get("role") != "system"]
    texts = [f"[{role}]\n{content}" for role, content in blocks]
    observations = sorted((i for i, (role, _) in enumerate(blocks) if role in ("user", "tool") and i > 0),
                          key=lambda i: -len(texts[i]))
    size = sum(map(len, texts))
    for i in observations:
        if size <= 4 * budget_tokens:
            break
        short = f"[{blocks[i][0]}]\n" + _OMITTED.format(n=len(blocks[i][1]))
        size += len(short) - len(texts[i])
        texts[i] = short
    return "\n\n".join(texts)


def judge_messages(messages: Sequence[dict[str, Any]], patch: str,
                   budget_tokens: int = TOKEN_BUDGET) -> list[dict[str, str]]:
    """The verifier's chat for one trajectory: system, then the condensed log and the final patch."""
    user = (f"<trajectory>\n{condense(messages, budget_tokens)}\n</trajectory>\n\n"
            f"<final_patch>\n{patch.strip() or '(empty)'}\n</final_patch>\n\n"
            "Does the final patch resolve the issue?")
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def score(backend: Any, messages: list[dict[str, str]]) -> tuple[float, float, float]:
    """(p(YES) / (p(YES) + p(NO)), log p(YES), log p(NO)) for one judge chat."""
    yes, no = backend.continuation_logprobs(messages, [ANSWERS[True], ANSWERS[False]])
    return 1.0 / (1.0 + math.exp(no - yes)), yes, no


def verifier_signals(store: Store, run_id: str, model: str, backend: str = "hf",
                     show_progress: bool = True) -> int:
    """Score every trajectory of `run_id` lacking a verifier signal with the verifier `model`;
    returns how many were scored (stored every few, so an interrupted run resumes)."""
    rollouts = store.rows(RolloutRow, run_id=run_id)
    if not rollouts:
        raise BadInput(f"run {run_id!r} has no stored rollouts in {store.path}")
    done = {(i, k) for i, k, name in store.signal_keys(run_id) if name == "verifier"}
    todo = [r for r in rollouts if (r.instance_id, r.sample_index) not in done]
    if not todo:
        return 0
    judge = open_backend(backend, model)
    if not callable(getattr(judge, "continuation_logprobs", None)):
        raise BadInput(f"the {backend} backend cannot score text; use hf or vllm for the verifier")
    pending: list[SignalRow] = []
    try:
        with progress_bar(f"verifier {run_id}", len(todo), show_progress) as advance:
            for r in todo:
                chat = judge_messages(Trajectory.load(store.artifact(r.trajectory_path)).messages, r.patch)
                p, yes, no = score(judge, chat)
                pending.append(SignalRow(run_id, r.instance_id, r.sample_index, "verifier", p, {
                    "model": model, "logp_yes": yes, "logp_no": no, "tokens": judge.prompt_tokens(chat)}))
                if len(pending) >= _WRITE_EVERY:
                    store.write(pending)
                    pending = []
                advance()
    finally:
        store.write(pending)
        judge.close()
    return len(todo)
