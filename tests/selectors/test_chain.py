"""Chained selectors on constructed candidates: each step, the fallbacks (none finished, no scores,
all patches empty), tie order, and the paper's hybrid pseudo-code step by step."""

from __future__ import annotations

import random

import pytest

from harness.errors import BadInput
from harness.selectors import Candidate, get_selector
from harness.selectors.chain import parse, select


def c(k: int, finished: bool = True, patch: str = "diff", steps: int = 10, **signals: float) -> Candidate:
    return Candidate("repo__1", k, finished, patch, steps, signals)


def pick(selector: str, *candidates: Candidate) -> int:
    """What the registered selector or chain `selector` picks."""
    return get_selector(selector).pick(list(candidates), random.Random(0)).sample_index


def test_each_step_narrows_and_an_empty_step_keeps_what_it_was_given() -> None:
    assert pick("finished", c(0, finished=False), c(1)) == 1
    assert pick("finished", c(0, finished=False), c(1, finished=False)) == 0  # none finished: all stay
    assert pick("nonempty", c(0, patch=" \n"), c(1)) == 1
    assert pick("nonempty", c(0, patch=""), c(1, patch="")) == 0  # all patches empty
    assert pick("longest", c(0, steps=3), c(1, steps=9), c(2, steps=9)) == 1  # tie: sample order
    assert pick("shortest", c(0, steps=3), c(1, steps=2)) == 1
    assert pick("regression", c(0, regression=2), c(1, regression=5), c(2)) == 1
    assert pick("regression", c(0), c(1)) == 0  # no scores: nobody is dropped
    assert pick("verifier:0.5", c(0, verifier=0.4), c(1, verifier=0.6)) == 1
    assert pick("verifier:0.9", c(0, verifier=0.4), c(1, verifier=0.6)) == 0
    assert pick("by:verifier", c(0), c(1, verifier=0.2), c(2, verifier=0.7)) == 2


def test_candidates_are_taken_in_sample_order_whatever_order_they_come_in() -> None:
    assert select("longest", [c(3, steps=5), c(1, steps=5), c(2, steps=1)]).sample_index == 1


def test_top_keeps_the_best_half_but_at_least_three() -> None:
    ten = [c(k, verifier=k / 10, regression=10 - k) for k in range(10)]
    # top 5 by verifier are 9..5; among them the best regression count is sample 5's
    assert select("top:verifier>regression", ten).sample_index == 5
    four = [c(k, verifier=k / 10, regression=10 - k) for k in range(4)]
    assert select("top:verifier>regression", four).sample_index == 1  # max(3, 2) = 3 kept: 3, 2, 1


def test_hybrid_verified_follows_the_pseudo_code() -> None:
    """C = finished; ordered by verifier (desc, stable); most regression; most reproduction;
    verifier > 0.01 (C if none); most steps, ties in verifier order."""
    cands = [
        c(0, finished=False, steps=99, verifier=0.99, regression=9, reproduction=9),  # not finished
        c(1, steps=20, verifier=0.3, regression=5, reproduction=1),
        c(2, steps=20, verifier=0.6, regression=5, reproduction=1),  # ties 1 on steps: higher verifier first
        c(3, steps=50, verifier=0.9, regression=4, reproduction=3),  # fewer regression passes
        c(4, steps=10, verifier=0.5, regression=5, reproduction=0),  # fewer reproduction passes
    ]
    assert pick("hybrid-verified", *cands) == 2
    # every verifier score under 0.01: L falls back to C, then the most steps
    low = [c(1, steps=5, verifier=0.001), c(2, steps=8, verifier=0.002), c(3, steps=8, verifier=0.005)]
    assert pick("hybrid-verified", *low) == 3  # 3 and 2 tie on steps; 3 comes first by verifier
    assert pick("hybrid-verified", c(0, finished=False, steps=3), c(1, finished=False, steps=4)) == 1


def test_hybrid_lite_skips_execution_and_takes_the_fewest_steps() -> None:
    cands = [c(0, steps=30, verifier=0.8, regression=9), c(1, steps=10, verifier=0.2, regression=0),
             c(2, steps=10, verifier=0.005)]
    assert pick("hybrid-lite", *cands) == 1  # 2 is under the 0.01 bar; regression is ignored


def test_hybrid_r2e_is_verifier_cut_then_regression_then_reproduction() -> None:
    cands = [c(k, verifier=v, regression=r, reproduction=p) for k, (v, r, p) in enumerate(
        [(0.9, 1, 0), (0.8, 3, 0), (0.7, 3, 2), (0.1, 9, 9), (0.05, 9, 9), (0.6, 0, 0)])]
    assert pick("hybrid-r2e", *cands) == 2  # top 3 by verifier: 0, 1, 2; regression 3: 1, 2; reproduction: 2
    assert pick("hybrid-r2e", c(0), c(1)) == 0  # no verifier scores at all: nobody is cut


@pytest.mark.parametrize("chain", ["finished>bogus-step", "verifier:high", ">>", "by:"])
def test_bad_chains_are_refused_with_one_line(chain: str) -> None:
    if chain == ">>":
        assert parse(chain) == []  # an empty chain is `first`
        return
    with pytest.raises(BadInput, match="selector step"):
        parse(chain)
