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
from harness.store import Store


def samples(store: Store, run_id: str, eval_id: str | None = None) -> pl.DataFrame:
    """One row per stored trajectory: its verdict (null when unjudged), patch, cost and log-prob."""
    rows = store.query(
        "SELECT r.instance_id, r.sample_index, e.resolved, r.patch, r.prompt_tokens, r.completion_tokens, "
        "r.model_seconds, r.sandbox_seconds, s.value AS mean_logprob FROM rollouts r "
        "LEFT JOIN evaluations e ON e.eval_id = ? AND e.instance_id = r.instance_id "
        "AND e.sample_index = r.sample_index "
        "LEFT JOIN signals s ON s.run_id = r.run_id AND s.instance_id = r.instance_id "
        "AND s.sample_index = r.sample_index AND s.name = 'mean_logprob' "
        "WHERE r.run_id = ? ORDER BY r.instance_id, r.sample_index",
        [eval_id or store.run_eval_id(run_id), run_id])
    if not rows:
        raise BadInput(f"run {run_id!r} has no stored rollouts in {store.path}")
    columns = ["instance_id", "sample_index", "resolved", "patch", "prompt_tokens", "completion_tokens",
               "model_seconds", "sandbox_seconds", "mean_logprob"]
    return pl.DataFrame(rows, schema=columns, orient="row")


def pass_curve(df: pl.DataFrame, ks: Sequence[int] | None = None, seed: int = 0) -> dict[int, Estimate]:
    """Unbiased pass@k (k = 1..N by default) averaged over instances, with bootstrap intervals."""
    if df["resolved"].null_count():
        raise BadInput("pass@k needs every sample judged: harness evaluate --run R --all-samples")
    per = df.group_by("instance_id").agg(pl.len().alias("n"), pl.col("resolved").sum().alias("c"))
    n_min = int(per["n"].min())
    return {k: bootstrap([pass_at_k(n, c, k) for n, c in per.select("n", "c").iter_rows()], seed=seed)
            for k in (ks or range(1, n_min + 1))}


def selected_at_k(store: Store, run_id: str, selector: str, budget: int, seeds: int = 1,
                  eval_id: str | None = None, seed: int = 0) -> Estimate:
    """The selector's resolve rate at budget k, per instance averaged over `seeds` subsamples."""
    per = _selected(store, run_id, selector, budget, seeds, eval_id)
    return bootstrap([v for _, v in sorted(per.items())], seed=seed)


def oracle_gap(store: Store, run_id: str, selector: str, budget: int, seeds: int = 1,
               eval_id: str | None = None, seed: int = 0) -> Estimate:
    """How far the selector is below the oracle at budget k: paired per instance, bootstrapped."""
    best = _selected(store, run_id, "oracle", budget, seeds, eval_id)
    chosen = _selected(store, run_id, selector, budget, seeds, eval_id)
    return bootstrap([best[i] - chosen[i] for i in sorted(best)], seed=seed)


def _selected(store: Store, run_id: str, selector: str, budget: int, seeds: int,
              eval_id: str | None) -> dict[str, float]:
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
    ((tokens, seconds),) = store.query(
        "SELECT coalesce(sum(prompt_tokens + completion_tokens), 0), "
        "coalesce(sum(model_seconds + sandbox_seconds), 0) FROM rollouts WHERE run_id = ?", [run_id])
    ((verifier, regression),) = store.query(
        "SELECT coalesce(sum(CAST(detail->>'tokens' AS BIGINT)) FILTER (name = 'verifier'), 0), "
        "coalesce(sum(CAST(detail->>'seconds' AS DOUBLE)) FILTER (name = 'regression'), 0) "
        "FROM signals WHERE run_id = ?", [run_id])
    return Cost(int(tokens), float(seconds) / 3600, int(verifier), float(regression) / 3600)
