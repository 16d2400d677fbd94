"""The instance images a sandbox needs, made present before the work: by the driver for all of a stage
at once (built for swe-mini and swe-gen, checked for pulled benchmarks: `harness images pull` first),
or by a cluster's node for each task's instance (built or pulled), once per process and one process of
the node at a time."""

from __future__ import annotations

import fcntl
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from harness.benchmarks import get_benchmark, local_family
from harness.errors import EngineUnavailable
from harness.records import Instance, PublicInstance

_ready: set[str] = set()
_lock = threading.Lock()


def prepare_images(instances: Sequence[Instance], needs_docker: bool, workers: int) -> None:
    """Build the images of locally built families (swe-mini, swe-gen; a no-op when current); other
    benchmarks' images must be pulled."""
    if not needs_docker:
        return
    from harness.images import client
    from harness.sandbox.reaper import reap

    reap()
    local = [i for i in instances if local_family(i.benchmark)]
    if local:
        from harness.images.build import build_images

        build_images(local, workers=workers)
    pulled = [i for i in instances if not local_family(i.benchmark)]
    missing = [i.image for i in pulled if not _present(client(), i.image)]
    if missing:
        raise EngineUnavailable(
            f"{len(missing)} images are not present (e.g. {missing[0]}); run `harness images pull`"
        )


def _present(c, image: str) -> bool:
    try:
        c.images.get(image)
    except Exception:
        return False
    return True


def ensure_images(instances: Sequence[Instance | PublicInstance], sandbox: str) -> None:
    """On a node of a cluster: build (swe-mini, swe-gen) or pull (other benchmarks) the images
    `instances` need, unless present (a public view's full instance is loaded for the build only:
    what a build hashes)."""
    if sandbox != "docker":
        return
    from harness.images.pull import pull_images

    with _lock:
        need = [i if isinstance(i, Instance) else get_benchmark(i.benchmark).load(None, [i.instance_id])[0]
                for i in instances if i.image not in _ready]
        if not need:
            return
        lock = Path(tempfile.gettempdir()) / "harness-images.lock"
        with lock.open("w") as held:
            fcntl.flock(held, fcntl.LOCK_EX)  # the node's other worker processes wait, then find them made
            pulled = pull_images([i.image for i in need if not local_family(i.benchmark)], workers=1)
            if failed := {name: status for name, status in pulled.items() if status.startswith("failed")}:
                name, status = next(iter(failed.items()))
                raise EngineUnavailable(f"this node could not pull {name}: {status}")
            prepare_images(need, True, workers=1)
        _ready.update(i.image for i in need)
