"""Remove sandboxes whose owning harness process is gone (after a crash or kill -9): Docker
containers, and the local sandbox's folders under the temp dir."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from harness.images import LABEL, client
from harness.sandbox.owner import OWNER_FILE, owner_alive


def reap(everything: bool = False) -> list[str]:
    """Remove orphaned sandbox containers (all of ours with `everything`); returns their names."""
    import docker

    removed = []
    # ignore_removed: a container another process removes between the listing and its inspection
    for c in client().containers.list(all=True, filters={"label": f"{LABEL}.sandbox=1"}, ignore_removed=True):
        if everything or not owner_alive(c.labels.get(f"{LABEL}.owner", "")):
            try:
                c.remove(force=True)
            except docker.errors.NotFound:  # gone meanwhile: its owner (another worker) removed it
                continue
            removed.append(c.name)
    return removed


def reap_local(everything: bool = False) -> list[str]:
    """Remove local sandbox folders whose owner is gone (all of them with `everything`); a folder
    without an owner file (one being made, or an older harness's) is kept unless `everything`."""
    from harness.sandbox.local import LOCAL_PREFIX

    removed = []
    for folder in sorted(Path(tempfile.gettempdir()).glob(f"{LOCAL_PREFIX}*")):
        owner = folder / OWNER_FILE
        if everything or (owner.is_file() and not owner_alive(owner.read_text().strip())):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed
