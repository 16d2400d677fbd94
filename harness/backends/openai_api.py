"""Sampling through any OpenAI-compatible chat server (`vllm serve`, SGLang, hosted APIs), or several
replicas of one, with the `openai` client: bounded concurrency, failover between replicas, our own
retries with backoff, and every failure mapped to BackendError / ContextExceeded with a one-line message.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from collections.abc import Sequence
from typing import Any

from harness.backends import BackendError, Completion, ContextExceeded, Sampling
from harness.backends.adapters import adapter_of, load
from harness.backends.replicas import Replica, Replicas

log = logging.getLogger(__name__)

# How vLLM, SGLang and OpenAI word a prompt that does not fit (all answer HTTP 400).
_CONTEXT = re.compile(
    r"context length|maximum context|context window|maximum model length|context_length_exceeded", re.I
)
_TOKEN_ID = re.compile(r"token_id:(\d+)")


class OpenAIBackend:
    """A chat-completions client; `token_ids=True` asks vLLM for ids ("token_id:123" tokens).

    `base_url` is one server or several replicas of the model (a list, or URLs separated by commas);
    a request that a replica fails goes to another at once, and backs off only when none answers.
    `adapters`: a trained model is rolled out as its LoRA adapter on the servers, which serve the model
    it was trained from (harness/backends/adapters.py); each replica loads it, again after a restart."""

    def __init__(
        self, model: str, base_url: str | Sequence[str] | None = None, api_key: str | None = None,
        concurrency: int = 8, retries: int = 3, timeout: float = 600, backoff: float = 1.0,
        token_ids: bool = False, probe_every: float = 5.0, adapters: bool = False,
    ) -> None:
        import openai

        self.model = model
        self._adapter = adapter_of(model) if adapters else None
        self._served = self._adapter.name if self._adapter else model  # what requests name
        key = api_key or os.environ.get("OPENAI_API_KEY") or "EMPTY"  # vLLM accepts any key
        urls = _urls(base_url or os.environ.get("OPENAI_BASE_URL")) or [None]  # None: the client's default
        clients = [openai.OpenAI(base_url=url, api_key=key, max_retries=0, timeout=timeout)  # retries: ours
                   for url in urls]
        self._replicas = Replicas([Replica(str(c.base_url), c) for c in clients], self._ready, probe_every)
        self._slots = threading.BoundedSemaphore(concurrency)
        self._retries, self._backoff, self._token_ids = retries, backoff, token_ids
        if self._adapter:
            for replica in self._replicas.all:
                try:
                    load(replica.client, self._adapter)
                except (openai.APIConnectionError, openai.InternalServerError):  # loaded once it is up
                    self._replicas.down(replica)

    def chat(
        self, messages: list[dict[str, Any]], n: int, sampling: Sampling,
        tools: list[dict[str, Any]] | None = None,
    ) -> list[Completion]:
        response, server = self._create(self._request(messages, n, sampling, tools))
        choices = getattr(response, "choices", None)
        if not isinstance(choices, list) or len(choices) != n:
            raise BackendError(f"{server} sent a malformed response (expected {n} choices)")
        try:
            return self._completions(response, sorted(choices, key=lambda c: c.index or 0))
        except (AttributeError, TypeError, ValueError) as exc:
            raise BackendError(f"{server} sent a malformed choice ({exc})") from exc

    def close(self) -> None:
        self._replicas.close()
        for replica in self._replicas.all:
            replica.client.close()

    def _request(
        self, messages: list[dict[str, Any]], n: int, s: Sampling, tools: list[dict[str, Any]] | None
    ) -> dict[str, Any]:
        """The create() arguments; top_k and token ids go in `extra_body`, which vLLM/SGLang accept
        and hosted APIs reject (top_k <= 0 leaves it out)."""
        request: dict[str, Any] = {
            "model": self._served, "messages": messages, "n": n, "temperature": s.temperature,
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

    def _create(self, request: dict[str, Any]) -> tuple[Any, str]:
        """(response, which server) of one create(): a connection error, timeout, 408/429 or 5xx
        moves to another answering replica, or, when none answers, backs off and tries again."""
        import openai

        last: Exception | None = None
        attempts, waits, answered = self._retries + len(self._replicas.all), 0, True
        for _ in range(attempts):
            if last is not None and (answered or not self._replicas.any_up()):  # overloaded, or all down
                delay = self._backoff * 2 ** waits
                waits += 1
                log.warning("%s: %s; retry in %.1fs", self._servers(), _brief(last), delay)
                time.sleep(delay)
            with self._slots:
                replica, answered = self._replicas.acquire(), True
                server = f"model server {replica.url}"
                try:
                    return replica.client.chat.completions.create(**request), server
                except openai.APIStatusError as exc:
                    if exc.status_code == 400 and _CONTEXT.search(str(exc)):
                        raise ContextExceeded(f"{server}: {_brief(exc)}") from exc
                    if exc.status_code == 404 and self._adapter:  # restarted without it: a probe reloads
                        last, answered = exc, False
                    elif exc.status_code < 500 and exc.status_code not in (408, 429):
                        raise BackendError(f"{server} refused the request: {_brief(exc)}") from exc
                    else:
                        last, answered = exc, exc.status_code in (408, 429)  # overloaded, not broken
                except openai.APIConnectionError as exc:  # APITimeoutError included
                    last, answered = exc, False
                except (openai.APIResponseValidationError, ValueError) as exc:  # body not JSON
                    raise BackendError(f"{server} sent a malformed response: {_brief(exc)}") from exc
                finally:
                    self._replicas.release(replica, answered)
                if not answered and self._replicas.any_up():
                    log.warning("%s: %s; trying another replica", server, _brief(last))
        raise BackendError(f"{self._servers()} failed {attempts} times; last: {_brief(last)}")

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

    def _ready(self, replica: Replica) -> bool:
        """A down replica answers again (and has this backend's adapter loaded)."""
        if not _answers(replica):
            return False
        if self._adapter:
            try:
                load(replica.client, self._adapter)
            except Exception as exc:
                log.warning("model server %s answers but did not load %s: %s", replica.url,
                            self._adapter.name, _brief(exc))
                return False
        return True

    def _servers(self) -> str:
        urls = [r.url for r in self._replicas.all]
        return f"model server{'s' if len(urls) > 1 else ''} {', '.join(urls)}"


def _urls(given: str | Sequence[str] | None) -> list[str]:
    """Server URLs from a list or a comma-separated string."""
    items = given.split(",") if isinstance(given, str) else list(given or ())
    return [u.strip() for u in items if u and u.strip()]


def _answers(replica: Replica) -> bool:
    """Whether a replica answers a cheap request (GET /models) within a few seconds."""
    import openai

    try:
        replica.client.with_options(timeout=5.0).models.list()
    except openai.APIStatusError as exc:
        return exc.status_code < 500  # it answered, if not with a list (a server without /models)
    except Exception:
        return False
    return True


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
