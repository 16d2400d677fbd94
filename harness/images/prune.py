"""Evict instance images, least recently used first, until they fit a disk budget.

Only images the harness knows as instance images are candidates: those labelled by our builder
and those of the benchmark being pruned (pulled images carry no label of ours). Base images stay.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from harness.images import LABEL, client, last_used


@dataclass(frozen=True)
class Candidate:
    name: str
    image_id: str
    size: int
    last_used: float


def candidates(extra_names: Iterable[str] = ()) -> list[Candidate]:
    """Instance images present locally, least recently used first."""
    c = client()
    found: dict[str, Candidate] = {}
    images = c.images.list(filters={"label": f"{LABEL}=instance"})
    for name in extra_names:
        try:
            images.append(c.images.get(name))
        except Exception:
            continue
    for image in images:
        for tag in image.tags:
            found[tag] = Candidate(tag, image.id, image.attrs.get("Size", 0), last_used(tag))
    return sorted(found.values(), key=lambda c: (c.last_used, c.name))


def plan(images: list[Candidate], budget_bytes: int) -> list[Candidate]:
    """The least recently used images to remove so the rest fit `budget_bytes`.

    An image goes with all its tags (removing one tag of several only untags it) and was last
    used when its most recent tag was.
    """
    tags: dict[str, list[Candidate]] = {}
    for c in images:
        tags.setdefault(c.image_id, []).append(c)
    total = sum(same[0].size for same in tags.values())
    evict = []
    for same in sorted(tags.values(), key=lambda same: max(c.last_used for c in same)):
        if total <= budget_bytes:
            break
        evict += same
        total -= same[0].size
    return evict


def prune(budget_bytes: int, extra_names: Iterable[str] = (), dry_run: bool = False) -> list[Candidate]:
    """Remove LRU instance images beyond the budget; returns what was (or would be) removed."""
    evict = plan(candidates(extra_names), budget_bytes)
    if not dry_run:
        for c in evict:
            client().images.remove(c.name, force=True)
    return evict
