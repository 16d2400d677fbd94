"""Metrics against brute force, simulation and textbook values."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from analysis.metrics import bootstrap, mcnemar_exact, paired, pass_at_k, sign_flip_p


@pytest.mark.parametrize("n", range(1, 8))
def test_pass_at_k_is_the_share_of_k_subsets_holding_a_correct_sample(n: int) -> None:
    for c in range(n + 1):
        samples = [True] * c + [False] * (n - c)
        for k in range(1, n + 1):
            subsets = list(combinations(samples, k))
            assert pass_at_k(n, c, k) == pytest.approx(sum(map(any, subsets)) / len(subsets), abs=1e-12)


def test_pass_at_k_refuses_impossible_counts() -> None:
    for n, c, k in ((4, 5, 1), (4, 2, 0), (4, 2, 5), (4, -1, 1)):
        with pytest.raises(ValueError, match="pass@k needs"):
            pass_at_k(n, c, k)


def test_bootstrap_intervals_cover_the_true_rate_at_about_the_nominal_level() -> None:
    rng = np.random.default_rng(7)
    rate, trials = 0.3, 400
    covered = 0
    for t in range(trials):
        outcomes = (rng.random(100) < rate).astype(float)
        est = bootstrap(outcomes, resamples=1000, seed=t)
        covered += est.low <= rate <= est.high
        assert est.low <= est.value <= est.high and est.n == 100
    assert 0.92 <= covered / trials <= 0.98, covered / trials  # nominal 0.95; 400 trials: sd 0.011


def test_bootstrap_is_seeded_and_narrows_with_more_instances() -> None:
    small = bootstrap([1.0, 0.0] * 10, seed=3)
    assert small == bootstrap([1.0, 0.0] * 10, seed=3)
    large = bootstrap([1.0, 0.0] * 500, seed=3)
    assert large.high - large.low < (small.high - small.low) / 4 and large.value == 0.5
    with pytest.raises(ValueError, match="no instances"):
        bootstrap([])


def test_mcnemar_exact_matches_known_p_values() -> None:
    # b = 1, c = 9 discordant pairs: 2 * (C(10,0) + C(10,1)) / 2^10 = 22 / 1024
    assert mcnemar_exact(1, 9) == pytest.approx(0.021484375, abs=1e-12)
    assert mcnemar_exact(9, 1) == mcnemar_exact(1, 9)
    assert mcnemar_exact(0, 0) == 1.0 and mcnemar_exact(5, 5) == 1.0
    # b = 0, c = 6: 2 / 64
    assert mcnemar_exact(0, 6) == pytest.approx(0.03125, abs=1e-12)


def test_paired_counts_and_difference() -> None:
    a = [True, True, True, False, False, True]
    b = [True, False, False, False, True, True]
    result = paired(a, b, seed=1)
    assert (result.a_only, result.b_only, result.both, result.neither) == (2, 1, 2, 1)
    assert result.mcnemar_p == pytest.approx(1.0)
    assert result.difference.value == pytest.approx(1 / 6)
    with pytest.raises(ValueError, match="same instances"):
        paired(a, b[:-1])


def test_sign_flip_p_counts_the_sign_assignments_as_extreme_as_observed() -> None:
    assert sign_flip_p([1.0, 1.0, 1.0]) == 2 / 8  # only +++ and --- reach |mean| 1
    assert sign_flip_p([1.0, -1.0]) == 1.0  # mean 0: every assignment is as extreme
    assert sign_flip_p([0.5, 0.25]) == 2 / 4  # +-, -+ give |0.125| < 0.375
    assert sign_flip_p([0.0] * 5) == 1.0
    assert sign_flip_p([1.0] * 20) < 1e-3  # 20 tasks: sampled assignments (exact: 2 / 2**20)
    with pytest.raises(ValueError):
        sign_flip_p([])
