"""`harness submit` on runs judged by `fast` and by `official` (store rows and swebench's log folders
built as each evaluator leaves them, on a local benchmark file: no image or dataset needed), checked
as the SWE-bench experiments repository reads a submission (harness/submit.py cites it); the
metadata options; and every refusal: the oracle, a name that is not a plain folder name, a split not
covered (against the split's shipped ids, not a dataset copy in the working directory), a repeated
id, a patch that does not parse, a missing trajectory file, an unjudged pick. A refusal is one line
and writes no submission."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from swebench.harness.constants import APPLY_PATCH_FAIL, END_TEST_OUTPUT, START_TEST_OUTPUT
from swebench.harness.grading import get_eval_report
from swebench.harness.utils import make_test_spec

from harness.benchmarks import get_benchmark
from harness.benchmarks.splits import split_ids
from harness.records import EvaluationRow, Instance, RolloutRow, RunRow
from harness.store import Store
from harness.submit import submission_problems
from harness.trajectory import Trajectory

RUN = "entropo-tasks-0123456789"
TASKS = "tasks.jsonl"  # the benchmark: a local file in the 5.x schema, written by `tasks`
REAL_VERIFIED = ("django__django-16255", "django__django-17029", "sympy__sympy-13031",
                 "pytest-dev__pytest-7432", "sphinx-doc__sphinx-8721", "pydata__xarray-4094")
DIFF = "--- a/{iid}.py\n+++ b/{iid}.py\n@@ -1 +1 @@\n-x = 1\n+x = {k}\n"
META = ["--author", "Ada Lovelace", "--open-model", "--open-system"]
LOG_FILES = {"patch.diff", "report.json", "test_output.txt", "eval.sh", "run_instance.log"}
REPORT_KEYS = {"patch_is_None", "patch_exists", "patch_successfully_applied", "resolved"}
TEST_KINDS = ("FAIL_TO_PASS", "PASS_TO_PASS", "FAIL_TO_FAIL", "PASS_TO_FAIL")
# what each (instance, sample) came to: resolved | unresolved | patch_failed | empty_patch, or
# distrusted: a log that grades resolved, which the fast evaluator refused (stored unresolved)
Outcome = Callable[[str, int], str]


def tasks(root: Path, n: int = 6) -> list[str]:
    """Write `n` instances to root/TASKS; their ids."""
    script = f"#!/bin/bash\ncd /testbed\n: '{START_TEST_OUTPUT}'\npytest -rA tests\n: '{END_TEST_OUTPUT}'\n"
    diff = "--- a/{f}\n+++ b/{f}\n@@ -1 +1 @@\n-x = 1\n+x = 2\n"
    rows = [{"instance_id": f"demo__calc-{i}", "repo": "demo/calc", "base_commit": "0" * 40,
             "problem_statement": f"bug {i}", "patch": diff.format(f="calc.py"),
             "test_patch": diff.format(f="tests/test_calc.py"), "image": "demo-calc:1", "eval_script": script,
             "FAIL_TO_PASS": [f"tests/test_calc.py::test_bug_{i}"],
             "PASS_TO_PASS": ["tests/test_calc.py::test_add", "tests/test_calc.py::test_sub"]}
            for i in range(n)]
    (root / TASKS).write_text("".join(json.dumps(r) + "\n" for r in rows))
    return [r["instance_id"] for r in rows]


def by_sample(iid: str, k: int) -> str:
    return "resolved" if k else "unresolved"


def pytest_log(inst: Instance, resolved: bool) -> str:
    """A pytest -rA log between eval.sh's markers, as swebench's parse_log_pytest reads it."""
    lines = [f"+ : '{START_TEST_OUTPUT}'", "+ python3 -m pytest -rA tests", "=== short test summary info ==="]
    lines += [f"{'PASSED' if resolved else 'FAILED'} {t}" for t in inst.FAIL_TO_PASS]
    lines += [f"PASSED {t}" for t in inst.PASS_TO_PASS] + [f"+ : '{END_TEST_OUTPUT}'", ""]
    return "\n".join(lines)


def build(root: Path, ids: list[str], evaluator: str = "fast", outcome: Outcome = by_sample,
          benchmark: str = TASKS, bad_patch: str | None = None) -> None:
    """A run of two samples per instance, judged by `evaluator`, with every file that evaluator and
    the rollouts leave on disk (trajectories, test logs, swebench's run_evaluation folders)."""
    instances = {i.instance_id: i for i in get_benchmark(str(root / TASKS)).load()} if benchmark == TASKS \
        else {}
    rows: list = [RunRow(RUN, "rollout", benchmark, {"policy": "tiny"}, "h", "sha", {})]
    for iid in ids:
        for k in range(2):
            status = outcome(iid, k)
            patch = "" if status == "empty_patch" else DIFF.format(iid=iid, k=k)
            patch = bad_patch if bad_patch and k == 0 else patch
            traj = root / "trajectories" / RUN / iid / f"{k}.json"
            Trajectory(RUN, iid, k, k, "tiny", [{"role": "user", "content": f"fix {iid}"}]).save(traj)
            log = _judge(root, instances.get(iid), iid, k, patch, status, evaluator)
            reason = "log not trusted: pytest internals were replaced" if status == "distrusted" else ""
            status = "unresolved" if status == "distrusted" else status
            rows += [RolloutRow(RUN, iid, k, "finished", 3 + k, patch, str(traj), 10, 5, 0.1, 0.1, k),
                     EvaluationRow(f"{RUN}.{evaluator}", iid, k, evaluator, RUN, status, status == "resolved",
                                   reason, hashlib.sha256(patch.encode()).hexdigest(), 0, 0, 0, 0, 0.0, log)]
    with Store(root / "db.duckdb") as store:
        store.write(rows)


def _judge(root: Path, inst: Instance | None, iid: str, k: int, patch: str, status: str,
           evaluator: str) -> str:
    """Write what `evaluator` leaves for this outcome; return the log_path it stores."""
    if inst is None or status == "empty_patch":
        return ""
    if evaluator == "fast":
        if status == "patch_failed":
            return ""
        log = root / "logs" / f"{RUN}.fast" / f"{iid}.{k}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(pytest_log(inst, status in ("resolved", "distrusted")))
        return str(log)
    # swebench's run_instance: logs/run_evaluation/<run_id>/<model>/<instance>/
    d = (root / "logs" / f"{RUN}.official" / f"s{k}" / "logs" / "run_evaluation"
         / f"{RUN}.official.s{k}" / RUN / iid)
    d.mkdir(parents=True)
    (d / "patch.diff").write_text(patch)
    if status == "patch_failed":
        (d / "run_instance.log").write_text(f"{APPLY_PATCH_FAIL}:\nerror: corrupt patch\n")
        return str(d / "run_instance.log")
    (d / "eval.sh").write_text(inst.eval_script)
    (d / "test_output.txt").write_text(pytest_log(inst, status == "resolved"))
    pred = {"instance_id": iid, "model_patch": patch, "model_name_or_path": RUN}
    report = get_eval_report(make_test_spec(inst.to_swebench()), pred, str(d / "test_output.txt"), True)
    (d / "report.json").write_text(json.dumps(report, indent=4))
    (d / "run_instance.log").write_text(f"Result for {iid}: resolved: {report[iid]['resolved']}\n")
    return str(d / "test_output.txt")


def get_results(folder: Path, instances: dict[str, Instance]) -> dict[str, list[str]]:
    """What the experiments repository's analysis/get_results.py makes of a folder (read 2026-12): no
    logs/<id>/ or no patch.diff is no_generation, no test_output.txt is no_logs, and resolved is
    swebench's get_eval_report on test_output.txt with the patch from patch.diff."""
    out: dict[str, list[str]] = {"no_generation": [], "no_logs": [], "resolved": []}
    for iid, inst in sorted(instances.items()):
        logs = folder / "logs" / iid
        if not (logs / "patch.diff").exists():
            out["no_generation"].append(iid)
        elif not (logs / "test_output.txt").exists():
            out["no_logs"].append(iid)
        else:
            pred = {"instance_id": iid, "model_patch": (logs / "patch.diff").read_text(),
                    "model_name_or_path": folder.name}
            spec = make_test_spec(inst.to_swebench())
            if get_eval_report(spec, pred, str(logs / "test_output.txt"), False)[iid]["resolved"]:
                out["resolved"].append(iid)
    return out


def check_submission(folder: Path, split_ids: set[str]) -> dict:
    """What the experiments repository asks of a submission folder (and its get_results reads)."""
    assert re.fullmatch(r"\d{8}_[\w.-]+", folder.name) and folder.parent.parent.name == "evaluation"
    preds = [json.loads(line) for line in (folder / "all_preds.jsonl").read_text().splitlines()]
    assert all(set(p) == {"instance_id", "model_name_or_path", "model_patch"} for p in preds)
    ids = [p["instance_id"] for p in preds]
    assert sorted(ids) == sorted(split_ids) and len(set(ids)) == len(ids)
    meta = yaml.safe_load((folder / "metadata.yaml").read_text())
    assert meta["info"]["name"] and meta["info"]["report"] and meta["info"]["authors"]
    assert {"checked", "model", "org", "os_model", "os_system", "system"} <= set(meta["tags"])
    assert meta["tags"]["system"]["attempts"] in ("1", "2+")
    assert meta["assets"]["logs"].endswith(f"/{folder.parent.name}/{folder.name}/logs")
    readme = (folder / "README.md").read_text()
    assert "- [x] Does not use SWE-bench test knowledge (`PASS_TO_PASS`, `FAIL_TO_PASS`)" in readme
    results = json.loads((folder / "results" / "results.json").read_text())
    assert list(results) == ["no_generation", "no_logs", "resolved"] and set(results["resolved"]) <= set(ids)
    sb_cli = json.loads((folder / "preds.json").read_text())
    assert set(sb_cli) == set(ids) and all(sb_cli[i]["instance_id"] == i for i in ids)
    for p in preds:
        logs = folder / "logs" / p["instance_id"]
        if p["model_patch"].strip():
            assert (logs / "patch.diff").read_text() == p["model_patch"]
        else:  # swebench runs no empty patch: get_results counts it as no_generation
            assert not (logs / "patch.diff").exists() and p["instance_id"] in results["no_generation"]
        report = json.loads((logs / "report.json").read_text())[p["instance_id"]]
        assert REPORT_KEYS <= set(report) and report["resolved"] == (p["instance_id"] in results["resolved"])
        if "tests_status" in report:  # swebench's shape: each kind with its success and failure lists
            assert set(report["tests_status"]) == set(TEST_KINDS)
            assert all(set(v) == {"success", "failure"} for v in report["tests_status"].values())
        assert (logs / "run_instance.log").read_text()
        traj = json.loads((folder / "trajs" / f"{p['instance_id']}.json").read_text())
        chosen = [c for c in traj["candidates"] if c["chosen"]]
        assert len(chosen) == 1 and chosen[0]["patch"] == p["model_patch"]  # every candidate, and the pick
        assert chosen[0]["sample_index"] == traj["chosen_sample"] and chosen[0]["messages"]
    return results


def submit(cli, *args: str, selector: str = "first", name: str = "x", split: str = TASKS, meta=META):
    return cli("submit", "--run", RUN, "--selector", selector, "--split", split, "--name", name,
               "--db", "db.duckdb", *meta, *args)


def submission(tmp_path: Path) -> Path:
    (folder,) = (tmp_path / "submissions" / "evaluation" / "tasks").iterdir()
    return folder


def test_a_fast_judged_submission_has_swebench_logs_for_every_instance(cli, tmp_path: Path) -> None:
    ids = tasks(tmp_path)
    build(tmp_path, ids)
    done = submit(cli, selector="longest", name="entropo-tiny")
    assert done.returncode == 0, done.stderr
    folder = submission(tmp_path)
    results = check_submission(folder, set(ids))
    assert len(results["resolved"]) == len(ids)  # `longest` picks sample 1 (4 steps), which resolves here
    assert results["no_generation"] == results["no_logs"] == []
    instances = {i.instance_id: i for i in get_benchmark(str(tmp_path / TASKS)).load()}
    assert get_results(folder, instances) == results  # the round trip through the leaderboard's reading
    inst = instances[ids[0]]
    logs = folder / "logs" / ids[0]
    assert {p.name for p in logs.iterdir()} == LOG_FILES
    assert (logs / "eval.sh").read_text() == inst.eval_script
    assert (logs / "test_output.txt").read_text() == pytest_log(inst, True)
    status = json.loads((logs / "report.json").read_text())[ids[0]]["tests_status"]
    assert status["FAIL_TO_PASS"] == {"success": list(inst.FAIL_TO_PASS), "failure": []}
    assert "evaluator `fast`" in (logs / "run_instance.log").read_text()
    traj = json.loads((folder / "trajs" / f"{ids[0]}.json").read_text())
    assert [c["sample_index"] for c in traj["candidates"]] == [0, 1] and traj["selector"] == "longest"


def test_an_official_judged_submission_copies_what_swebench_wrote(cli, tmp_path: Path) -> None:
    ids = tasks(tmp_path)
    special = {ids[0]: "empty_patch", ids[1]: "patch_failed", ids[2]: "resolved"}
    build(tmp_path, ids, "official", lambda iid, k: special.get(iid, "unresolved") if k == 0 else "resolved")
    done = submit(cli, name="entropo-tiny")
    assert done.returncode == 0, done.stderr
    folder = submission(tmp_path)
    results = check_submission(folder, set(ids))
    assert results == {"no_generation": [ids[0]], "no_logs": [ids[1]], "resolved": [ids[2]]}
    instances = {i.instance_id: i for i in get_benchmark(str(tmp_path / TASKS)).load()}
    assert get_results(folder, instances) == results
    swebench = tmp_path / "logs" / f"{RUN}.official" / "s0" / "logs" / "run_evaluation"
    for iid in ids[2:]:
        source = swebench / f"{RUN}.official.s0" / RUN / iid
        assert {p.name for p in (folder / "logs" / iid).iterdir()} == LOG_FILES
        assert all((folder / "logs" / iid / f).read_bytes() == (source / f).read_bytes() for f in LOG_FILES)
    failed = folder / "logs" / ids[1]  # swebench leaves patch.diff and run_instance.log; we add the report
    assert {p.name for p in failed.iterdir()} == {"patch.diff", "run_instance.log", "report.json"}
    assert APPLY_PATCH_FAIL in (failed / "run_instance.log").read_text()
    assert json.loads((failed / "report.json").read_text()) == {ids[1]: {
        "patch_is_None": False, "patch_exists": True, "patch_successfully_applied": False,
        "resolved": False, "infra_failure": False}}
    empty = folder / "logs" / ids[0]
    assert {p.name for p in empty.iterdir()} == {"run_instance.log", "report.json"}
    assert json.loads((empty / "report.json").read_text())[ids[0]]["patch_exists"] is False
    assert "status: empty_patch" in (empty / "run_instance.log").read_text()


def test_fast_verdicts_without_a_log_or_with_a_distrusted_one(cli, tmp_path: Path) -> None:
    ids = tasks(tmp_path)
    special = {ids[0]: "empty_patch", ids[1]: "patch_failed", ids[2]: "distrusted", ids[3]: "resolved"}
    build(tmp_path, ids, "fast", lambda iid, k: special.get(iid, "unresolved") if k == 0 else "resolved")
    done = submit(cli)
    assert done.returncode == 0, done.stderr
    folder = submission(tmp_path)
    results = check_submission(folder, set(ids))
    assert results == {"no_generation": [ids[0]], "no_logs": [ids[1]], "resolved": [ids[3]]}
    failed = folder / "logs" / ids[1]
    assert {p.name for p in failed.iterdir()} == {"patch.diff", "run_instance.log", "report.json"}
    assert json.loads((failed / "report.json").read_text())[ids[1]]["patch_exists"] is True
    assert "status: patch_failed" in (failed / "run_instance.log").read_text()
    distrusted = folder / "logs" / ids[2]  # the log alone grades resolved; our verdict does not
    assert {p.name for p in distrusted.iterdir()} == LOG_FILES
    report = json.loads((distrusted / "report.json").read_text())[ids[2]]
    assert report["resolved"] is False and report["tests_status"]["FAIL_TO_PASS"]["failure"] == []
    assert "reason: log not trusted" in (distrusted / "run_instance.log").read_text()
    readme = (folder / "README.md").read_text()
    assert f"(our evaluator did not trust them; see run_instance.log): {ids[2]}." in readme
    instances = {i.instance_id: i for i in get_benchmark(str(tmp_path / TASKS)).load()}
    assert get_results(folder, instances)["resolved"] == [ids[2], ids[3]]  # why the README names it


def test_metadata_options_reach_metadata_yaml(cli, tmp_path: Path) -> None:
    build(tmp_path, tasks(tmp_path))
    done = submit(cli, "--author", "Ada Lovelace", "--author", "Alan Turing", "--org", "ENTROPO", "--site",
                  "https://example.org", "--logo", "https://example.org/logo.png", "--closed-model",
                  "--open-system", name="tiny", meta=[])
    assert done.returncode == 0, done.stderr
    meta = yaml.safe_load((submission(tmp_path) / "metadata.yaml").read_text())
    assert meta["info"] == {"name": "tiny", "report": "https://arxiv.org/abs/2509.12434",
                            "authors": ["Ada Lovelace", "Alan Turing"], "site": "https://example.org",
                            "logo": "https://example.org/logo.png"}
    assert meta["tags"] == {"checked": False, "model": ["tiny"], "org": ["ENTROPO"], "os_model": False,
                            "os_system": True, "system": {"attempts": "2+"}}


def refused(done, message: str, tmp_path: Path) -> None:
    """One line on stderr holding `message`, exit 2, and no submission folder."""
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and done.stderr.strip().count("\n") == 0, done.stderr
    assert not (tmp_path / "submissions").exists()


@pytest.mark.parametrize("name", ["a/b c", "x y", "../up", ".hidden", "tab\tname", ""])
def test_a_name_that_is_not_a_plain_folder_name_is_refused(cli, tmp_path: Path, name: str) -> None:
    build(tmp_path, tasks(tmp_path))
    done = submit(cli, name=name)
    refused(done, "may hold only letters, digits, '.', '_' and '-'", tmp_path)


def test_the_open_flags_have_no_default(cli, tmp_path: Path) -> None:
    build(tmp_path, tasks(tmp_path))
    done = submit(cli, "--author", "A", "--open-system", meta=[])
    assert done.returncode == 2 and "--open-model" in done.stderr
    assert not (tmp_path / "submissions").exists()


def test_refusals_leave_nothing_behind(cli, tmp_path: Path) -> None:
    ids = tasks(tmp_path)
    build(tmp_path, ids[:5])
    refused(submit(cli, selector="oracle"), "oracle reads the evaluations: it is an upper bound", tmp_path)
    refused(submit(cli),
            "refusing to write the submission: 1 of 6 instances have no prediction (demo__calc-5)", tmp_path)


def test_a_missing_trajectory_file_is_refused(cli, tmp_path: Path) -> None:
    ids = tasks(tmp_path)
    build(tmp_path, ids)
    gone = tmp_path / "trajectories" / RUN / ids[3] / "0.json"
    gone.unlink()
    done = submit(cli)
    refused(done, f"1 trajectory files of the candidates are missing (e.g. {ids[3]} sample 0: {gone})",
            tmp_path)


def test_an_unjudged_pick_is_refused(cli, tmp_path: Path) -> None:
    ids = tasks(tmp_path)
    build(tmp_path, ids)
    with Store(tmp_path / "db.duckdb") as store:
        store.query("DELETE FROM evaluations WHERE instance_id = ?", [ids[0]])
    done = submit(cli)
    refused(done, f"1 chosen samples have no evaluation (e.g. {ids[0]} sample 0): run "
            f"`harness evaluate --run {RUN} [-e official]`", tmp_path)


def test_a_stale_verdict_and_a_lost_log_are_refused(cli, tmp_path: Path) -> None:
    ids = tasks(tmp_path)
    build(tmp_path, ids)
    (tmp_path / "logs" / f"{RUN}.fast" / f"{ids[1]}.0.log").unlink()
    with Store(tmp_path / "db.duckdb") as store:
        store.query("UPDATE rollouts SET patch = ? WHERE instance_id = ? AND sample_index = 0",
                    [DIFF.format(iid=ids[0], k=7), ids[0]])
    refused(submit(cli), f"1 chosen samples were evaluated on another patch than the rollout holds (e.g. "
            f"{ids[0]} sample 0 in {RUN}.fast); 1 evaluation logs are gone (e.g. {tmp_path}/logs/"
            f"{RUN}.fast/{ids[1]}.0.log)", tmp_path)


def test_verified_coverage_is_the_shipped_split_not_a_dataset_copy_in_the_working_directory(
        cli, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    ids = [*REAL_VERIFIED, "django__django-99999"]
    partial = tmp_path / "SWE-bench" / "SWE-bench_Verified" / "test.parquet"  # used to redefine the split
    partial.parent.mkdir(parents=True)
    pq.write_table(pa.table({"instance_id": ids, "repo": [i.split("__")[0] for i in ids]}), partial)
    build(tmp_path, ids, benchmark="swebench-verified")
    refused(submit(cli, split="verified"), "refusing to write the submission: 494 of 500 instances have no "
            "prediction (astropy__astropy-12907, astropy__astropy-13033, astropy__astropy-13236, ...); "
            "1 predictions are not in the split (django__django-99999)", tmp_path)


def test_the_shipped_split_ids() -> None:
    verified, lite = split_ids("swebench-verified"), split_ids("swebench-lite")
    assert len(verified) == 500 and len(lite) == 300 and split_ids("swe-mini") is None
    assert set(REAL_VERIFIED) <= verified  # the six real instances evaluated here (shared/real-swebench)
    assert len(verified & lite) == 93 and "astropy__astropy-6938" in lite - verified
    assert all(re.fullmatch(r"[\w.-]+__[\w.-]+-\d+", i) for i in verified | lite)


def test_a_patch_that_does_not_parse_is_refused(cli, tmp_path: Path) -> None:
    ids = tasks(tmp_path)
    build(tmp_path, ids, bad_patch="this is not a diff\n")
    done = submit(cli)
    assert done.returncode == 2 and f"{ids[0]}: patch does not parse" in done.stderr


def test_problems_are_listed_together() -> None:
    preds = [{"instance_id": i, "model_patch": p} for i, p in
             (("a", ""), ("a", ""), ("zzz", "garbage\n"))]
    problems = submission_problems(preds, {"a", "b"})
    assert problems == ["1 of 2 instances have no prediction (b)", "1 predictions are not in the split (zzz)",
                        "repeated instance ids: a", "zzz: patch does not parse: no file diffs found"]
