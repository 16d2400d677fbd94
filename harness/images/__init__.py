"""Docker images of instances: build (swe-mini), pull (SWE-bench and training sets), prune by LRU.

Every image and container the harness makes carries the `harness` label, so prune and reap never
touch anything else. Last use of an image is a file's mtime under the cache, bumped by sandboxes.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from harness import paths
from harness.errors import EngineUnavailable

LABEL = "harness"


@lru_cache(maxsize=1)
def client():
    """The Docker client, or a one-line error saying how to get an engine."""
    import docker

    try:
        c = docker.from_env(timeout=600, max_pool_size=64)
        c.ping()
    except Exception as exc:  # docker raises several types for "no engine"
        raise EngineUnavailable(
            "no Docker engine reachable (start dockerd or set DOCKER_HOST); "
            f"or use --sandbox local for swe-mini ({type(exc).__name__})"
        ) from exc
    return c


def engine_available() -> bool:
    try:
        client()
    except EngineUnavailable:
        client.cache_clear()
        return False
    return True


def _usage_file(image: str) -> Path:
    return paths.CACHE / "image-usage" / image.replace("/", "%").replace(":", "@")


def touch(image: str) -> None:
    """Record that `image` was just used (its LRU clock)."""
    path = _usage_file(image)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()


def last_used(image: str) -> float:
    """Unix time of the last recorded use, 0 when never used through the harness."""
    path = _usage_file(image)
    return path.stat().st_mtime if path.exists() else 0.0
