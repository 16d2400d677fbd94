"""`harness submit` on a swe-mini run, validated by a checker of the SWE-bench experiments format
(harness/submit.py cites it), and every refusal: the oracle, a split not covered, a repeated id, a
patch that does not parse; nothing is written when refused."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from harness.benchmarks.swe_mini import SWE_MINI
from harness.records import EvaluationRow, RolloutRow, RunRow
from harness.store import Store
from harness.submit import submission_problems

RUN = "entropo-swe-mini-0123456789"
DIFF = "--- a/{iid}.py\n+++ b/{iid}.py\n@@ -1 +1 @@\n-x = 1\n+x = {k}\n"


def build(db: Path, ids: list[str], bad_patch: str | None = None) -> None:
    rows: list = [RunRow(RUN, "rollout", "swe-mini", {"policy": "tiny"}, "h", "sha", {})]
    for iid in ids:
        for k in range(2):
            patch = bad_patch if bad_patch and k == 0 else DIFF.format(iid=iid, k=k)
            rows += [RolloutRow(RUN, iid, k, "finished", 3 + k, patch, "", 10, 5, 0.1, 0.1, k),
                     EvaluationRow(f"{RUN}.fast", iid, k, "fast", RUN, "resolved" if k else "unresolved",
                                   bool(k), "", "", 0, 0, 0, 0, 0.0, "")]
    with Store(db) as store:
        store.write(rows)


def check_submission(folder: Path, split_ids: set[str]) -> None:
    """What the experiments repository asks of a submission folder."""
    assert re.fullmatch(r"\d{8}_[\w.-]+", folder.name) and folder.parent.parent.name == "evaluation"
    preds = [json.loads(line) for line in (folder / "all_preds.jsonl").read_text().splitlines()]
    assert all(set(p) == {"instance_id", "model_name_or_path", "model_patch"} for p in preds)
    ids = [p["instance_id"] for p in preds]
    assert sorted(ids) == sorted(split_ids) and len(set(ids)) == len(ids)
    meta = yaml.safe_load((folder / "metadata.yaml").read_text())
    assert meta["info"]["name"] and meta["info"]["report"]
    assert {"checked", "model", "org", "os_model", "os_system", "system"} <= set(meta["tags"])
    assert meta["tags"]["system"]["attempts"] in ("1", "2+")
    readme = (folder / "README.md").read_text()
    assert "- [x] Does not use SWE-bench test knowledge (`PASS_TO_PASS`, `FAIL_TO_PASS`)" in readme
    results = json.loads((folder / "results" / "results.json").read_text())
    assert set(results) == {"resolved", "no_generation", "no_logs"} and set(results["resolved"]) <= set(ids)
    sb_cli = json.loads((folder / "preds.json").read_text())
    assert set(sb_cli) == set(ids) and all(sb_cli[i]["instance_id"] == i for i in ids)
    for p in preds:
        logs = folder / "logs" / p["instance_id"]
        assert (logs / "patch.diff").read_text() == p["model_patch"]
        traj = json.loads((folder / "trajs" / f"{p['instance_id']}.json").read_text())
        chosen = [c for c in traj["candidates"] if c["chosen"]]
        assert len(chosen) == 1 and chosen[0]["patch"] == p["model_patch"]  # every candidate, and the pick
        assert chosen[0]["sample_index"] == traj["chosen_sample"]


def test_a_swe_mini_submission_passes_the_checker(cli, tmp_path: Path) -> None:
    ids = [i.instance_id for i in SWE_MINI.load("test")]
    build(tmp_path / "db.duckdb", ids)
    done = cli("submit", "--run", RUN, "--selector", "longest", "--split", "swe-mini",
               "--name", "entropo-tiny", "--db", "db.duckdb")
    assert done.returncode == 0, done.stderr
    (folder,) = (tmp_path / "results" / "submissions" / "evaluation" / "swe-mini").iterdir()
    check_submission(folder, set(ids))
    results = json.loads((folder / "results" / "results.json").read_text())
    assert len(results["resolved"]) == 12  # `longest` picks sample 1 (4 steps), which resolves here
    traj = json.loads((folder / "trajs" / f"{ids[0]}.json").read_text())
    assert [c["sample_index"] for c in traj["candidates"]] == [0, 1] and traj["selector"] == "longest"


def test_refusals_leave_nothing_behind(cli, tmp_path: Path) -> None:
    ids = [i.instance_id for i in SWE_MINI.load("test")]
    build(tmp_path / "db.duckdb", ids[:5])
    args = ["--run", RUN, "--split", "swe-mini", "--name", "x", "--db", "db.duckdb"]
    oracle = cli("submit", "--selector", "oracle", *args)
    assert oracle.returncode == 2 and "oracle reads the evaluations: it is an upper bound" in oracle.stderr
    short = cli("submit", "--selector", "first", *args)
    assert short.returncode == 2
    assert "refusing to write the submission: 7 of 12 instances have no prediction" in short.stderr
    assert not (tmp_path / "results" / "submissions" / "evaluation").exists()


def test_a_patch_that_does_not_parse_is_refused(cli, tmp_path: Path) -> None:
    ids = [i.instance_id for i in SWE_MINI.load("test")]
    build(tmp_path / "db.duckdb", ids, bad_patch="this is not a diff\n")
    done = cli("submit", "--selector", "first", "--run", RUN, "--split", "swe-mini", "--name", "x",
               "--db", "db.duckdb")
    assert done.returncode == 2 and f"{ids[0]}: patch does not parse" in done.stderr


def test_problems_are_listed_together() -> None:
    preds = [{"instance_id": i, "model_patch": p} for i, p in
             (("a", ""), ("a", ""), ("zzz", "garbage\n"))]
    problems = submission_problems(preds, {"a", "b"})
    assert problems == ["1 of 2 instances have no prediction (b)", "1 predictions are not in the split (zzz)",
                        "repeated instance ids: a", "zzz: patch does not parse: no file diffs found"]
