"""`harness pretrain`: one command trains the tiny agent from scratch (copy drills, recall drills, then
swe-gen demonstrations under the compact prompt) through the harness's own SFT stage, and writes the
weights with a record of the command, data hash and git sha; the same command elsewhere hashes the
same data."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from transformers import AutoModelForCausalLM

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")]
ARGS = ("pretrain", "--size", "tiny", "--instances", "4", "--drills", "2", "--epochs", "1", "--batch", "2",
        "--copy-drills", "4", "--recall-drills", "6", "--drill-batch", "2", "--drill-passes", "2",
        "--held-out", "2", "--sandbox", "local")


def test_pretrain_writes_a_loadable_model_and_its_record(run_cli, tmp_path: Path) -> None:
    done = run_cli(*ARGS, "--out", "agent", "--db", "ws/db.duckdb", timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    record = json.loads((tmp_path / "agent" / "PRETRAIN.json").read_text())
    assert record["command"][:2] == ["harness", "pretrain"]
    assert re.fullmatch(r"[0-9a-f]{40}(-dirty)?", record["git_sha"])
    assert {"torch", "transformers", "trl"} <= set(record["versions"]) and record["threads"] >= 1
    assert record["settings"]["size"] == "tiny" and record["parameters"] == 336_256
    assert {k: record["data"]["demonstrations"][k] for k in ("tasks", "trajectories")} == {"tasks": 4,
                                                                                         "trajectories": 4}
    assert (record["settings"]["tokens"], record["settings"]["drills"]) == ("all", 2)
    assert record["data"]["demonstrations"]["run_id"] == "demos-swe-gen-v3-train-compact-r0.3-x0.3-f0.3-e2"
    # the curriculum: 4 copy drills, 6 recall drills, then 4 demonstrations with 2 recall drills, at batch 2;
    # a model this small learns no drill in so few steps, so each drill stage runs its 2 passes
    assert {name: stage["steps"] for name, stage in record["stages"].items()} == {"copy": 4, "recall": 6,
                                                                                "demos": 3}
    assert {name: len(set(stage["passes"])) for name, stage in record["stages"].items()} == {
        "copy": 2, "recall": 2, "demos": 1}
    assert all(stage["accuracy"] < 0.95 for stage in record["stages"].values())
    assert record["steps"] == 13 and record["data"]["generator_version"] >= 2
    # the trained agent's copying, measured on the demonstrations of 2 held-out test tasks
    held = record["held_out"]
    assert held["episodes"] == 2 and all(0 <= held[k] <= 1 for k in ("agent_tokens", "function_pieces",
                                                                      "module_pieces", "function_names",
                                                                      "module_names"))
    assert "held-out copying (2 test tasks)" in done.stdout
    runs = [stage["training_run"] for stage in record["stages"].values()]
    assert len(set(runs)) == 3
    assert {p.stat().st_mode & 0o777 for p in (tmp_path / "agent").iterdir()} == {0o644}
    model = AutoModelForCausalLM.from_pretrained(tmp_path / "agent")
    assert sum(p.numel() for p in model.parameters()) == record["parameters"]

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    again = run_cli(*ARGS, "--out", "agent", "--db", "ws/db.duckdb", cwd=elsewhere, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    other = json.loads((elsewhere / "agent" / "PRETRAIN.json").read_text())
    assert other["data"]["demonstrations"]["sha256"] == record["data"]["demonstrations"]["sha256"]
