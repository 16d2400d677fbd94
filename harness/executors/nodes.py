"""A node's sandbox slots: the Ray custom resource each sandboxed unit of work needs, sized to the
node's cores and memory."""

from __future__ import annotations

import os

SLOT = "sandbox"  # the Ray resource one sandboxed unit of work needs
GIB_PER_SLOT = 2  # a SWE-bench container with its test run


def sandbox_slots(cores: int | None = None, memory_gib: float | None = None) -> int:
    """Sandboxes this machine runs at once: two a core (agents mostly wait on the model), at most one
    per GIB_PER_SLOT of memory."""
    cores = cores or os.cpu_count() or 1
    if memory_gib is None:
        memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return max(1, min(2 * cores, int(memory_gib // GIB_PER_SLOT)))
