"""Run-level numbers on a constructed store: pass@k per instance averaged, selected@k over seeded
subsamples, the oracle, diversity and cost, each checked by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.runs import cost, diversity, oracle_gap, pass_curve, samples, selected_at_k
from harness.errors import BadInput
from harness.records import EvaluationRow, RolloutRow, RunRow, SignalRow
from harness.store import Store

RUN = "r"
FIX = "--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n"
SAME_FIX = "diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -7 +7 @@\n-x  = 1\n+x = 2\n"
OTHER = "--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-x = 1\n+x = 3\n"
# instance a: 1 of 4 resolves; instance b: 2 of 4
RESOLVED = {("a", 0): False, ("a", 1): False, ("a", 2): True, ("a", 3): False,
            ("b", 0): True, ("b", 1): False, ("b", 2): True, ("b", 3): False}
PATCHES = {("a", 0): "", ("a", 1): OTHER, ("a", 2): FIX, ("a", 3): SAME_FIX,
           ("b", 0): FIX, ("b", 1): OTHER, ("b", 2): FIX, ("b", 3): ""}


def build(store: Store, judged: bool = True) -> None:
    rows: list = [RunRow(RUN, "rollout", "swe-mini", {}, "h", "sha", {})]
    for (iid, k), ok in RESOLVED.items():
        rows.append(RolloutRow(RUN, iid, k, "finished", 10, PATCHES[(iid, k)], "", 100, 50, 1.5, 0.3, k))
        rows.append(SignalRow(RUN, iid, k, "mean_logprob", -0.5 * (k + 1), {}))
        rows.append(SignalRow(RUN, iid, k, "verifier", 0.9 if ok else 0.1, {"tokens": 1000}))
        rows.append(SignalRow(RUN, iid, k, "regression", 3.0, {"seconds": 0.9}))
        if judged:
            rows.append(EvaluationRow(f"{RUN}.fast", iid, k, "fast", RUN, "resolved" if ok else "unresolved",
                                      ok, "", "", 0, 0, 0, 0, 0.0, ""))
    store.write(rows)


def test_pass_at_k_averages_the_instances(tmp_store: Store) -> None:
    build(tmp_store)
    curve = pass_curve(samples(tmp_store, RUN))
    assert sorted(curve) == [1, 2, 3, 4]
    assert curve[1].value == pytest.approx((1 / 4 + 2 / 4) / 2)
    assert curve[2].value == pytest.approx(((1 - 3 / 6) + (1 - 1 / 6)) / 2)  # C(3,2)/C(4,2), C(2,2)/C(4,2)
    assert curve[4].value == 1.0 and curve[4].n == 2


def test_pass_at_k_intervals_do_not_depend_on_row_order() -> None:
    """The bootstrap resamples instances by position: the same run read in another row order must give
    the same interval (polars' group_by has no fixed order)."""
    import polars as pl

    rows = [(f"t{i:02d}", s < i % 5) for i in range(12) for s in range(4)]
    df = pl.DataFrame({"instance_id": [r[0] for r in rows], "resolved": [r[1] for r in rows]})
    want = pass_curve(df)
    for seed in range(5):
        assert pass_curve(df.sample(fraction=1.0, shuffle=True, seed=seed)) == want


def test_selected_at_k_over_seeds_and_the_oracle(tmp_store: Store, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    build(tmp_store)
    assert selected_at_k(tmp_store, RUN, "first", 4).value == 0.5  # a0 fails, b0 resolves
    assert selected_at_k(tmp_store, RUN, "verifier", 4).value == 1.0
    assert selected_at_k(tmp_store, RUN, "oracle", 4).value == 1.0
    # budget 2 at seed 0 sees samples 0-1: the oracle resolves b only
    assert selected_at_k(tmp_store, RUN, "oracle", 2).value == 0.5
    five = selected_at_k(tmp_store, RUN, "oracle", 2, seeds=5)
    assert 0.5 <= five.value <= 1.0
    gap = oracle_gap(tmp_store, RUN, "first", 4)  # a: first fails where the oracle resolves; b: both
    assert gap.value == 0.5 and gap.low <= 0.5 <= gap.high
    assert oracle_gap(tmp_store, RUN, "verifier", 4).value == 0.0


def test_diversity_counts_distinct_normalised_patches_and_estimates_entropy(tmp_store: Store) -> None:
    build(tmp_store)
    div = diversity(samples(tmp_store, RUN))
    assert div.distinct_patches == (2 + 2) / 2  # a: OTHER, FIX(=SAME_FIX); b: FIX, OTHER
    assert div.entropy == pytest.approx(0.5 * (1 + 2 + 3 + 4) / 4)


def test_cost_includes_selection(tmp_store: Store) -> None:
    build(tmp_store)
    got = cost(tmp_store, RUN)
    assert got.tokens == 8 * 150 and got.agent_hours == pytest.approx(8 * 1.8 / 3600)
    assert got.verifier_tokens == 8000 and got.regression_hours == pytest.approx(8 * 0.9 / 3600)


def test_unjudged_runs_are_refused_with_the_command_to_run(tmp_store: Store, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    build(tmp_store, judged=False)
    with pytest.raises(BadInput, match="harness evaluate --run R --all-samples"):
        pass_curve(samples(tmp_store, RUN))
    with pytest.raises(BadInput, match=f"harness evaluate --run {RUN} --all-samples"):
        selected_at_k(tmp_store, RUN, "first", 4)
    with pytest.raises(BadInput, match="no stored rollouts"):
        samples(tmp_store, "nope")
