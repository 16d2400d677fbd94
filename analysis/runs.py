"""Run-level numbers read from the store (DuckDB -> polars): pass@k for k = 1..N and selected@k per
selector (expected over budget subsamples), each with an instance bootstrap interval; the oracle
gap (paired per instance); diversity; and what the run cost, selection included."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from analysis.metrics import Estimate, bootstrap, pass_at_k
from harness.errors import BadInput
from harness.patches import normalise_patch
from harness.selectors.offline import select_run
from harness.store import SAMPLE_COLUMNS, Store


def samples(store: Store, run_id: str, eval_id: str | None = None) -> pl.DataFrame:
    """One row per stored trajectory: its verdict (null when unjudged), patch, cost and log-prob."""
    rows = store.samples(run_id, eval_id or store.run_eval_id(run_id))
    if not rows:
        raise BadInput(f"run {run_id!r} has no stored rollouts in {store.path}")
    return pl.DataFrame(rows, schema=list(SAMPLE_COLUMNS), orient="row")


def pass_curve(df: pl.DataFrame, ks: Sequence[int] | None = None, seed: int = 0) -> dict[int, Estimate]:
    """Unbiased pass@k (k = 1..N by default) averaged over instances, with bootstrap intervals."""
    per = _judged_counts(df)
    n_min = int(per["n"].min())
    return {k: bootstrap([pass_at_k(n, c, k) for n, c in per.select("n", "c").iter_rows()], seed=seed)
            for k in (ks or range(1, n_min + 1))}


def pass1_per_instance(df: pl.DataFrame) -> dict[str, float]:
    """instance -> unbiased pass@1 (its share of resolved samples)."""
    return {iid: c / n for iid, n, c in _judged_counts(df).select("instance_id", "n", "c").iter_rows()}


def _judged_counts(df: pl.DataFrame) -> pl.DataFrame:
    """Per instance, in instance order (so a bootstrap's resamples, and its interval, are the same on
    every call): samples (n) and resolved ones (c)."""
    if df["resolved"].null_count():
        raise BadInput("pass@k needs every sample judged: harness evaluate --run R --all-samples")
    return (df.group_by("instance_id").agg(pl.len().alias("n"), pl.col("resolved").sum().alias("c"))
            .sort("instance_id"))


def selected_at_k(store: Store, run_id: str, selector: str, budget: int, seeds: int = 1,
                  eval_id: str | None = None, seed: int = 0) -> Estimate:
    """The selector's resolve rate at budget k, per instance averaged over `seeds` subsamples."""
    per = selected_per_instance(store, run_id, selector, budget, seeds, eval_id)
    return bootstrap([v for _, v in sorted(per.items())], seed=seed)


def oracle_gap(store: Store, run_id: str, selector: str, budget: int, seeds: int = 1,
               eval_id: str | None = None, seed: int = 0) -> Estimate:
    """How far the selector is below the oracle at budget k: paired per instance, bootstrapped."""
    best = selected_per_instance(store, run_id, "oracle", budget, seeds, eval_id)
    chosen = selected_per_instance(store, run_id, selector, budget, seeds, eval_id)
    return bootstrap([best[i] - chosen[i] for i in sorted(best)], seed=seed)


def selected_per_instance(store: Store, run_id: str, selector: str, budget: int, seeds: int = 1,
                          eval_id: str | None = None) -> dict[str, float]:
    """instance -> share of the `seeds` subsamples whose chosen sample resolves."""
    result = select_run(store, run_id, selector, budget, seeds, eval_id)
    if result.resolved is None:
        raise BadInput(f"{selector} chose unjudged samples of {run_id}: harness evaluate --run {run_id} "
                       "--all-samples")
    judged = store.verdicts(eval_id or store.run_eval_id(run_id))
    per: dict[str, list[float]] = {}
    for row in result.rows:
        per.setdefault(row.instance_id, []).append(float(judged[(row.instance_id, row.sample_index)]))
    return {iid: sum(v) / len(v) for iid, v in per.items()}


@dataclass(frozen=True)
class Diversity:
    distinct_patches: float  # distinct normalised non-empty patches per instance, mean
    entropy: float | None  # mean of -log p over sampled tokens (an entropy estimate), None without log-probs


def diversity(df: pl.DataFrame) -> Diversity:
    distinct = (df.filter(pl.col("patch").str.strip_chars() != "")
                .with_columns(pl.col("patch").map_elements(normalise_patch, return_dtype=pl.String))
                .group_by("instance_id").agg(pl.col("patch").n_unique()))
    instances = df["instance_id"].n_unique()
    entropy = df["mean_logprob"].drop_nulls()
    return Diversity(float(distinct["patch"].sum()) / instances,
                     None if entropy.is_empty() else -float(entropy.mean()))


@dataclass(frozen=True)
class Cost:
    tokens: int  # prompt + completion tokens of every rollout
    agent_hours: float  # model + sandbox time of every rollout
    verifier_tokens: int  # prompt tokens the verifier read
    regression_hours: float  # sandbox time of regression and reproduction tests


def cost(store: Store, run_id: str) -> Cost:
    tokens, seconds, verifier, regression = store.costs(run_id)
    return Cost(tokens, seconds / 3600, verifier, regression / 3600)
