"""The replay backend: plays back the assistant turns of recorded trajectories (demonstrations,
earlier runs), so the agent loop, tools and evaluation are exercised without any model."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from harness.backends import BackendError, Completion, Sampling
from harness.errors import BadInput
from harness.trajectory import Trajectory


class ReplayBackend:
    """`model` is a trajectory file or a folder of them (searched recursively).

    A conversation is matched to recordings by its first user message (the issue) and by the
    assistant turns it already holds, so each call returns the next recorded turn; when several
    recordings match at the first turn, the seed picks one.
    """

    def __init__(self, model: str, recordings: Sequence[Trajectory] | None = None, **_: Any):
        self.model = model
        if recordings is None:
            root = Path(model)
            files = sorted(root.rglob("*.json")) if root.is_dir() else [root]
            if not files or not files[0].is_file():
                raise BadInput(f"replay: no trajectory files at {model}")
            recordings = [Trajectory.load(path) for path in files]
        self._by_issue: dict[str, list[Trajectory]] = {}
        for traj in recordings:
            self._by_issue.setdefault(_issue(traj.messages), []).append(traj)

    def chat(self, messages: list[dict[str, Any]], n: int, sampling: Sampling,
             tools: list[dict[str, Any]] | None = None) -> list[Completion]:
        said = [m for m in messages if m["role"] == "assistant"]
        candidates = [
            t for t in self._by_issue.get(_issue(messages), [])
            if [m["content"] for m in _assistant(t.messages)[: len(said)]] == [m["content"] for m in said]
        ]
        if not candidates:
            raise BackendError(f"replay: no recording matches this conversation at turn {len(said) + 1}")
        out = []
        for k in range(n):
            traj = candidates[((sampling.seed or 0) + k) % len(candidates)]
            recorded = _assistant(traj.messages)
            if len(said) >= len(recorded):
                raise BackendError(
                    f"replay: the recording of {traj.instance_id} has only {len(recorded)} turns")
            message, turn = recorded[len(said)], traj.turns[len(said)]
            out.append(Completion(
                message["content"], tuple(turn.token_ids or ()) or None, tuple(turn.logprobs or ()) or None,
                turn.prompt_tokens, turn.completion_tokens, turn.finish_reason,
                tuple(_native(c) for c in message.get("tool_calls", ())), turn.trained,
            ))
        return out

    def close(self) -> None:
        self._by_issue.clear()


def _issue(messages: list[dict[str, Any]]) -> str:
    return next((m["content"] for m in messages if m["role"] == "user"), "")


def _assistant(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m for m in messages if m["role"] == "assistant"]


def _native(call: dict[str, Any]) -> dict[str, Any]:
    fn = call["function"]
    return {"id": call.get("id"), "name": fn["name"], "arguments": json.loads(fn["arguments"])}
