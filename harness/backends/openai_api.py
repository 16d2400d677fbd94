"""Sampling through any OpenAI-compatible chat server (`vllm serve`, SGLang, hosted APIs) with the
`openai` client: bounded concurrency, our own retries with backoff, and every failure mapped to
BackendError / ContextExceeded with a one-line message.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from typing import Any

from harness.backends import BackendError, Completion, ContextExceeded, Sampling

log = logging.getLogger(__name__)

# How vLLM, SGLang and OpenAI word a prompt that does not fit (all answer HTTP 400).
_CONTEXT = re.compile(
    r"context length|maximum context|context window|maximum model length|context_length_exceeded", re.I
)
_TOKEN_ID = re.compile(r"token_id:(\d+)")


class OpenAIBackend:
    """A chat-completions client; `token_ids=True` asks vLLM for ids ("token_id:123" tokens)."""

    def __init__(
        self, model: str, base_url: str | None = None, api_key: str | None = None, concurrency: int = 8,
        retries: int = 3, timeout: float = 600, backoff: float = 1.0, token_ids: bool = False,
    ) -> None:
        import openai

        self.model = model
        self._client = openai.OpenAI(
            base_url=base_url or os.environ.get("OPENAI_BASE_URL") or None,
            api_key=api_key or os.environ.get("OPENAI_API_KEY") or "EMPTY",  # vLLM accepts any key
            max_retries=0, timeout=timeout,  # retries are ours: they count, back off and log
        )
        self._slots = threading.BoundedSemaphore(concurrency)
        self._retries, self._backoff, self._token_ids = retries, backoff, token_ids

    def chat(
        self, messages: list[dict[str, Any]], n: int, sampling: Sampling,
        tools: list[dict[str, Any]] | None = None,
    ) -> list[Completion]:
        response = self._create(self._request(messages, n, sampling, tools))
        choices = getattr(response, "choices", None)
        if not isinstance(choices, list) or len(choices) != n:
            raise BackendError(f"{self._server()} sent a malformed response (expected {n} choices)")
        try:
            return self._completions(response, sorted(choices, key=lambda c: c.index or 0))
        except (AttributeError, TypeError, ValueError) as exc:
            raise BackendError(f"{self._server()} sent a malformed choice ({exc})") from exc

    def close(self) -> None:
        self._client.close()

    def _request(
        self, messages: list[dict[str, Any]], n: int, s: Sampling, tools: list[dict[str, Any]] | None
    ) -> dict[str, Any]:
        """The create() arguments; top_k and token ids go in `extra_body`, which vLLM/SGLang accept
        and hosted APIs reject (top_k <= 0 leaves it out)."""
        request: dict[str, Any] = {
            "model": self.model, "messages": messages, "n": n, "temperature": s.temperature,
            "top_p": s.top_p, "max_tokens": s.max_tokens, "logprobs": True,
        }
        extra: dict[str, Any] = {}
        if s.top_k > 0:
            extra["top_k"] = s.top_k
        if self._token_ids:
            extra["return_tokens_as_token_ids"] = True
        if extra:
            request["extra_body"] = extra
        if s.seed is not None:
            request["seed"] = s.seed
        if tools:
            request["tools"] = tools
        return request

    def _create(self, request: dict[str, Any]) -> Any:
        """One create() with retries on connection errors, timeouts, 408/429 and 5xx."""
        import openai

        last: Exception | None = None
        for attempt in range(self._retries + 1):
            if attempt:
                delay = self._backoff * 2 ** (attempt - 1)
                log.warning("%s: %s; retry %d/%d in %.1fs", self._server(), _brief(last), attempt,
                            self._retries, delay)
                time.sleep(delay)
            try:
                with self._slots:
                    return self._client.chat.completions.create(**request)
            except openai.APIStatusError as exc:
                if exc.status_code == 400 and _CONTEXT.search(str(exc)):
                    raise ContextExceeded(f"{self._server()}: {_brief(exc)}") from exc
                if exc.status_code < 500 and exc.status_code not in (408, 429):
                    raise BackendError(f"{self._server()} refused the request: {_brief(exc)}") from exc
                last = exc
            except openai.APIConnectionError as exc:  # APITimeoutError included
                last = exc
            except (openai.APIResponseValidationError, ValueError) as exc:  # body not JSON
                raise BackendError(f"{self._server()} sent a malformed response: {_brief(exc)}") from exc
        raise BackendError(f"{self._server()} failed {self._retries + 1} times; last: {_brief(last)}")

    def _completions(self, response: Any, choices: list[Any]) -> list[Completion]:
        usage = getattr(response, "usage", None)
        prompt = usage.prompt_tokens if usage else 0
        # Servers report completion tokens summed over the n choices; a choice's log-probs count its own.
        share, extra = divmod(usage.completion_tokens if usage else 0, len(choices))
        done = []
        for i, choice in enumerate(choices):
            content = choice.logprobs.content if choice.logprobs else None
            ids = _token_ids(content) if self._token_ids and content else None
            done.append(Completion(
                text=choice.message.content or "",
                token_ids=ids,
                logprobs=tuple(float(t.logprob) for t in content) if content is not None else None,
                prompt_tokens=prompt,
                completion_tokens=len(content) if content is not None else share + (i < extra),
                finish_reason="length" if choice.finish_reason == "length" else "stop",
                tool_calls=tuple(_tool_call(c) for c in choice.message.tool_calls or ()),
            ))
        return done

    def _server(self) -> str:
        return f"model server {self._client.base_url}"


def _token_ids(content: list[Any]) -> tuple[int, ...] | None:
    """Ids from vLLM's `return_tokens_as_token_ids` tokens; None when any token lacks one."""
    ids = [_TOKEN_ID.fullmatch(t.token) for t in content]
    return tuple(int(m.group(1)) for m in ids) if all(ids) else None


def _tool_call(call: Any) -> dict[str, Any]:
    """{"id", "name", "arguments"}: arguments as a dict of strings; JSON that is not an object, or
    not JSON at all, is kept under "__raw__" so the agent can report the format error."""
    raw = call.function.arguments or ""
    try:
        args = json.loads(raw) if raw.strip() else {}
    except json.JSONDecodeError:
        args = None
    if isinstance(args, dict):
        arguments = {k: v if isinstance(v, str) else json.dumps(v) for k, v in args.items()}
    else:
        arguments = {"__raw__": raw}
    return {"id": call.id, "name": call.function.name, "arguments": arguments}


def _brief(exc: Exception | None) -> str:
    """The exception as one short line."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:200]}"
