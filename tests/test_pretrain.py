"""`harness pretrain`: one command trains the tiny agent from scratch on swe-gen demonstrations
(compact prompt) through the harness's own SFT stage, and writes the weights with a record of the
command, data hash and git sha; the same command elsewhere hashes the same data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from transformers import AutoModelForCausalLM

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")]
ARGS = ("pretrain", "--size", "tiny", "--instances", "4", "--drills", "2", "--epochs", "1", "--batch", "2",
        "--sandbox", "local")


def test_pretrain_writes_a_loadable_model_and_its_record(run_cli, tmp_path: Path) -> None:
    done = run_cli(*ARGS, "--out", "agent", "--db", "ws/db.duckdb", timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    record = json.loads((tmp_path / "agent" / "PRETRAIN.json").read_text())
    assert record["command"][:2] == ["harness", "pretrain"] and len(record["git_sha"]) == 40
    assert record["settings"]["size"] == "tiny" and record["parameters"] == 336_256
    assert {k: record["data"]["demonstrations"][k] for k in ("tasks", "trajectories")} == {"tasks": 4,
                                                                                         "trajectories": 4}
    assert (record["settings"]["tokens"], record["settings"]["drills"]) == ("all", 2)
    assert record["steps"] == 3 and record["data"]["generator_version"] >= 2  # 4 demonstrations, 2 drills
    model = AutoModelForCausalLM.from_pretrained(tmp_path / "agent")
    assert sum(p.numel() for p in model.parameters()) == record["parameters"]

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    again = run_cli(*ARGS, "--out", "agent", "--db", "ws/db.duckdb", cwd=elsewhere, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    other = json.loads((elsewhere / "agent" / "PRETRAIN.json").read_text())
    assert other["data"]["demonstrations"]["sha256"] == record["data"]["demonstrations"]["sha256"]
