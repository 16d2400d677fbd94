"""Remove sandbox containers whose owning harness process is gone (after a crash or kill -9)."""

from __future__ import annotations

import socket

from harness.images import LABEL, client
from harness.sandbox.docker import process_start


def _owner_alive(owner: str) -> bool:
    host, _, rest = owner.partition(":")
    pid, _, started = rest.partition(":")
    if host != socket.gethostname():
        return True  # another machine's container: not ours to judge
    return pid.isdigit() and process_start(int(pid)) == started != ""


def reap(everything: bool = False) -> list[str]:
    """Remove orphaned sandbox containers (all of ours with `everything`); returns their names."""
    import docker

    removed = []
    # ignore_removed: a container another process removes between the listing and its inspection
    for c in client().containers.list(all=True, filters={"label": f"{LABEL}.sandbox=1"}, ignore_removed=True):
        if everything or not _owner_alive(c.labels.get(f"{LABEL}.owner", "")):
            try:
                c.remove(force=True)
            except docker.errors.NotFound:  # gone meanwhile: its owner (another worker) removed it
                continue
            removed.append(c.name)
    return removed
