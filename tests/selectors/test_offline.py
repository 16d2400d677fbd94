"""Offline re-selection over a constructed stored run: budgets and seeded subsamples, stored signals,
stored verdicts reused, the oracle's preconditions, predictions files, and `harness select`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.errors import BadInput
from harness.records import EvaluationRow, RolloutRow, RunRow, SelectionRow, SignalRow
from harness.selectors.offline import predictions_path, select_run
from harness.store import Store

RUN = "r1"
# (instance, sample) -> (finished, steps, verifier, resolved); patches are "fix-<instance>-<sample>"
TABLE = {
    ("a", 0): (False, 40, 0.9, False), ("a", 1): (True, 12, 0.3, False),
    ("a", 2): (True, 30, 0.8, True), ("a", 3): (True, 50, 0.1, False),
    ("b", 0): (True, 10, 0.2, True), ("b", 1): (True, 20, 0.6, False),
    ("b", 2): (True, 5, 0.7, False), ("b", 3): (False, 60, 0.4, True),
}


def store_run(store: Store, judged: bool = True) -> None:
    rows: list = [RunRow(RUN, "rollout", "swe-mini", {}, "h", "sha", {})]
    for (iid, k), (finished, steps, verifier, resolved) in TABLE.items():
        rows.append(RolloutRow(RUN, iid, k, "finished" if finished else "max_steps", steps, f"fix-{iid}-{k}",
                               "", 100, 10 * steps, 0.0, 0.0, k))
        rows.append(SignalRow(RUN, iid, k, "verifier", verifier, {}))
        if judged:
            status = "resolved" if resolved else "unresolved"
            rows.append(EvaluationRow(f"{RUN}.fast", iid, k, "fast", RUN, status, resolved, "", "",
                                      0, 0, 0, 0, 0.0, ""))
    store.write(rows)


def chosen(result) -> dict[tuple[str, int], int]:
    return {(r.instance_id, r.seed): r.sample_index for r in result.rows}


def test_selectors_run_on_stored_rollouts_and_signals(tmp_store: Store, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    store_run(tmp_store)
    first = select_run(tmp_store, RUN, "first")
    assert chosen(first) == {("a", 0): 0, ("b", 0): 0} and first.resolved == 1 and first.budget == 4
    assert chosen(select_run(tmp_store, RUN, "verifier")) == {("a", 0): 0, ("b", 0): 2}
    # finished, by verifier, > 0.01, the most steps: a -> 3 (50 steps), b -> 1 (20 steps)
    assert chosen(select_run(tmp_store, RUN, "hybrid-verified")) == {("a", 0): 3, ("b", 0): 1}
    oracle = select_run(tmp_store, RUN, "oracle")
    assert oracle.oracle and chosen(oracle) == {("a", 0): 2, ("b", 0): 0} and oracle.resolved == 2
    lines = predictions_path(tmp_store.workspace, RUN, "hybrid-verified", 4, 0).read_text().splitlines()
    assert [json.loads(line) for line in lines] == [
        {"instance_id": "a", "model_name_or_path": RUN, "model_patch": "fix-a-3"},
        {"instance_id": "b", "model_name_or_path": RUN, "model_patch": "fix-b-1"},
    ]
    select_run(tmp_store, RUN, "first")  # again: the same rows, not new ones
    assert tmp_store.query("SELECT count(*) FROM selections WHERE selector = 'first'")[0][0] == 2


def test_budget_k_is_the_first_k_samples_at_seed_0_and_seeded_subsets_after(tmp_store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store_run(tmp_store)
    two = select_run(tmp_store, RUN, "longest", budget=2, seeds=6)
    assert two.budget == 2 and chosen(two)[("a", 0)] == 1  # only 0 and 1 seen; 0 did not finish
    again = select_run(tmp_store, RUN, "longest", budget=2, seeds=6)
    assert chosen(again) == chosen(two)  # subsamples are seeded
    assert len({chosen(two)[("a", s)] for s in range(6)}) > 1  # and do differ across seeds
    assert 0 <= two.resolved <= 2 and len(two.rows) == 12
    assert {r.budget for r in tmp_store.rows(SelectionRow, selector="longest")} == {2}


def test_unjudged_choices_have_no_score_and_the_oracle_refuses(tmp_store, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    store_run(tmp_store, judged=False)
    assert select_run(tmp_store, RUN, "first").resolved is None
    with pytest.raises(BadInput, match=f"oracle needs every sample judged: harness evaluate --run {RUN} "):
        select_run(tmp_store, RUN, "oracle")
    with pytest.raises(BadInput, match="budget 5 is more than the 4 samples stored"):
        select_run(tmp_store, RUN, "first", budget=5)
    with pytest.raises(BadInput, match="run 'nope' has no stored rollouts"):
        select_run(tmp_store, "nope", "first")


def test_select_command_prints_every_selector_beside_first_and_the_oracle(cli, tmp_path: Path) -> None:
    with Store(tmp_path / "db.duckdb") as store:
        store_run(store)
    done = cli("select", "--run", RUN, "--db", "db.duckdb", "-s", "all", "-s", "finished>shortest")
    assert done.returncode == 0, done.stderr
    rows = {line.split("│")[1].strip(): line for line in done.stdout.splitlines() if line.count("│") == 5}
    assert "2/2" in rows["oracle (upper bound: reads verdicts)"]
    assert "1/2" in rows["first"] and "50.0%" in rows["first"]
    assert "finished>shortest" in rows and "hybrid-verified" in rows
    assert len(rows) == 13  # 12 registered + 1 chain
    bad = cli("select", "--run", RUN, "--db", "db.duckdb", "-s", "bset")
    assert bad.returncode == 2 and bad.stderr.startswith("error: unknown selector 'bset'")
