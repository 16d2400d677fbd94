"""`harness run` end to end: rollout -> select -> evaluate -> store -> table, with the tiny model
(fast, local sandbox) and in Docker as CI runs it; and the replay backend on the demonstrations,
which must resolve every swe-mini test instance."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.store import Store

bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
TRAIN = 6  # train tasks of each corpus in the main job's CI run


def counts(db: Path, run_prefix: str) -> dict[str, object]:
    with Store(db, read_only=True) as store:
        # the evaluation rollouts, not a training method's train-split ones (split is NULL when
        # instance ids are named: they are found in any split)
        (run_id,) = [r for (r,) in store.query(
            "SELECT run_id FROM runs WHERE kind = 'rollout' AND config->>'split' IS DISTINCT FROM 'train'")
            if r.startswith(run_prefix)]
        q = lambda sql: store.query(sql, [run_id])  # noqa: E731
        return {
            "run_id": run_id,
            "rollouts": q("SELECT count(*) FROM rollouts WHERE run_id = ?")[0][0],
            "evaluations": q("SELECT count(*) FROM evaluations WHERE eval_id = ? || '.fast'")[0][0],
            "resolved": q("SELECT count(*) FROM evaluations WHERE eval_id = ? || '.fast' AND resolved")[0][0],
            "selections": q("SELECT count(*) FROM selections WHERE run_id = ?")[0][0],
            "run": q("SELECT config_hash, git_sha, versions FROM runs WHERE run_id = ?")[0],
        }


@bwrap
def test_run_with_the_tiny_model_in_the_local_sandbox(cli, tmp_path: Path, tiny_model_dir: Path):
    ids = ["-i", "swe-mini__cronex-2", "-i", "swe-mini__tablefmt-2"]
    args = ["run", "-C", "swe-mini", "--method", "base", "--budget", "2", "--model", str(tiny_model_dir),
            *ids, "-c", "sandbox=local", "-c", "sampling.max_tokens=16", "--db", "db.duckdb"]
    done = cli(*args)
    assert done.returncode == 0, done.stderr
    assert "pass@2 (any sample resolves)" in done.stdout
    assert "single attempt (pass@1)" in done.stdout and "[0.0, 0.0]" in done.stdout  # with its interval
    got = counts(tmp_path / "db.duckdb", "base-swe-mini-")
    assert (got["rollouts"], got["evaluations"], got["selections"]) == (4, 4, 2)
    config_hash, git_sha, versions = got["run"]
    assert len(config_hash) == 16 and git_sha and '"torch"' in versions
    saved = tmp_path / "runs" / got["run_id"] / "config.yaml"
    assert "max_tokens: 16" in saved.read_text()
    again = cli(*args)  # same config, same run: everything is reused
    assert again.returncode == 0 and "rollouts" in again.stdout
    assert counts(tmp_path / "db.duckdb", "base-swe-mini-")["rollouts"] == 4
    with Store(tmp_path / "db.duckdb", read_only=True) as store:  # signals come before selection
        names = dict(store.query("SELECT name, count(*) FROM signals WHERE run_id = ? GROUP BY 1",
                                 [got["run_id"]]))
    assert names == {name: 4 for name in ("patch_empty", "touches_tests", "mean_logprob", "patch_applies",
                                          "regression", "reproduction")}  # the hf backend gives log-probs
    # the selection stage on the stored run: every verdict reused, every selector, the oracle labelled
    judged = cli("evaluate", "--run", got["run_id"], "--all-samples", "--db", "db.duckdb")
    assert judged.returncode == 0 and "4 reused from the store" in judged.stdout
    table = cli("select", "--run", got["run_id"], "--db", "db.duckdb")
    assert table.returncode == 0, table.stderr
    assert "oracle (upper bound: reads verdicts)" in table.stdout and "hybrid-verified" in table.stdout
    signals = cli("signals", "--run", got["run_id"], "--db", "db.duckdb")
    assert signals.returncode == 0 and "written: nothing new; 0 instances executed" in " ".join(
        signals.stdout.split())


def test_unknown_method_is_refused_before_any_work(cli, tmp_path: Path):
    done = cli("run", "--method", "nope", "--db", "db.duckdb")
    assert done.returncode == 2
    assert done.stderr.strip().startswith("error: unknown method 'nope'; known: base")
    assert not (tmp_path / "trajectories").exists()


@pytest.mark.docker
@pytest.mark.slow
def test_run_entropo_budget_4_on_swe_mini(run_cli, tmp_path: Path):
    """The CI run of the main job: SFT on the demonstrations, ENTROPO-KTO on demonstrations plus the SFT
    model's train rollouts, then every test instance x 4 rollouts of the trained model, evaluated and
    selected. Six train tasks a corpus and one rollout a task: more add time, not coverage."""
    done = run_cli("run", "-C", "swe-mini", "--method", "entropo", "--budget", "4", "--db", "db.duckdb",
                   "-c", f"train.sft.instances={TRAIN}", "-c", f"train.preference.instances={TRAIN}",
                   "-c", "train.preference.rollouts={teacher: 1, policy: 1}", timeout=1500)
    assert done.returncode == 0, done.stderr[-2000:]
    got = counts(tmp_path / "db.duckdb", "entropo-swe-mini-")
    assert (got["rollouts"], got["evaluations"], got["selections"]) == (48, 48, 12)
    with Store(tmp_path / "db.duckdb", read_only=True) as store:
        steps = dict(store.query("SELECT method, count(*) FROM training_runs GROUP BY 1"))  # by stage
        entropy = store.query(
            "SELECT count(*) FROM training_runs WHERE metrics->>'entropy' IS NOT NULL")[0][0]
        (model,) = store.query("SELECT config->>'policy' FROM runs WHERE run_id = ?", [got["run_id"]])[0]
    # one demonstration per train task, SFT batch 1; KTO batch 2 (the tiny model's rollouts never
    # finish, so its rows are the demonstrations)
    assert steps["sft"] == TRAIN and steps["entropo-kto"] >= TRAIN // 2, steps
    assert entropy == sum(steps.values())  # every stored step carries the policy's token entropy
    assert "train-entropo-kto-" in model and (tmp_path / model / "config.json").is_file()


@pytest.mark.docker
@pytest.mark.slow
def test_replayed_demonstrations_resolve_every_test_instance(run_cli, tmp_path: Path):
    made = run_cli("demos", "--split", "test", "--db", "db.duckdb", timeout=600)
    assert made.returncode == 0, made.stderr[-2000:]
    demos = tmp_path / "trajectories" / "demos-swe-mini-test-e2"
    assert len(list(demos.glob("*/0.json"))) == 12
    done = run_cli("run", "-C", "swe-mini", "--method", "base", "--budget", "1", "--backend", "replay",
                   "--model", demos, "--db", "db.duckdb", timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "resolved, selected by first-finished │ 12/12 (100.0%)" in done.stdout
    got = counts(tmp_path / "db.duckdb", "base-swe-mini-")
    assert (got["rollouts"], got["resolved"]) == (12, 12)
    with Store(tmp_path / "db.duckdb", read_only=True) as store:  # execution signals, in Docker
        signals = store.query("SELECT name, value, CAST(detail->>'of' AS DOUBLE) FROM signals "
                              "WHERE run_id = ? AND name IN ('patch_applies', 'regression')", [got["run_id"]])
    assert len(signals) == 24 and all(value == 1 for name, value, _ in signals if name == "patch_applies")
    # every gold patch keeps every regression test (those passing at the base commit) passing
    assert all(0 < value == of for name, value, of in signals if name == "regression")
