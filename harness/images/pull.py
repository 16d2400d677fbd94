"""Pull instance images by name: bounded concurrency and rate, retries with backoff, clear refusals."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from harness.images import client, touch

# Registry answers that retrying will not fix.
PERMANENT = ("not found", "manifest unknown", "unauthorized", "denied", "no such host", "name unknown")


class RateLimiter:
    """At most one start every `interval` seconds across threads."""

    def __init__(self, per_minute: float):
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self.interval
        time.sleep(start - now)


def pull_one(
    name: str, limiter: RateLimiter, retries: int = 4, backoff: float = 5.0,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """Pull `name` unless present; returns "present", "pulled" or "failed: <one-line reason>"."""
    import docker

    try:
        client().images.get(name)
        return "present"
    except docker.errors.ImageNotFound:
        pass
    reason = ""
    for attempt in range(retries + 1):
        limiter.wait()
        try:
            client().images.pull(name)  # docker-py splits repo, tag and @digest itself
            touch(name)
            return "pulled"
        except Exception as exc:  # APIError, ConnectionError, ReadTimeout...
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            if "toomanyrequests" in reason.lower() or "rate limit" in reason.lower():
                reason = f"registry rate limit reached ({reason}); lower --per-minute or log in"
            elif any(p in reason.lower() for p in PERMANENT):
                break
            if attempt < retries:
                sleep(backoff * 2**attempt)
    return f"failed: {reason}"


def pull_images(
    names: Sequence[str], workers: int = 4, per_minute: float = 30, retries: int = 4,
    on_done: Callable[[str, str], None] = lambda n, s: None,
) -> dict[str, str]:
    """Pull every distinct image; returns {name: status}."""
    limiter = RateLimiter(per_minute)

    def one(name: str) -> tuple[str, str]:
        status = pull_one(name, limiter, retries)
        on_done(name, status)
        return name, status

    with ThreadPoolExecutor(max(1, workers)) as pool:
        return dict(pool.map(one, dict.fromkeys(names)))
