"""A real OpenAI-compatible HTTP server for the openai backend's tests: POST /v1/chat/completions
answered by a model directory through HFBackend (or by any backend given, e.g. replayed expert
turns as a teacher), or in a failure `mode` the test switches on.

Modes (each after `delay` seconds): ok; slow (no answer: set `delay` past the client's timeout);
garbage (200, JSON content type, body not JSON); html (200, text/html); nochoices (200, JSON
without choices); flaky (the first `failures` requests get 503); context (400, context length);
missing (404); tools (a canned answer with native tool calls). GET /v1/models answers in every mode
(the replicas' health probe); `stop()` and `start()` take the server off its port and back (a restart
forgets loaded adapters). With `root` set it serves that model as vLLM does with --enable-lora: POST
/v1/load_lora_adapter loads an adapter by name, and a request naming neither is a 404.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from transformers import AutoTokenizer

from harness.backends import Sampling
from harness.backends.hf import HFBackend

TOOL_CALLS = [
    {"id": "call_1", "type": "function",
     "function": {"name": "bash", "arguments": json.dumps({"cmd": "ls", "timeout": 5})}},
    {"id": "call_2", "type": "function", "function": {"name": "bash", "arguments": "{not json"}},
]


class FakeServer:
    """Serves on 127.0.0.1 (a free port) while entered; counts requests and the most in flight."""

    def __init__(self, model_dir: Path | None = None, backend: Any = None, root: str | None = None) -> None:
        self.backend = backend or HFBackend(str(model_dir))
        self.root, self.adapters = root, {}  # adapters: name -> path
        self.tokenizer = AutoTokenizer.from_pretrained(model_dir) if model_dir else None
        self.lock = threading.Lock()
        self.port = 0
        self.reset()

    def reset(self, mode: str = "ok", delay: float = 0.0, failures: int = 0) -> None:
        self.mode, self.delay, self.failures = mode, delay, failures
        self.requests = self.in_flight = self.max_in_flight = self.probes = 0
        self.bodies: list[dict[str, Any]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> None:
        """Listen (again: on the same port) and serve."""
        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Stop listening: new connections are refused."""
        self.httpd.shutdown()
        self.httpd.server_close()
        self.adapters = {}

    def __enter__(self) -> FakeServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self.backend.close()

    def answer(self, body: dict[str, Any]) -> dict[str, Any]:
        """A chat.completion for `body`, sampled by the model (OpenAI response shape)."""
        sampling = Sampling(
            temperature=body.get("temperature", 1.0), top_p=body.get("top_p", 1.0),
            top_k=body.get("top_k", 0), max_tokens=body.get("max_tokens", 16), seed=body.get("seed"),
        )
        done = self.backend.chat(body["messages"], body.get("n", 1), sampling)
        as_ids = body.get("return_tokens_as_token_ids", False)
        choices = [{
            "index": i, "finish_reason": c.finish_reason,
            "message": {"role": "assistant", "content": c.text},
            "logprobs": {"content": [
                {"token": f"token_id:{t}" if as_ids else self.tokenizer.decode([t]), "logprob": lp,
                 "bytes": None, "top_logprobs": []}
                for t, lp in zip(c.token_ids, c.logprobs, strict=True)
            ]} if body.get("logprobs") and c.token_ids and c.logprobs else None,
        } for i, c in enumerate(done)]
        completion = sum(c.completion_tokens for c in done)
        return _envelope(body, choices, done[0].prompt_tokens, completion)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:  # keep pytest output clean
        pass

    def do_GET(self) -> None:  # noqa: N802 - the http.server hook name
        server: FakeServer = self.server.owner  # type: ignore[attr-defined]
        with server.lock:
            server.probes += 1
        served = [{"id": server.root or "tiny", "object": "model", "root": server.root or "tiny"}]
        loaded = [{"id": name, "object": "model", "root": path, "parent": server.root}
                  for name, path in server.adapters.items()]
        self._json(200, {"object": "list", "data": served + loaded})

    def do_POST(self) -> None:  # noqa: N802 - the http.server hook name
        server: FakeServer = self.server.owner  # type: ignore[attr-defined]
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path.endswith("/load_lora_adapter"):
            return self._load_adapter(server, body)
        if server.root and body["model"] not in {server.root, *server.adapters}:
            return self._json(404, {"error": {"message": f"The model `{body['model']}` does not exist."}})
        with server.lock:
            server.requests += 1
            server.in_flight += 1
            server.max_in_flight = max(server.max_in_flight, server.in_flight)
            server.bodies.append(body)
            number = server.requests
        try:
            self._respond(server, body, number)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout tests)
        finally:
            with server.lock:
                server.in_flight -= 1

    def _respond(self, server: FakeServer, body: dict[str, Any], number: int) -> None:
        mode = server.mode
        time.sleep(server.delay)
        if mode == "slow":
            return None  # the client has timed out by now: no answer
        if mode == "garbage":
            return self._send(200, b"<html>upstream error</html>", "application/json")
        if mode == "html":
            return self._send(200, b"<html>upstream error</html>", "text/html")
        if mode == "nochoices":
            return self._json(200, {"id": "x", "object": "chat.completion", "model": body["model"]})
        if mode == "flaky" and number <= server.failures:
            return self._json(503, {"error": {"message": "overloaded", "type": "server_error"}})
        if mode == "context":
            message = ("This model's maximum context length is 64 tokens. However, you requested "
                       "4096 tokens (100 in the messages, 3996 in the completion).")
            return self._json(400, {"error": {"message": message, "type": "BadRequestError", "code": 400}})
        if mode == "missing":
            return self._json(404, {"error": {"message": f"model {body['model']} does not exist"}})
        if mode == "tools":
            choice = {"index": 0, "finish_reason": "tool_calls", "logprobs": None,
                      "message": {"role": "assistant", "content": None, "tool_calls": TOOL_CALLS}}
            return self._json(200, _envelope(body, [choice], 7, 3))
        return self._json(200, server.answer(body))

    def _load_adapter(self, server: FakeServer, body: dict[str, Any]) -> None:
        name = body["lora_name"]
        if name in server.adapters:
            message = f"The lora adapter '{name}' has already been loaded."
            return self._json(400, {"error": {"message": message}})
        server.adapters[name] = body["lora_path"]
        return self._send(200, f"Success: LoRA adapter '{name}' added successfully.".encode(), "text/plain")

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json")

    def _send(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _envelope(body: dict[str, Any], choices: list[dict[str, Any]], prompt: int, completion: int) -> dict:
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()),
        "model": body["model"], "choices": choices,
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                  "total_tokens": prompt + completion},
    }
