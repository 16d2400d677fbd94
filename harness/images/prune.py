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
    """The LRU prefix to remove so the remaining total fits `budget_bytes`."""
    total = sum({c.image_id: c.size for c in images}.values())
    evict, freed_ids = [], set()
    for c in images:
        if total <= budget_bytes:
            break
        evict.append(c)
        if c.image_id not in freed_ids:
            freed_ids.add(c.image_id)
            total -= c.size
    return evict


def prune(budget_bytes: int, extra_names: Iterable[str] = (), dry_run: bool = False) -> list[Candidate]:
    """Remove LRU instance images beyond the budget; returns what was (or would be) removed."""
    evict = plan(candidates(extra_names), budget_bytes)
    if not dry_run:
        for c in evict:
            client().images.remove(c.name, force=True)
    return evict
