"""Signals, verdicts and selection on a real swe-mini run of three scripted agents (conftest.py)."""

from __future__ import annotations

import shutil

import pytest
from scripted import RUN, scripted_run_fixture  # noqa: F401 (the `scripted_run` fixture)

from harness.config import RunConfig
from harness.context import RunContext
from harness.records import SignalRow
from harness.selectors.offline import select_run
from harness.signals.compute import compute_signals
from harness.stages import evaluate_rollouts

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
def kind(patch: str) -> str:
    return "give-up" if not patch.strip() else "fix" if "is_wildcard" in patch else "overreach"


def test_signals_verdicts_and_selection_on_a_scripted_swe_mini_run(scripted_run) -> None:
    run = scripted_run
    summary = compute_signals(run, RUN, "local", 2, show_progress=False)
    assert summary.instances_executed == 1 and summary.written["regression"] == 6
    rows = run.query("SELECT r.patch, s.name, s.value FROM rollouts r "
                     "JOIN signals s USING (run_id, instance_id, sample_index) WHERE r.run_id = ?", [RUN])
    by_kind: dict[str, dict[str, set[float]]] = {}
    for patch, name, value in rows:
        by_kind.setdefault(kind(patch), {}).setdefault(name, set()).add(value)
    assert set(by_kind) == {"fix", "overreach", "give-up"}  # the seeds spread the samples over all three
    regression = {k: v["regression"] for k, v in by_kind.items()}
    n = max(max(v) for v in regression.values())
    assert regression.get("fix", {n}) == {n} and regression.get("give-up", {n}) == {n}
    assert all(0 < r < n for r in regression.get("overreach", {1}))
    # every sample wrote the same script: one distinct script, cross-run against every patch
    assert {k: v["reproduction"] for k, v in by_kind.items()} == {
        k: {0.0 if k == "give-up" else 1.0} for k in by_kind}
    assert all(v["patch_applies"] == {1.0} for v in by_kind.values())
    seconds = [s for (s,) in run.query(
        "SELECT CAST(detail->>'seconds' AS DOUBLE) FROM signals WHERE name = 'regression'")]
    assert len(seconds) == 6 and min(seconds) > 0  # each carries its share of the sandbox time
    again = compute_signals(run, RUN, "local", 2, show_progress=False)  # resumes: nothing new
    assert again.written == {} and again.instances_executed == 0
    assert run.query("SELECT count(*) FROM signals WHERE run_id = ?", [RUN])[0][0] == 6 * 5

    ctx = RunContext(RunConfig(sandbox="local"), run, show_progress=False)
    eval_id = evaluate_rollouts(ctx, RUN, "fast").eval_id
    resolved = dict(run.query("SELECT sample_index, resolved FROM evaluations WHERE eval_id = ?", [eval_id]))
    patches = dict(run.query("SELECT sample_index, patch FROM rollouts WHERE run_id = ?", [RUN]))
    assert all(resolved[k] == (kind(p) == "fix") for k, p in patches.items())  # the overreach breaks P2P
    # the most regression passes (the fix and the empty patch), then reproduction: the fix
    hybrid = select_run(run, RUN, "hybrid-verified", eval_id=eval_id)
    assert hybrid.resolved == 1 and kind(patches[hybrid.rows[0].sample_index]) == "fix"
    assert {r.name for r in run.rows(SignalRow, run_id=RUN)} == {
        "patch_empty", "touches_tests", "patch_applies", "regression", "reproduction"}
