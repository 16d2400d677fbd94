"""Metrics over per-instance outcomes, each with its uncertainty: unbiased pass@k, instance-level
bootstrap intervals, and paired comparisons of two methods on the same instances (McNemar's exact
test on binary outcomes, a sign-flip test on per-instance rates, a paired bootstrap of the
difference). Plain Python on lists, so every number can be checked by hand; DuckDB/polars loading
lives in the table and plot modules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import comb


def pass_at_k(n: int, c: int, k: int) -> float:
    """The chance that at least one of k samples drawn without replacement from n, c of them
    correct, is correct: 1 - C(n-c, k) / C(n, k) (Chen et al. 2021, unbiased)."""
    if not 0 <= c <= n or not 1 <= k <= n:
        raise ValueError(f"pass@k needs 0 <= c <= n and 1 <= k <= n, got n={n} c={c} k={k}")
    return 1.0 - comb(n - c, k) / comb(n, k)


@dataclass(frozen=True)
class Estimate:
    """A rate over instances with its bootstrap percentile interval."""

    value: float
    low: float
    high: float
    n: int  # instances

    def __str__(self) -> str:
        return f"{100 * self.value:.1f} [{100 * self.low:.1f}, {100 * self.high:.1f}]"


def bootstrap(values: Sequence[float], resamples: int = 2000, level: float = 0.95, seed: int = 0) -> Estimate:
    """Mean of per-instance `values` with a percentile interval from resampling instances."""
    import numpy as np

    if not len(values):
        raise ValueError("no instances to estimate from")
    x = np.asarray(values, dtype=float)
    means = x[np.random.default_rng(seed).integers(0, len(x), (resamples, len(x)))].mean(axis=1)
    low, high = np.quantile(means, [(1 - level) / 2, (1 + level) / 2])
    return Estimate(float(x.mean()), float(low), float(high), len(x))


@dataclass(frozen=True)
class Paired:
    """Method A against method B on the same instances."""

    a_only: int  # instances A resolves and B does not
    b_only: int
    both: int
    neither: int
    mcnemar_p: float  # exact two-sided
    difference: Estimate  # rate(A) - rate(B), paired bootstrap


def mcnemar_exact(a_only: int, b_only: int) -> float:
    """Two-sided exact McNemar p-value: a binomial test of the discordant pairs at 1/2."""
    n = a_only + b_only
    if n == 0:
        return 1.0
    tail = sum(comb(n, i) for i in range(min(a_only, b_only) + 1)) / 2**n
    return min(1.0, 2 * tail)


def paired(a: Sequence[bool], b: Sequence[bool], resamples: int = 2000, seed: int = 0) -> Paired:
    """Compare two methods' per-instance outcomes (aligned by instance)."""
    if len(a) != len(b):
        raise ValueError(f"paired outcomes need the same instances: {len(a)} vs {len(b)}")
    a_only = sum(x and not y for x, y in zip(a, b, strict=True))
    b_only = sum(y and not x for x, y in zip(a, b, strict=True))
    both = sum(x and y for x, y in zip(a, b, strict=True))
    diff = bootstrap([float(x) - float(y) for x, y in zip(a, b, strict=True)], resamples, seed=seed)
    return Paired(a_only, b_only, both, len(a) - a_only - b_only - both, mcnemar_exact(a_only, b_only), diff)


def sign_flip_p(differences: Sequence[float], resamples: int = 20_000, seed: int = 0) -> float:
    """Two-sided paired permutation p-value of per-instance differences (A - B, e.g. of pass@1): the share
    of sign assignments whose |mean| reaches the observed one. Exact up to 16 instances (every
    assignment), else `resamples` random ones. The instance is the unit, so samples of one task, which
    are not independent, are never counted as separate pairs."""
    import itertools

    import numpy as np

    x = np.asarray(differences, dtype=float)
    if not len(x):
        raise ValueError("no instances to compare")
    if len(x) <= 16:
        signs = np.array(list(itertools.product((1.0, -1.0), repeat=len(x))))
    else:
        signs = np.random.default_rng(seed).choice((1.0, -1.0), (resamples, len(x)))
    observed = abs(x.mean())
    return float((np.abs((signs * x).mean(axis=1)) >= observed - 1e-12).mean())
