"""The registered selectors on constructed candidates: ties, none finished, no verifier scores, all
patches empty; the oracle is the only one that reads verdicts; nothing hidden is readable."""

from __future__ import annotations

import random

import pytest

from harness import registry
from harness.errors import BadInput, HarnessError
from harness.records import HIDDEN_FIELDS
from harness.selectors import Candidate, Selector, get_selector

FIX = "--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n"
FIX_SPACED = "diff --git a/m.py b/m.py\nindex 1..2\n--- a/m.py\n+++ b/m.py\n@@ -4 +4 @@\n-x  =  1\n+x = 2\n"
OTHER = "--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-x = 1\n+x = 3\n"


def c(k: int, finished: bool = True, patch: str = FIX, steps: int = 10, **signals: float) -> Candidate:
    return Candidate("repo__1", k, finished, patch, steps, signals)


def pick(name: str, *candidates: Candidate, seed: int = 0, resolved: dict | None = None) -> int:
    return get_selector(name).pick(list(candidates), random.Random(seed), resolved).sample_index


def test_every_registered_selector_loads_and_picks_from_one_candidate() -> None:
    for name in registry.names("selector"):
        selector = get_selector(name)
        assert selector.name == name
        resolved = {0: False} if selector.oracle else None
        assert selector.pick([c(0)], random.Random(0), resolved).sample_index == 0


def test_first_takes_the_lowest_sample_index_and_random_is_seeded() -> None:
    assert pick("first", c(3), c(1, finished=False), c(2)) == 1
    picks = {pick("random", *[c(k) for k in range(8)], seed=s) for s in range(40)}
    assert len(picks) > 4 and picks <= set(range(8))
    eight = [c(k) for k in range(8)]
    assert pick("random", *eight, seed=5) == pick("random", *eight, seed=5)


def test_majority_votes_over_normalised_patches() -> None:
    # FIX and FIX_SPACED differ only in whitespace, index line and hunk position: one vote each for
    # the same fix, against one OTHER; the first sample of the winning fix is chosen
    assert pick("majority", c(0, patch=OTHER), c(1, patch=FIX_SPACED), c(2, patch=FIX)) == 1
    assert pick("majority", c(0, patch=FIX), c(1, patch=OTHER)) == 0  # tie: the one sampled first
    assert pick("majority", c(0, patch=""), c(1, patch=""), c(2, patch=OTHER)) == 2  # empties never vote
    assert pick("majority", c(0, patch=""), c(1, patch=" \n")) == 0  # all empty: the first


def test_shortest_and_longest_prefer_finished_non_empty_and_break_ties_by_sample_order() -> None:
    cands = [c(0, finished=False, steps=1), c(1, steps=7), c(2, steps=3), c(3, steps=3),
             c(4, steps=7, patch="")]
    assert pick("shortest", *cands) == 2
    assert pick("longest", *cands) == 1
    none_finished = [c(0, finished=False, steps=5), c(1, finished=False, steps=9)]
    assert pick("longest", *none_finished) == 1 and pick("shortest", *none_finished) == 0
    all_empty = [c(0, patch="", steps=5), c(1, patch="", steps=2)]
    assert pick("shortest", *all_empty) == 1


def test_verifier_and_regression_without_scores_fall_back_to_the_first() -> None:
    assert pick("verifier", c(0), c(1)) == 0
    assert pick("verifier", c(0, verifier=0.2), c(1, verifier=0.9), c(2, verifier=0.9)) == 1
    assert pick("regression", c(0), c(1)) == 0
    # an empty patch keeps every regression test passing; it does not win on that
    assert pick("regression", c(0, patch="", regression=10), c(1, regression=8), c(2, regression=9)) == 2


def test_first_finished_prefers_a_finished_patch_then_any_patch() -> None:
    assert pick("first-finished", c(0, finished=False), c(1, patch=""), c(2)) == 2
    assert pick("first-finished", c(0, finished=False, patch=""), c(1, finished=False)) == 1
    assert pick("first-finished", c(0, finished=False, patch=""), c(1, patch="")) == 1


def test_the_oracle_reads_verdicts_only_when_given_and_is_flagged() -> None:
    oracle = get_selector("oracle")
    others = [get_selector(n) for n in registry.names("selector") if n != "oracle"]
    assert oracle.oracle and not any(s.oracle for s in others)
    assert pick("oracle", c(0), c(1), c(2), resolved={0: False, 1: True, 2: True}) == 1
    assert pick("oracle", c(0), c(1), resolved={0: False, 1: False}) == 0  # none resolves: the first
    with pytest.raises(HarnessError, match="reads evaluations"):
        oracle.pick([c(0)], random.Random(0))


@pytest.mark.parametrize("field", [*HIDDEN_FIELDS, "resolved", "status"])
def test_a_selector_reading_a_hidden_field_fails(field: str) -> None:
    sneaky = Selector("sneaky", lambda pool, rng: pool[0] if getattr(pool[0], field) else pool[-1])
    with pytest.raises(PermissionError, match=f"^{field} is hidden from selectors and signals$"):
        sneaky.pick([c(0), c(1)], random.Random(0))


def test_unknown_selectors_are_one_clear_line() -> None:
    with pytest.raises(BadInput, match=r"^unknown selector 'bset'; known: first, first-finished, "):
        get_selector("bset")
    with pytest.raises(BadInput, match=r"^unknown selector step 'verfier'"):
        get_selector("finished>verfier")
    chain = "finished>regression>verifier:0.01>longest"
    assert get_selector(chain).name == chain
