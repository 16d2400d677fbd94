"""The registered selectors. Most are chains (chain.py); the paper's hybrids are written exactly as
the released ENTROPO code orders its filters and breaks ties (PAPER.md, "Test-time scaling and the
hybrid selector"); `hybrid-r2e` is R2E-Gym's own rule."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping

from harness.patches import normalise_patch
from harness.selectors import Candidate, Selector
from harness.selectors.chain import chain_selector

CHAINS = {
    # C = finished (all if none); order by verifier, descending and stable; the most regression
    # passes; the most reproduction passes; verifier > 0.01 (C if none); the MOST steps.
    "hybrid-verified": "finished>by:verifier>regression>reproduction>verifier:0.01>longest",
    # Lite in the released code: no execution filters, and the FEWEST steps.
    "hybrid-lite": "finished>by:verifier>verifier:0.01>shortest",
    # R2E-Gym: keep the top max(3, n/2) by verifier, then the best regression, then reproduction.
    "hybrid-r2e": "by:verifier>top:verifier>regression>reproduction",
    "first-finished": "nonempty>finished",
    "shortest": "finished>nonempty>shortest",
    "longest": "finished>nonempty>longest",
    "verifier": "verifier",
    # an empty patch keeps every regression test passing: it must not win on that alone
    "regression": "nonempty>regression",
}
HYBRID_VERIFIED, HYBRID_LITE, HYBRID_R2E, FIRST_FINISHED, SHORTEST, LONGEST, VERIFIER, REGRESSION = (
    chain_selector(name, chain) for name, chain in CHAINS.items()
)


def _majority(pool: list[Candidate], rng: random.Random) -> Candidate:
    """The most common normalised non-empty patch (ties: the one sampled first), its first sample."""
    keys = [normalise_patch(c.model_patch) for c in pool]
    votes = Counter(k for k in keys if k)
    if not votes:
        return pool[0]
    top = max(votes.values())
    winner = next(k for k in keys if votes.get(k) == top)
    return pool[keys.index(winner)]


def _oracle(pool: list[Candidate], rng: random.Random, resolved: Mapping[int, bool]) -> Candidate:
    """The first resolving sample, else the first: the upper bound of any selector."""
    return next((c for c in pool if resolved.get(c.sample_index)), pool[0])


FIRST = Selector("first", lambda pool, rng: pool[0])
RANDOM = Selector("random", lambda pool, rng: rng.choice(pool))
MAJORITY = Selector("majority", _majority)
ORACLE = Selector("oracle", _oracle, oracle=True)
