"""Model backends: one protocol that samples assistant turns for a chat, with the sampled token ids
and log-probs whenever the backend has them (DESIGN.md contract 5: token-in, token-out).

A backend is shared by every agent of a rollout run, so `chat` must be safe to call from several
threads at once; backends that batch (vllm) gather concurrent calls into one engine call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from harness import registry
from harness.errors import HarnessError


@dataclass(frozen=True)
class Sampling:
    """Sampling settings of one call; the paper's defaults (PAPER.md: T 0.7, top-p 0.8, top-k 20)."""

    temperature: float = 0.7
    top_p: float = 0.8
    top_k: int = 20
    max_tokens: int = 4096
    seed: int | None = None


@dataclass(frozen=True)
class Completion:
    """One sampled assistant turn. `token_ids`/`logprobs` are per sampled token, None when unknown.

    `tool_calls` is filled by backends that parse native tool calls: [{"id", "name", "arguments"}]
    with `arguments` a dict of strings.
    """

    text: str
    token_ids: tuple[int, ...] | None = None
    logprobs: tuple[float, ...] | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    finish_reason: str = "stop"  # stop | length
    tool_calls: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    trained: bool = True  # False: a demonstration's deliberate mistake, which training leaves out


class BackendError(HarnessError):
    """The backend could not produce a turn (unreachable, timed out, garbage): the sample ends."""


class ContextExceeded(BackendError):
    """The conversation no longer fits the model's context window."""


class Backend(Protocol):
    """Samples `n` assistant turns for `messages` (OpenAI-style dicts: role, content[, tool_calls])."""

    model: str

    def chat(
        self, messages: list[dict[str, Any]], n: int, sampling: Sampling,
        tools: list[dict[str, Any]] | None = None,
    ) -> list[Completion]: ...

    def close(self) -> None: ...


class Scorer(Protocol):
    """A backend that can score text: the log-prob of each continuation as the start of the
    assistant's reply to `messages` (the learned verifier reads p(YES) and p(NO) this way)."""

    def continuation_logprobs(self, messages: list[dict[str, Any]],
                              continuations: list[str]) -> list[float]: ...

    def prompt_tokens(self, messages: list[dict[str, Any]]) -> int: ...


def open_backend(kind: str, model: str, **options: Any) -> Backend:
    """A backend of the registered `kind` (hf, openai, vllm, replay) serving `model`."""
    return registry.load("backend", kind)(model, **options)
