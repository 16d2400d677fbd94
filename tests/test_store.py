"""The DuckDB store: schema from the records, idempotent writes, versioning, and kill -9 safety."""

from __future__ import annotations

import dataclasses
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness.errors import HarnessError
from harness.records import ROW_TYPES, EvalTestRow, EvaluationRow, RunRow, SignalRow, TrainingStepRow
from harness.store import SCHEMA_VERSION, Store


def evaluation(key: tuple[str, str, int], n_tests: int = 5, status: str = "PASSED") -> list:
    head = EvaluationRow(*key, evaluator="fast", model_name_or_path="m", status="resolved",
                         resolved=True, reason="", patch_sha256="0" * 64, f2p_passed=n_tests,
                         f2p_total=n_tests, p2p_passed=0, p2p_total=0, duration_s=0.5, log_path="")
    tests = [EvalTestRow(*key, f"tests/test_a.py::t{j}", "FAIL_TO_PASS", status) for j in range(n_tests)]
    return [head, *tests]


def test_schema_has_one_table_per_row_class_with_its_primary_key(tmp_store):
    pks = dict(tmp_store.query(
        "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
        "WHERE constraint_type = 'PRIMARY KEY'"
    ))
    assert pks == {r.table: list(r.key) for r in ROW_TYPES}
    for row_type in ROW_TYPES:
        cols = [c for (c,) in tmp_store.query(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
            [row_type.table],
        )]
        assert cols == [f.name for f in dataclasses.fields(row_type)]
    assert tmp_store.query("SELECT version FROM schema_version") == [(SCHEMA_VERSION,)]


def test_reopening_keeps_one_schema_version_row(tmp_path):
    for _ in range(3):
        Store(tmp_path / "s.duckdb").close()
    with Store(tmp_path / "s.duckdb") as store:
        assert store.query("SELECT version FROM schema_version") == [(SCHEMA_VERSION,)]


def test_write_is_idempotent(tmp_store):
    rows = evaluation(("e1", "i1", 0)) + evaluation(("e1", "i1", 1))
    tmp_store.write(rows)
    tmp_store.write(rows)
    assert tmp_store.query("SELECT count(*) FROM evaluations") == [(2,)]
    assert tmp_store.query("SELECT count(*) FROM test_results") == [(10,)]
    assert tmp_store.keys(EvaluationRow, eval_id="e1") == {("e1", "i1", 0), ("e1", "i1", 1)}
    assert tmp_store.keys(EvaluationRow, eval_id="e2") == set()


def test_write_overwrites_by_primary_key(tmp_store):
    tmp_store.write([SignalRow("r", "i", 0, "steps", 3.0, {"b": 1, "a": [1, 2]})])
    tmp_store.write([SignalRow("r", "i", 0, "steps", 4.0, {})])
    assert tmp_store.query("SELECT value, detail FROM signals") == [(4.0, "{}")]
    tmp_store.write([RunRow("run", "evaluation", "swe-mini", {"z": 1, "a": 2}, "h", "sha", {})])
    assert tmp_store.query("SELECT config FROM runs") == [('{"a": 2, "z": 1}',)]


def test_replace_deletes_child_rows(tmp_store):
    key = ("e1", "i1", 0)
    other = ("e1", "i1", 1)
    tmp_store.write(evaluation(key, n_tests=5) + evaluation(other, n_tests=5))
    where = dict(eval_id="e1", instance_id="i1", sample_index=0)
    tmp_store.write(evaluation(key, n_tests=2), replace=[(EvalTestRow, where)])
    counts = tmp_store.query(
        "SELECT sample_index, count(*) FROM test_results GROUP BY ALL ORDER BY sample_index"
    )
    assert counts == [(0, 2), (1, 5)]


def test_failed_write_leaves_nothing(tmp_store):
    bad = evaluation(("e1", "i1", 0))
    bad.append(dataclasses.replace(bad[1], test=None))  # NOT NULL violation in the same call
    with pytest.raises(Exception, match="NOT NULL"):
        tmp_store.write(bad)
    assert tmp_store.query("SELECT count(*) FROM evaluations") == [(0,)]
    assert tmp_store.query("SELECT count(*) FROM test_results") == [(0,)]


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.query("INSERT INTO schema_version VALUES (?)", [SCHEMA_VERSION + 1])
    with pytest.raises(HarnessError) as err:
        Store(path)
    assert str(err.value) == (
        f"store {path} has schema v{SCHEMA_VERSION + 1}, newer than this harness (v{SCHEMA_VERSION})"
    )


# ------------------------------------------------------------------ kill -9 at any moment

N_PLANNED = 400  # far more than a 50 ms kill delay lets through on a fast machine
ROOT = Path(__file__).parents[1]  # the writer imports tests.test_store from here
# Resumable writer: one store.write per evaluation (head + 5 test rows), prints each index once the
# write has returned (committed), skips keys already stored.
WRITER = """
import sys
from harness.records import EvalTestRow, EvaluationRow
from harness.store import Store
from tests.test_store import evaluation
path, n = sys.argv[1], int(sys.argv[2])
with Store(path) as store:
    done = store.keys(EvaluationRow, eval_id="kill")
    for i in range(n):
        key = ("kill", f"inst-{i // 4}", i % 4)
        if key in done:
            continue
        where = dict(zip(("eval_id", "instance_id", "sample_index"), key))
        store.write(evaluation(key), replace=[(EvalTestRow, where)])
        print(i, flush=True)
"""


def planned_keys() -> set[tuple]:
    return {("kill", f"inst-{i // 4}", i % 4) for i in range(N_PLANNED)}


def writer(path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(N_PLANNED)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def assert_whole(path) -> set[tuple]:
    """Every stored evaluation has its 5 test rows, no orphans, no duplicate keys; returns keys."""
    with Store(path) as store:
        per_eval = store.query(
            "SELECT e.instance_id, e.sample_index, count(t.test) FROM evaluations e "
            "LEFT JOIN test_results t USING (eval_id, instance_id, sample_index) GROUP BY ALL"
        )
        assert {n for *_, n in per_eval} <= {5}, per_eval
        orphans = store.query(
            "SELECT count(*) FROM test_results t ANTI JOIN evaluations e "
            "USING (eval_id, instance_id, sample_index)"
        )
        assert orphans == [(0,)]
        dupes = store.query(
            "SELECT instance_id, sample_index FROM evaluations GROUP BY ALL HAVING count(*) > 1"
        )
        assert dupes == []
        keys = store.keys(EvaluationRow, eval_id="kill")
        assert len(keys) == len(per_eval)
        return keys


def kill_after(path, writes: int) -> tuple[set[tuple], float]:
    """Start the writer and SIGKILL it at a random moment after `writes` acknowledged writes.

    Returns every key it acknowledged (the pipe is drained after the kill) and the delay used."""
    delay = random.uniform(0, 0.05)  # about one write: lands before, during or after a commit
    proc = writer(path)
    acked = [int(proc.stdout.readline()) for _ in range(writes)]
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    acked += [int(line) for line in proc.stdout.read().split()]
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
    return {("kill", f"inst-{i // 4}", i % 4) for i in acked}, delay


def test_kill_9_at_three_moments_loses_at_most_the_write_in_flight_and_resume_completes(tmp_path):
    path = tmp_path / "kill.duckdb"
    stored: set[tuple] = set()
    for writes in (3, 5, 7):  # each run resumes what the killed one left, then is killed itself
        acked, delay = kill_after(path, writes)
        assert not acked & stored, "a resumed writer rewrote a stored key"
        before, stored = stored, assert_whole(path)
        assert len(stored) < N_PLANNED, "the writer finished before the kill; raise N_PLANNED"
        assert before | acked <= stored, f"a committed write was lost (delay {delay:.4f} s)"
        assert len(stored - before - acked) <= 1, f"more than the in-flight write (delay {delay:.4f} s)"

    resume = writer(path)
    out, err = resume.communicate(timeout=60)
    assert resume.returncode == 0, err
    assert len(out.split()) == N_PLANNED - len(stored)  # only the missing ones were written
    assert assert_whole(path) == planned_keys()


def test_a_store_of_schema_v1_gains_the_new_columns(tmp_path):
    """v1 stores (no evaluations.guard, no runs.evaluator) open as v3: columns come with their defaults."""
    import duckdb

    path = tmp_path / "v1.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version BIGINT NOT NULL)")
    con.execute("INSERT INTO schema_version VALUES (1)")
    con.execute("CREATE TABLE evaluations (eval_id VARCHAR, instance_id VARCHAR, sample_index BIGINT, "
                "evaluator VARCHAR, model_name_or_path VARCHAR, status VARCHAR, resolved BOOLEAN, "
                "reason VARCHAR, patch_sha256 VARCHAR, f2p_passed BIGINT, f2p_total BIGINT, "
                "p2p_passed BIGINT, p2p_total BIGINT, duration_s DOUBLE, log_path VARCHAR, "
                "created_at TIMESTAMP, PRIMARY KEY (eval_id, instance_id, sample_index))")
    con.execute("INSERT INTO evaluations VALUES ('e', 'i', 0, 'fast', 'm', 'resolved', true, '', 'x', "
                "1, 1, 0, 0, 1.0, 'l', now())")
    con.execute("CREATE TABLE runs (run_id VARCHAR PRIMARY KEY, kind VARCHAR, benchmark VARCHAR, "
                "config JSON, config_hash VARCHAR, git_sha VARCHAR, versions JSON, created_at TIMESTAMP)")
    con.execute("""INSERT INTO runs VALUES ('r', 'rollout', 'swe-mini', '{"evaluator": "official"}', 'h',
                   'g', '{}', now())""")
    con.close()
    with Store(path) as store:
        assert store.query("SELECT max(version) FROM schema_version") == [(SCHEMA_VERSION,)]
        (row,) = store.rows(EvaluationRow)
        assert (row.eval_id, row.status, row.guard) == ("e", "resolved", "")
        assert store.rows(RunRow)[0].evaluator == ""
        assert store.run_eval_id("r") == "r.official"  # an old run's evaluator comes from its config


def test_a_runs_evaluation_id_names_its_own_evaluator(tmp_store):
    """Selection, plots, training data and submissions find a run's verdicts under the evaluator it
    was run with, not a hard-coded one."""
    from harness.provenance import run_row

    tmp_store.write([run_row("a", "rollout", "swe-mini", {"evaluator": "official"}),
                     run_row("b", "rollout", "swe-mini", {})])
    assert tmp_store.rows(RunRow, run_id="a")[0].evaluator == "official"
    assert (tmp_store.run_eval_id("a"), tmp_store.run_eval_id("b")) == ("a.official", "b.fast")
    assert tmp_store.run_eval_id("a", "fast") == "a.fast"
    assert tmp_store.run_evaluator("unknown") == "fast"


def test_training_steps_give_the_mean_of_the_last_steps_beside_the_last_one(tmp_store):
    """A stage's last step is one batch; the mean of its last `tail` steps is what two runs compare by."""
    losses = [9.0, 4.0, 1.0, 0.5, 0.1, 0.6]
    tmp_store.write([TrainingStepRow("train-sft-a", k + 1, "sft", loss, {}) for k, loss in enumerate(losses)])
    tmp_store.write([TrainingStepRow("train-sft-b", 1, "sft", 2.0, {})])
    ((run_id, steps, first, last, tail),) = tmp_store.training_steps("train-sft-a", tail=3)
    assert (run_id, steps, first, last) == ("train-sft-a", 6, 9.0, 0.6) and tail == pytest.approx(0.4)
    (b,) = tmp_store.training_steps("train-sft-b")
    assert b == ("train-sft-b", 1, 2.0, 2.0, 2.0)
    assert len(tmp_store.training_steps("train-sft-")) == 2


def test_a_logged_metric_is_averaged_over_the_last_steps(tmp_store):
    """What decides whether a drill stage learned its drill: its last steps' token accuracy."""
    accuracy = [0.1, 0.7, 0.7, 0.9, 1.0]
    tmp_store.write([TrainingStepRow("train-sft-a", k + 1, "sft", 1.0, {"mean_token_accuracy": a})
                     for k, a in enumerate(accuracy)])
    assert tmp_store.tail_metric("train-sft-a", "mean_token_accuracy", tail=2) == pytest.approx(0.95)
    assert tmp_store.tail_metric("train-sft-a", "mean_token_accuracy") == pytest.approx(0.68)
    assert tmp_store.tail_metric("train-sft-a", "entropy") is None
    assert tmp_store.tail_metric("train-sft-b", "mean_token_accuracy") is None
