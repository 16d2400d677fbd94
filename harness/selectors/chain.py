"""Selectors written as chains of steps over one instance's candidates, e.g.
`finished>regression>reproduction>verifier:0.01>longest`. Every step keeps a subset in a stable order,
and a step that would keep nothing keeps what it was given; the first survivor is chosen. The paper's
hybrid selectors are named chains (builtin.py).

Steps:
  finished        those that called `finish`
  nonempty        those with a non-empty patch
  longest         the most steps          shortest   the fewest steps
  by:S            all, ordered by signal S descending (stable; candidates without S last)
  top:S           the best max(3, n // 2) by signal S (R2E-Gym's verifier cut)
  S               those with the highest value of signal S
  S:T             those whose signal S is above T
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from harness.errors import BadInput
from harness.selectors import Candidate, Selector
from harness.signals import SIGNALS

Step = Callable[[list[Candidate]], list[Candidate]]




def parse(chain: str) -> list[Step]:
    """The steps of `chain` (`step>step>...`); BadInput on an unknown step."""
    return [_step(part.strip()) for part in chain.split(">") if part.strip()]


def select(chain: str | list[Step], candidates: Sequence[Candidate]) -> Candidate:
    """The candidate `chain` picks from `candidates` (in sample order), which must not be empty."""
    steps = parse(chain) if isinstance(chain, str) else chain
    pool = sorted(candidates, key=lambda c: c.sample_index)
    for step in steps:
        pool = step(pool) or pool
    return pool[0]


def chain_selector(name: str, chain: str) -> Selector:
    """A Selector named `name` running `chain` (parsed now, so a bad step fails before any work)."""
    steps = parse(chain)
    return Selector(name, lambda pool, rng: select(steps, pool))


def _step(text: str) -> Step:
    fixed: dict[str, Step] = {
        "finished": lambda pool: [c for c in pool if c.finished],
        "nonempty": lambda pool: [c for c in pool if c.model_patch.strip()],
        "longest": lambda pool: _best(pool, lambda c: c.steps),
        "shortest": lambda pool: _best(pool, lambda c: -c.steps),
    }
    if text in fixed:
        return fixed[text]
    head, _, arg = text.partition(":")
    signal = arg if head in ("by", "top") else head
    if signal not in SIGNALS:
        raise BadInput(f"unknown selector step {text!r} (steps: finished, nonempty, longest, shortest, "
                       f"by:S, top:S, S, S:threshold; signals S: {', '.join(SIGNALS)})")
    if head == "by":
        return lambda pool: sorted(pool, key=lambda c: (arg not in c.signals, -c.signals.get(arg, 0.0)))
    if head == "top":
        return lambda pool: sorted(
            (c for c in pool if arg in c.signals), key=lambda c: -c.signals[arg])[: max(3, len(pool) // 2)]
    if not arg:
        return lambda pool: _best([c for c in pool if head in c.signals], lambda c: c.signals[head])
    try:
        threshold = float(arg)
    except ValueError:
        raise BadInput(f"selector step {text!r}: the threshold is not a number") from None
    return lambda pool: [c for c in pool if c.signals.get(head, float("-inf")) > threshold]


def _best(pool: list[Candidate], key: Callable[[Candidate], float]) -> list[Candidate]:
    if not pool:
        return []
    top = max(key(c) for c in pool)
    return [c for c in pool if key(c) == top]
