"""Who owns a sandbox: a label of the creating process that a reaper checks against the live ones."""

from __future__ import annotations

import os
import socket

OWNER_FILE = "owner"  # a local sandbox folder's owner label


def owner_label() -> str:
    """host:pid:start-time of this process, so a reaper can tell a dead owner from a live one."""
    return f"{socket.gethostname()}:{os.getpid()}:{process_start(os.getpid())}"


def process_start(pid: int) -> str:
    """Start time of a live process ("" when gone or a zombie: killed, not yet reaped)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return ""
    return "" if fields[0] in ("Z", "X") else fields[19]


def owner_alive(owner: str) -> bool:
    """Whether the process an `owner_label` names still runs (another machine's: assumed so)."""
    host, _, rest = owner.partition(":")
    pid, _, started = rest.partition(":")
    if host != socket.gethostname():
        return True  # another machine's sandbox: not ours to judge
    return pid.isdigit() and process_start(int(pid)) == started != ""
