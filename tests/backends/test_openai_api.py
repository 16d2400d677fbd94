"""The openai backend against a real local HTTP server (server.py) serving the tiny model."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
import torch
from server import FakeServer
from test_hf import CHAT, forward_logprobs
from threads import in_threads

from harness.backends import BackendError, ContextExceeded, Sampling
from harness.backends.hf import HFBackend
from harness.backends.openai_api import OpenAIBackend

FAST = {"retries": 2, "backoff": 0.01, "timeout": 30}


@pytest.fixture(scope="module")
def running(tiny_model_dir: Path):
    with FakeServer(tiny_model_dir) as server:
        yield server


@pytest.fixture
def server(running: FakeServer) -> FakeServer:
    running.reset()
    return running


def client(server: FakeServer, **options) -> OpenAIBackend:
    return OpenAIBackend("tiny", base_url=server.url, **{**FAST, **options})


def test_samples_carry_the_servers_ids_and_logprobs(server: FakeServer, tiny_model_dir: Path) -> None:
    sampling = Sampling(max_tokens=8, seed=3)
    done = client(server, token_ids=True).chat(CHAT, 3, sampling)
    assert len(done) == 3
    direct = HFBackend(str(tiny_model_dir)).chat(CHAT, 3, sampling)  # what the server's model samples
    assert [c.token_ids for c in done] == [c.token_ids for c in direct]
    for c, d in zip(done, direct, strict=True):
        assert (c.text, c.prompt_tokens, c.completion_tokens, c.finish_reason) == (
            d.text, d.prompt_tokens, 8, "length"
        )
        assert torch.allclose(torch.tensor(c.logprobs), forward_logprobs(tiny_model_dir, CHAT, c.token_ids),
                              atol=1e-4)
    [body] = server.bodies
    assert {k: body[k] for k in ("n", "seed", "top_k", "top_p", "temperature", "max_tokens", "logprobs",
                                 "return_tokens_as_token_ids")} == {
        "n": 3, "seed": 3, "top_k": 20, "top_p": 0.8, "temperature": 0.7, "max_tokens": 8, "logprobs": True,
        "return_tokens_as_token_ids": True,
    }


def test_without_token_ids_counts_tokens_from_logprobs(server: FakeServer) -> None:
    done = client(server).chat(CHAT, 2, Sampling(max_tokens=5, seed=1, top_k=0))
    assert [(c.token_ids, len(c.logprobs), c.completion_tokens) for c in done] == [(None, 5, 5)] * 2
    assert "top_k" not in server.bodies[0] and "return_tokens_as_token_ids" not in server.bodies[0]


def test_env_supplies_the_server(server: FakeServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    [c] = OpenAIBackend("tiny").chat(CHAT, 1, Sampling(max_tokens=2, seed=0))
    assert c.completion_tokens == 2 and server.requests == 1


def test_tool_calls_are_parsed(server: FakeServer) -> None:
    server.reset(mode="tools")
    tools = [{"type": "function", "function": {"name": "bash"}}]
    [c] = client(server).chat(CHAT, 1, Sampling(), tools=tools)
    assert (c.text, c.finish_reason, c.logprobs) == ("", "stop", None)
    assert (c.prompt_tokens, c.completion_tokens) == (7, 3)
    assert c.tool_calls == (
        {"id": "call_1", "name": "bash", "arguments": {"cmd": "ls", "timeout": "5"}},
        {"id": "call_2", "name": "bash", "arguments": {"__raw__": "{not json"}},
    )
    assert server.bodies[0]["tools"][0]["function"]["name"] == "bash"


def test_timeouts_end_in_backend_error(server: FakeServer) -> None:
    server.reset(mode="slow", delay=3.0)
    start = time.monotonic()
    with pytest.raises(BackendError, match=rf"{server.url}.* failed 2 times; last: APITimeoutError"):
        client(server, timeout=0.3, retries=1).chat(CHAT, 1, Sampling(max_tokens=2))
    assert time.monotonic() - start < 2 * 0.3 + 1.0
    assert server.requests == 2


@pytest.mark.parametrize("mode", ["garbage", "html", "nochoices"])
def test_garbage_is_a_backend_error_without_retry(server: FakeServer, mode: str) -> None:
    server.reset(mode=mode)
    with pytest.raises(BackendError, match="malformed response"):
        client(server).chat(CHAT, 1, Sampling(max_tokens=2))
    assert server.requests == 1


def test_flaky_server_succeeds_after_retries(server: FakeServer) -> None:
    server.reset(mode="flaky", failures=2)
    [c] = client(server, retries=3).chat(CHAT, 1, Sampling(max_tokens=3, seed=0))
    assert c.completion_tokens == 3 and server.requests == 3


def test_retries_run_out(server: FakeServer) -> None:
    server.reset(mode="flaky", failures=10)
    with pytest.raises(BackendError, match="failed 3 times; last: InternalServerError"):
        client(server, retries=2).chat(CHAT, 1, Sampling(max_tokens=3))
    assert server.requests == 3


def test_context_length_error_is_context_exceeded(server: FakeServer) -> None:
    server.reset(mode="context")
    with pytest.raises(ContextExceeded, match="maximum context length is 64"):
        client(server).chat(CHAT, 1, Sampling())
    assert server.requests == 1


def test_other_client_errors_are_not_retried(server: FakeServer) -> None:
    server.reset(mode="missing")
    with pytest.raises(BackendError, match="refused the request: NotFoundError") as info:
        client(server).chat(CHAT, 1, Sampling())
    assert not isinstance(info.value, ContextExceeded) and server.requests == 1


def test_unreachable_server_is_a_backend_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    backend = OpenAIBackend("tiny", base_url=f"http://127.0.0.1:{port}/v1", retries=1, backoff=0.01)
    with pytest.raises(BackendError, match=rf"127.0.0.1:{port}.* failed 2 times; last: APIConnectionError"):
        backend.chat(CHAT, 1, Sampling())


def test_concurrency_is_bounded(server: FakeServer) -> None:
    server.reset(delay=0.2)
    backend = client(server, concurrency=2)
    results = in_threads(lambda i: backend.chat(CHAT, 1, Sampling(max_tokens=2, seed=i)), 6)
    assert len(results) == 6 and server.requests == 6
    assert server.max_in_flight <= 2  # (== 2 when the machine is idle; a loaded one may overlap less)
