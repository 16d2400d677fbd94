"""One workspace per store: artifacts go beside the DuckDB file (or to --workspace), rows name them
relative to it, and a command run from any working directory finds the same files. Trajectory
files carry their format version."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from harness.records import RolloutRow
from harness.store import SCHEMA_VERSION, Store
from harness.trajectory import FORMAT_VERSION, Trajectory


def test_rows_name_artifacts_relative_to_the_workspace(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("HARNESS_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)
    with Store(Path("ws") / "db.duckdb") as store:
        assert store.workspace == tmp_path / "ws"
        inside, outside = tmp_path / "ws" / "trajectories" / "r" / "a" / "0.json", tmp_path / "elsewhere.json"
        assert store.stored_path(inside) == "trajectories/r/a/0.json"
        assert store.stored_path(outside) == str(outside)  # outside the workspace: absolute
        monkeypatch.chdir("/")
        assert store.artifact("trajectories/r/a/0.json") == inside and store.artifact("") is None
    monkeypatch.setenv("HARNESS_WORKSPACE", str(tmp_path / "other"))
    with Store(tmp_path / "ws" / "db.duckdb") as store:
        assert store.workspace == tmp_path / "other"


def test_a_v3_store_gets_workspace_relative_trajectory_paths(tmp_path: Path) -> None:
    """Before v4 rows held paths relative to the working directory (always results/trajectories/...)."""
    path = tmp_path / "results" / "db.duckdb"
    with Store(path) as store:
        store.write([RolloutRow("r", "a", 0, "finished", 1, "", "results/trajectories/r/a/0.json",
                                1, 1, 0.0, 0.0, 0),
                     RolloutRow("r", "a", 1, "finished", 1, "", "/abs/r/a/1.json", 1, 1, 0.0, 0.0, 0)])
    con = duckdb.connect(str(path))
    con.execute("DELETE FROM schema_version")
    con.execute("INSERT INTO schema_version VALUES (3)")
    con.close()
    with Store(path) as store:
        assert store.query("SELECT max(version) FROM schema_version") == [(SCHEMA_VERSION,)]
        paths = [r.trajectory_path for r in store.rows(RolloutRow)]
        assert paths == ["trajectories/r/a/0.json", "/abs/r/a/1.json"]
        assert store.artifact(paths[0]) == tmp_path / "results" / "trajectories" / "r" / "a" / "0.json"


def test_trajectory_files_carry_their_format_version(tmp_path: Path) -> None:
    traj = Trajectory("r", "a", 0, 7, "tiny", [{"role": "user", "content": "fix"}])
    traj.save(tmp_path / "t.json")
    data = json.loads((tmp_path / "t.json").read_text())
    assert data["format_version"] == FORMAT_VERSION
    assert Trajectory.load(tmp_path / "t.json") == traj
    del data["format_version"]  # a file written before the field: read as format 0
    assert Trajectory.from_json(data) == traj
    with pytest.raises(ValueError, match=f"format {FORMAT_VERSION + 1} is newer than this harness"):
        Trajectory.from_json({**data, "format_version": FORMAT_VERSION + 1})


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
def test_training_from_another_working_directory_finds_the_same_trajectories(run_cli, tmp_path: Path,
                                                                              tiny_model_dir: Path) -> None:
    """The demonstrations recorded from one directory are the ones a later command, run from another
    with a relative --db, trains on; the model it would train is the one already there."""
    for cwd in ("a", "b"):
        (tmp_path / cwd).mkdir()
    args = ["train", "-C", "swe-mini", "--method", "sft", "--model", str(tiny_model_dir),
            "-c", "sandbox=local", "-c", "train.sft.instances=6"]
    first = run_cli(*args, "-c", "method_options.max_steps=2", "--db", tmp_path / "ws" / "db.duckdb",
                    cwd=tmp_path / "a", timeout=900)
    assert first.returncode == 0, first.stderr[-2000:]
    model = first.stdout.strip().splitlines()[-1].removeprefix("model: ")
    assert model.startswith(str(tmp_path / "ws" / "models"))  # absolute, in the workspace
    again = run_cli(*args, "-c", "method_options.max_steps=2", "--db", "../ws/db.duckdb", cwd=tmp_path / "b")
    assert again.returncode == 0 and again.stdout.strip().endswith(model)  # reused, not retrained
    other = run_cli(*args, "-c", "method_options.max_steps=3", "--db", "../ws/db.duckdb",
                    cwd=tmp_path / "b", timeout=900)
    assert other.returncode == 0, other.stderr[-2000:]
    with Store(tmp_path / "ws" / "db.duckdb", read_only=True) as store:
        trained = store.query("SELECT config->>'options', (config->>'rows')::INT FROM runs "
                              "WHERE kind = 'training' ORDER BY created_at")
        demos = store.query("SELECT count(*), count(DISTINCT trajectory_path) FROM rollouts")
    assert [rows for _, rows in trained] == [demos[0][0]] * 2  # both trained on every demonstration
    assert demos[0][0] == demos[0][1] > 0  # recorded once
    assert not any((tmp_path / "a").iterdir()) and not any((tmp_path / "b").iterdir())  # nothing left there
