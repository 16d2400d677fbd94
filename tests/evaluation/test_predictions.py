"""Predictions files: every malformed input is one actionable line, before anything is stored."""

from __future__ import annotations

import json

import duckdb
import pytest

from harness.errors import BadInput
from harness.evaluation.predictions import read_predictions
from harness.records import Prediction

ID = "swe-mini__verspec-1"


def row(**fields) -> str:
    return json.dumps({"instance_id": ID, "model_patch": "diff", **fields})


def test_jsonl(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(row() + "\n\n" + row(sample_index=1, model_name_or_path="m2") + "\n")
    assert read_predictions(path) == [Prediction(ID, "diff", "model", 0), Prediction(ID, "diff", "m2", 1)]


def test_json_list_and_dict_forms(tmp_path):
    rows = [{"instance_id": ID, "model_patch": "a"}, {"instance_id": "x", "model_patch": None}]
    (tmp_path / "list.json").write_text(json.dumps(rows))
    (tmp_path / "dict.json").write_text(json.dumps({r["instance_id"]: r for r in rows}))
    expected = [Prediction(ID, "a"), Prediction("x", "")]
    assert read_predictions(tmp_path / "list.json") == expected
    assert read_predictions(tmp_path / "dict.json") == expected


def test_distinct_sample_index_accepted(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(row(sample_index=i) for i in (2, 0, 1)))
    assert [p.key for p in read_predictions(path)] == [(ID, 2), (ID, 0), (ID, 1)]


# (name, file name, content, error message after "<path>")
BAD = [
    ("malformed JSON", "p.jsonl", (row() + "\n{oops\n").encode(),
     ":2: not valid JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"),
    ("not UTF-8", "p.jsonl", row().encode() + b"\n" + b'{"instance_id": "\xff"}\n',
     ":2: not valid UTF-8 (byte 17)"),
    ("lone surrogate", "p.jsonl", b'{"instance_id": "a", "model_patch": "ok\\ud800"}\n',
     ":1: model_patch is not valid UTF-8 (lone surrogate at 2)"),
    ("missing instance_id", "p.jsonl", b'{"model_patch": ""}\n', ":1: missing instance_id"),
    ("blank instance_id", "p.json", b'[{"instance_id": " "}]', ":1: missing instance_id"),
    ("slash in id", "p.jsonl", b'{"instance_id": "../etc"}\n',
     ":1: instance id '../etc' contains a path separator"),
    ("backslash in id", "p.jsonl", b'{"instance_id": "a\\\\b"}\n',
     ":1: instance id 'a\\\\b' contains a path separator"),
    ("duplicate", "p.jsonl", (row() + "\n" + row(sample_index=1) + "\n" + row() + "\n").encode(),
     f":3: duplicate prediction for {ID} (sample_index 0, first on line 1); "
     "give candidates distinct sample_index"),
    ("string sample_index", "p.jsonl", row(sample_index="1").encode(),
     ":1: model_name_or_path must be a string and sample_index an int >= 0"),
    ("float sample_index", "p.jsonl", row(sample_index=1.5).encode(),
     ":1: model_name_or_path must be a string and sample_index an int >= 0"),
    ("bool sample_index", "p.jsonl", row(sample_index=True).encode(),
     ":1: model_name_or_path must be a string and sample_index an int >= 0"),
    ("negative sample_index", "p.jsonl", row(sample_index=-1).encode(),
     ":1: model_name_or_path must be a string and sample_index an int >= 0"),
    ("not an object", "p.jsonl", b"[1]\n", ":1: a prediction must be a JSON object"),
    ("patch not a string", "p.jsonl", b'{"instance_id": "a", "model_patch": 3}\n',
     ":1: model_patch must be a string"),
    ("empty file", "p.jsonl", b"\n  \n", ": no predictions"),
    ("empty list", "p.json", b"[]", ": no predictions"),
    ("json scalar", "p.json", b"3", ": expected a list of predictions or a dict by instance id"),
    ("wrong suffix", "p.txt", row().encode(), ": predictions must be .jsonl or .json"),
]


@pytest.mark.parametrize(("name", "file", "content", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_predictions(tmp_path, name, file, content, message):
    path = tmp_path / file
    path.write_bytes(content)
    with pytest.raises(BadInput) as err:
        read_predictions(path)
    assert str(err.value) == f"{path}{message}"


def test_missing_file(tmp_path):
    with pytest.raises(BadInput, match="^predictions file .*nope.jsonl does not exist$"):
        read_predictions(tmp_path / "nope.jsonl")


# ---------------------------------------------------------------- the same through the CLI


def stored_rows(db) -> int:
    if not db.exists():
        return 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sum(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                   for t in ("runs", "evaluations", "test_results"))
    finally:
        con.close()


def assert_one_line_error(run, path, db, expected: str) -> None:
    out = run("evaluate", "-p", path, "--db", db)
    assert out.returncode == 2, out.stderr
    assert out.stderr.splitlines() == [f"error: {expected}"]
    assert out.stdout == ""
    assert stored_rows(db) == 0


@pytest.mark.parametrize(("name", "file", "content", "message"), BAD, ids=[b[0] for b in BAD])
def test_cli_bad_predictions(tmp_path, cli, name, file, content, message):
    path = tmp_path / file
    path.write_bytes(content)
    assert_one_line_error(cli, path, tmp_path / "r.duckdb", f"{path}{message}")


UNKNOWN = ["nope-2", ID, "nope-1", "[bold]nope-3"]  # ids are printed verbatim, not as rich markup


@pytest.mark.parametrize("runner", ["cli", "run_cli"])
def test_cli_unknown_instance_ids(tmp_path, request, runner):
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(json.dumps({"instance_id": i, "model_patch": ""}) for i in UNKNOWN))
    assert_one_line_error(request.getfixturevalue(runner), path, tmp_path / "r.duckdb",
                          "unknown instance ids for swe-mini: [bold]nope-3, nope-1, nope-2")


def test_cli_markup_in_an_error_is_printed_verbatim(tmp_path, run_cli):
    """Through the installed `harness` script: a closing tag in user input is not rich markup."""
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps({"instance_id": "x[/y]"}))
    assert_one_line_error(run_cli, path, tmp_path / "r.duckdb",
                          f"{path}:1: instance id 'x[/y]' contains a path separator")
