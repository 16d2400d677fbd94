"""The results store: one DuckDB file, schema generated from `harness.records` and versioned here.

Writes go through one connection per process; each `write` is one transaction, so a kill -9 leaves
either all of a call's rows or none (DuckDB's WAL discards the uncommitted tail on reopen), and
primary keys make re-running a write idempotent.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from harness.errors import BadInput, HarnessError
from harness.paths import workspace_for
from harness.records import ROW_TYPES, Row, RunRow

SCHEMA_VERSION = 4  # v2: evaluations.guard; v3: runs.evaluator; v4: workspace-relative paths
DEFAULT_DB = Path("results") / "harness.duckdb"
SAMPLE_COLUMNS = ("instance_id", "sample_index", "resolved", "patch", "prompt_tokens", "completion_tokens",
                  "model_seconds", "sandbox_seconds", "mean_logprob")  # Store.samples
_CHUNK = 256
R = TypeVar("R", bound=Row)

_SQL_TYPES = {str: "VARCHAR", int: "BIGINT", float: "DOUBLE", bool: "BOOLEAN", datetime: "TIMESTAMP"}


def _sql_type(annotation: Any) -> str:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        (inner,) = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _sql_type(inner)
    return _SQL_TYPES.get(annotation, "VARCHAR")  # dict/list/tuple are JSON text


def eval_id(run_id: str, evaluator: str) -> str:
    """Every evaluation id of a run's rollouts is made here: `<run_id>.<evaluator>`."""
    return f"{run_id}.{evaluator}"


def table_ddl(row_type: type[Row]) -> str:
    """CREATE TABLE statement for one Row class."""
    hints = typing.get_type_hints(row_type)
    cols = []
    for f in dataclasses.fields(row_type):
        nullable = type(None) in typing.get_args(hints[f.name])
        cols.append(f"{f.name} {_sql_type(hints[f.name])}{'' if nullable else ' NOT NULL'}")
    cols.append(f"PRIMARY KEY ({', '.join(row_type.key)})")
    return f"CREATE TABLE IF NOT EXISTS {row_type.table} (\n  " + ",\n  ".join(cols) + "\n)"


class Store:
    """A DuckDB results file. Use as a context manager; thread-safe for writes within one process."""

    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False):
        import duckdb

        self.path = Path(path)
        self.workspace = workspace_for(self.path)
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            raise HarnessError(f"cannot open store {self.path}: {exc}".splitlines()[0]) from exc
        self._lock = threading.Lock()
        if not read_only:
            self._migrate()

    def _migrate(self) -> None:
        self.con.execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
        found = self.con.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        if found is not None and found > SCHEMA_VERSION:
            raise HarnessError(
                f"store {self.path} has schema v{found}, newer than this harness (v{SCHEMA_VERSION})"
            )
        with self.transaction():
            for row_type in ROW_TYPES:
                self.con.execute(table_ddl(row_type))
                self._add_new_columns(row_type)
            if found is not None and found < 4:
                # Before v4 trajectory paths were relative to the working directory, always
                # results/trajectories/...: the workspace's own when the store sat in results/.
                self.con.execute("UPDATE rollouts SET trajectory_path = substr(trajectory_path, 9) "
                                 "WHERE starts_with(trajectory_path, 'results/')")
            if found is None or found < SCHEMA_VERSION:
                self.con.execute("INSERT INTO schema_version VALUES (?)", [SCHEMA_VERSION])

    def _add_new_columns(self, row_type: type[Row]) -> None:
        """Schema changes are additive: a field added to a record becomes a column with its default."""
        have = {r[0] for r in self.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [row_type.table]
        ).fetchall()}
        hints = typing.get_type_hints(row_type)
        for f in dataclasses.fields(row_type):
            if f.name not in have:
                default = "'" + str(f.default).replace("'", "''") + "'"
                self.con.execute(f"ALTER TABLE {row_type.table} ADD COLUMN {f.name} "
                                 f"{_sql_type(hints[f.name])} DEFAULT {default}")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            self.con.execute("BEGIN TRANSACTION")
            try:
                yield
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
            self.con.execute("COMMIT")

    def write(self, rows: Sequence[Row], replace: Iterable[tuple[type[Row], dict]] = ()) -> None:
        """Insert (or overwrite by primary key) `rows` in one transaction.

        `replace` lists (Row class, {column: value}) whose matching rows are deleted first, so a
        re-evaluation does not leave stale child rows behind.
        """
        with self.transaction():
            for row_type, where in replace:
                clause = " AND ".join(f"{k} = ?" for k in where)
                self.con.execute(f"DELETE FROM {row_type.table} WHERE {clause}", list(where.values()))
            for row_type, group in _group(rows).items():
                cols = [f.name for f in dataclasses.fields(row_type)]
                one = f"({', '.join('?' for _ in cols)})"
                # One multi-row statement per chunk: DuckDB's executemany runs row by row (~5 ms each).
                for i in range(0, len(group), _CHUNK):
                    chunk = group[i : i + _CHUNK]
                    sql = (
                        f"INSERT OR REPLACE INTO {row_type.table} ({', '.join(cols)}) "
                        f"VALUES {', '.join(one for _ in chunk)}"
                    )
                    self.con.execute(sql, [v for r in chunk for v in r.values()])

    def keys(self, row_type: type[Row], **where: Any) -> set[tuple]:
        """Primary keys of stored rows matching `where` (what a resumed run can skip)."""
        clause = " AND ".join(f"{k} = ?" for k in where) or "TRUE"
        sql = f"SELECT {', '.join(row_type.key)} FROM {row_type.table} WHERE {clause}"
        with self._lock:
            return {tuple(r) for r in self.con.execute(sql, list(where.values())).fetchall()}

    def rows(self, row_type: type[R], **where: Any) -> list[R]:
        """Stored rows of `row_type` matching `where`, as records, in primary-key order."""
        cols = [f.name for f in dataclasses.fields(row_type)]
        clause = " AND ".join(f"{k} = ?" for k in where) or "TRUE"
        order = ", ".join(row_type.key)
        sql = f"SELECT {', '.join(cols)} FROM {row_type.table} WHERE {clause} ORDER BY {order}"
        hints = typing.get_type_hints(row_type)
        as_json = [hints[c] in (dict, list) for c in cols]  # stored as JSON text: read back as such
        return [row_type(*(json.loads(v) if j and isinstance(v, str) else v
                           for v, j in zip(r, as_json, strict=True)))
                for r in self.query(sql, list(where.values()))]

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._lock:
            return self.con.execute(sql, list(params)).fetchall()

    def artifact(self, stored: str) -> Path | None:
        """The file a stored artifact path names (relative paths are the workspace's); None for none."""
        return self.workspace / stored if stored else None

    def stored_path(self, path: Path) -> str:
        """How a row names an artifact: relative to the workspace when inside it, else absolute."""
        path = Path(path).resolve()
        return str(path.relative_to(self.workspace)) if path.is_relative_to(self.workspace) else str(path)

    def run(self, run_id: str) -> RunRow:
        """The run row of `run_id`; BadInput naming the store when there is none."""
        found = self.rows(RunRow, run_id=run_id)
        if not found:
            raise BadInput(f"unknown run {run_id!r} in {self.path}")
        return found[0]

    def verdicts(self, eval_id: str) -> dict[tuple[str, int], bool]:
        """(instance, sample) -> resolved, for every verdict stored under `eval_id`."""
        return {(i, k): bool(r) for i, k, r in self.query(
            "SELECT instance_id, sample_index, resolved FROM evaluations WHERE eval_id = ?", [eval_id])}

    def exit_reasons(self, run_id: str) -> dict[tuple[str, int], str]:
        """(instance, sample) -> exit reason of every stored rollout of `run_id`."""
        return {(i, k): reason for i, k, reason in self.query(
            "SELECT instance_id, sample_index, exit_reason FROM rollouts WHERE run_id = ?", [run_id])}

    def count_by(self, table: str, column: str, **where: str) -> dict[str, int]:
        """Rows of `table` matching `where`, counted by `column` (exit reasons, statuses)."""
        clause = " AND ".join(f"{k} = ?" for k in where) or "TRUE"
        return dict(self.query(f"SELECT {column}, count(*) FROM {table} WHERE {clause} GROUP BY {column}",
                               list(where.values())))

    def signal_keys(self, run_id: str) -> set[tuple[str, int, str]]:
        """(instance, sample, signal name) of every stored signal of `run_id`."""
        return {tuple(r) for r in self.query(
            "SELECT instance_id, sample_index, name FROM signals WHERE run_id = ?", [run_id])}

    def selected_samples(self, run_id: str) -> set[tuple[str, int]]:
        """(instance, sample) of every sample a stored selection of `run_id` chose."""
        return {tuple(r) for r in self.query(
            "SELECT DISTINCT instance_id, sample_index FROM selections WHERE run_id = ?", [run_id])}

    def has_selection(self, run_id: str, selector: str, budget: int) -> bool:
        """Whether `selector` at `budget` chose samples of `run_id` (`harness run` stores it last)."""
        return bool(self.query("SELECT 1 FROM selections WHERE run_id = ? AND selector = ? AND budget = ? "
                               "LIMIT 1", [run_id, selector, budget]))

    def training_steps(self, run_prefix: str, tail: int = 100) -> list[tuple[str, int, float, float, float]]:
        """(training run, steps, first loss, last loss, mean loss of the last `tail` steps) of every
        training run whose id starts so: the last step is one batch, too noisy to compare two runs by."""
        return self.query(
            "SELECT run_id, count(*), min_by(loss, step), max_by(loss, step), "
            "avg(loss) FILTER (WHERE rank <= ?) FROM (SELECT *, row_number() OVER (PARTITION BY run_id "
            "ORDER BY step DESC) AS rank FROM training_runs WHERE starts_with(run_id, ?)) "
            "GROUP BY run_id ORDER BY run_id", [tail, run_prefix])

    def tail_metric(self, run_id: str, name: str, tail: int = 50) -> float | None:
        """The mean of logged metric `name` (e.g. TRL's mean_token_accuracy) over the training run's last
        `tail` steps; None when it logged none."""
        ((mean,),) = self.query(
            "SELECT avg(CAST(json_extract(metrics, ?) AS DOUBLE)) FROM (SELECT metrics FROM training_runs "
            "WHERE run_id = ? ORDER BY step DESC LIMIT ?)", [f"$.{name}", run_id, tail])
        return mean

    def judged_count(self, run_id: str, eval_id: str) -> tuple[int, int]:
        """(rollouts of `run_id`, how many of them have a verdict under `eval_id`)."""
        ((rollouts, judged),) = self.query(
            "SELECT count(*), count(e.eval_id) FROM rollouts r LEFT JOIN evaluations e ON e.eval_id = ? "
            "AND e.instance_id = r.instance_id AND e.sample_index = r.sample_index WHERE r.run_id = ?",
            [eval_id, run_id])
        return rollouts, judged

    def samples(self, run_id: str, eval_id: str) -> list[tuple]:
        """One row (SAMPLE_COLUMNS) per stored trajectory of `run_id`, by instance and sample: its verdict
        under `eval_id` (None when unjudged), patch, cost and mean log-prob signal."""
        return self.query(
            "SELECT r.instance_id, r.sample_index, e.resolved, r.patch, r.prompt_tokens, "
            "r.completion_tokens, r.model_seconds, r.sandbox_seconds, s.value AS mean_logprob "
            "FROM rollouts r "
            "LEFT JOIN evaluations e ON e.eval_id = ? AND e.instance_id = r.instance_id "
            "AND e.sample_index = r.sample_index "
            "LEFT JOIN signals s ON s.run_id = r.run_id AND s.instance_id = r.instance_id "
            "AND s.sample_index = r.sample_index AND s.name = 'mean_logprob' "
            "WHERE r.run_id = ? ORDER BY r.instance_id, r.sample_index", [eval_id, run_id])

    def costs(self, run_id: str) -> tuple[int, float, int, float]:
        """What `run_id` spent: rollout tokens and model + sandbox seconds, the verifier's prompt tokens
        and the regression tests' sandbox seconds."""
        ((tokens, seconds),) = self.query(
            "SELECT coalesce(sum(prompt_tokens + completion_tokens), 0), "
            "coalesce(sum(model_seconds + sandbox_seconds), 0) FROM rollouts WHERE run_id = ?", [run_id])
        ((verifier, regression),) = self.query(
            "SELECT coalesce(sum(CAST(detail->>'tokens' AS BIGINT)) FILTER (name = 'verifier'), 0), "
            "coalesce(sum(CAST(detail->>'seconds' AS DOUBLE)) FILTER (name = 'regression'), 0) "
            "FROM signals WHERE run_id = ?", [run_id])
        return int(tokens), float(seconds), int(verifier), float(regression)

    def eval_ids(self, run_id: str) -> list[str]:
        """Every evaluation id under which rollouts of `run_id` were judged."""
        return [r[0] for r in self.query("SELECT DISTINCT eval_id FROM evaluations WHERE "
                                         "starts_with(eval_id, ?) ORDER BY 1", [eval_id(run_id, "")])]

    def run_evaluator(self, run_id: str) -> str:
        """The evaluator that judges `run_id`'s rollouts: its run row's, else its stored config's (runs
        stored before v3), else "fast"."""
        found = self.query("SELECT evaluator, config->>'evaluator' FROM runs WHERE run_id = ?", [run_id])
        return next((name for name in (found[0] if found else ()) if name), "fast")

    def run_eval_id(self, run_id: str, evaluator: str | None = None) -> str:
        """The evaluation id of `run_id`'s rollouts under `evaluator` (default: the run's own)."""
        return eval_id(run_id, evaluator or self.run_evaluator(run_id))

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _group(rows: Sequence[Row]) -> dict[type[Row], list[Row]]:
    groups: dict[type[Row], list[Row]] = {}
    for row in rows:
        groups.setdefault(type(row), []).append(row)
    return groups
