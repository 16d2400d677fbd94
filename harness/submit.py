"""Leaderboard submissions from a stored run and a selector.

The folder follows the SWE-bench experiments repository (github.com/SWE-bench/experiments, README
"How is this repository organized?", checklist.md and analysis/get_results.py, read 2026-12):
`evaluation/<split>/<YYYYMMDD>_<name>/` holding `all_preds.jsonl`, `metadata.yaml` (info: name,
report, authors, site, logo; assets: the logs/trajs S3 paths the maintainers upload to; tags: model,
org, os_model, os_system, system.attempts, checked), `README.md` with the checklist,
`logs/<instance_id>/` (harness/submission_logs.py), `trajs/` and `results/results.json` (resolved,
no_generation, no_logs, counted as get_results counts them). Best-of-N is accepted as one submitted
attempt chosen without SWE-bench evaluation or hidden tests (checklist.md, "Best@k"), and each
trajectory file shows every candidate and the choice; the oracle, which reads verdicts, is refused.
Coverage is checked against the split's own ids (harness/benchmarks/splits). `preds.json` is the
sb-cli predictions file (instance id -> instance_id, model_name_or_path, model_patch).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml

from harness import paths
from harness.benchmarks import LOCAL_SUFFIXES, get_benchmark
from harness.benchmarks.splits import split_ids
from harness.errors import BadInput
from harness.patches import patch_files
from harness.records import RolloutRow
from harness.selectors import get_selector
from harness.selectors.offline import load_candidates, select_run, subsample
from harness.store import Store
from harness.submission_logs import needs_instance, picked_verdicts, verdict_problems, write_logs
from harness.trajectory import Trajectory

SPLITS = {"verified": "swebench-verified", "lite": "swebench-lite"}
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
ASSETS = "s3://swe-bench-submissions/{split}/{folder}/{kind}"  # where the maintainers put logs/trajs
CHECKLIST = """- [x] Is a pass@1 submission: one prediction per task instance (best-of-{n} picked by
  `{selector}`, which never saw SWE-bench evaluation, PASS_TO_PASS or FAIL_TO_PASS; every candidate
  is in trajs/)
- [x] Does not use SWE-bench test knowledge (`PASS_TO_PASS`, `FAIL_TO_PASS`)
- [x] Does not use the `hints` field in SWE-bench
- [x] Does not have web-browsing (the agent's sandbox has no network)
"""


@dataclass(frozen=True)
class Metadata:
    """What the leaderboard shows besides the results (metadata.yaml `info` and `tags`)."""

    open_model: bool  # tags.os_model: the model's weights are public
    open_system: bool  # tags.os_system: the agent system's code is public
    authors: tuple[str, ...] = ()
    site: str = ""
    logo: str = ""
    org: tuple[str, ...] = ()
    report: str = "https://arxiv.org/abs/2509.12434"


def submission_problems(predictions: Sequence[dict], expected: set[str] | frozenset[str]) -> list[str]:
    """What makes these predictions unfit to submit for a split of `expected` ids (empty: fine)."""
    ids = [p["instance_id"] for p in predictions]
    problems = []
    if missing := sorted(expected - set(ids)):
        more = ", ..." if len(missing) > 3 else ""
        problems.append(f"{len(missing)} of {len(expected)} instances have no prediction "
                        f"({', '.join(missing[:3])}{more})")
    if unknown := sorted(set(ids) - expected):
        problems.append(f"{len(unknown)} predictions are not in the split ({', '.join(unknown[:3])})")
    if repeated := sorted(i for i, n in Counter(ids).items() if n > 1):
        problems.append(f"repeated instance ids: {', '.join(repeated[:3])}")
    for p in predictions:
        try:
            patch_files(p["model_patch"])
        except BadInput as exc:
            problems.append(f"{p['instance_id']}: {exc}")
    return problems


def expected_ids(benchmark: str) -> frozenset[str]:
    """A leaderboard split's shipped ids; for any other benchmark, its loader's test split."""
    if (known := split_ids(benchmark)) is not None:
        return known
    return frozenset(i.instance_id for i in get_benchmark(benchmark).load("test"))


def submit(store: Store, run_id: str, selector: str, split: str, name: str, meta: Metadata,
           budget: int | None = None, root: Path | None = None) -> Path:
    """Write the submission folder of `run_id` as chosen by `selector`; BadInput listing every problem
    (and nothing written) when it cannot be submitted."""
    if not SAFE_NAME.fullmatch(name):
        raise BadInput(f"submission name {name!r} may hold only letters, digits, '.', '_' and '-' "
                       "(it names the folder <YYYYMMDD>_<name>)")
    if get_selector(selector).oracle:
        raise BadInput(f"{selector} reads the evaluations: it is an upper bound, not a submission")
    benchmark = SPLITS.get(split, split)
    run = store.run(run_id)
    if run.benchmark != benchmark:
        raise BadInput(f"run {run_id} is on {run.benchmark}, not {benchmark}")
    chosen = select_run(store, run_id, selector, budget)
    rollouts = {(r.instance_id, r.sample_index): r for r in store.rows(RolloutRow, run_id=run_id)}
    picks = {(s.instance_id, s.sample_index): rollouts[(s.instance_id, s.sample_index)].patch
             for s in chosen.rows}
    predictions = [{"instance_id": iid, "model_name_or_path": name, "model_patch": patch}
                   for (iid, _), patch in picks.items()]
    pools = {iid: subsample(c, chosen.budget, 0) for iid, c in load_candidates(store, run_id).items()}
    shown = [rollouts[(iid, c.sample_index)] for iid, _ in picks for c in pools[iid]]
    verdicts = picked_verdicts(store, run_id, set(picks))
    problems = [*submission_problems(predictions, expected_ids(benchmark)),
                *_missing_trajectories(store, shown), *verdict_problems(run_id, picks, verdicts)]
    if problems:
        raise BadInput(f"refusing to write the submission: {'; '.join(problems)}")
    wanted = sorted({iid for (iid, _), v in verdicts.items() if needs_instance(v)})
    instances = {i.instance_id: i for i in get_benchmark(benchmark).load("test", wanted)} if wanted else {}
    short = _split_folder(benchmark)
    root = root or store.workspace / paths.SUBMISSIONS
    folder = root / "evaluation" / short / f"{datetime.now(UTC):%Y%m%d}_{name}"
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root) as tmp:  # all or nothing
        draft = Path(tmp) / "submission"
        overruled = [iid for (iid, k), patch in picks.items()
                     if write_logs(draft / "logs" / iid, verdicts[(iid, k)], patch, instances.get(iid))]
        (draft / "all_preds.jsonl").write_text("".join(json.dumps(p) + "\n" for p in predictions))
        (draft / "preds.json").write_text(json.dumps({p["instance_id"]: p for p in predictions}, indent=1))
        _write_trajs(store, draft / "trajs", picks, pools, rollouts, selector, chosen.budget)
        results = _results(draft / "logs", {iid for (iid, _), v in verdicts.items() if v.resolved})
        (draft / "results").mkdir()
        (draft / "results" / "results.json").write_text(json.dumps(results, indent=2))
        model = run.config.get("policy") or run_id
        _write_metadata(draft, folder, short, name, meta, model, chosen.budget)
        (draft / "README.md").write_text(_readme(name, meta, run_id, model, selector, chosen.budget, results,
                                                 len(predictions), overruled))
        if folder.exists():
            shutil.rmtree(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        draft.rename(folder)
    return folder


def _split_folder(benchmark: str) -> str:
    """evaluation/<this>/: the experiments repository's split name, or the benchmark's (a file's stem)."""
    for short, name in SPLITS.items():
        if name == benchmark:
            return short
    return Path(benchmark).stem if benchmark.endswith(LOCAL_SUFFIXES) else benchmark


def _missing_trajectories(store: Store, shown: Sequence[RolloutRow]) -> list[str]:
    gone = [r for r in shown if not ((path := store.artifact(r.trajectory_path)) and path.is_file())]
    if not gone:
        return []
    return [f"{len(gone)} trajectory files of the candidates are missing (e.g. {gone[0].instance_id} "
            f"sample {gone[0].sample_index}: {gone[0].trajectory_path or 'no path stored'})"]


def _write_trajs(store: Store, out: Path, picks: dict[tuple[str, int], str], pools: dict, rollouts: dict,
                 selector: str, budget: int) -> None:
    """One file per instance: every candidate the selector saw, its messages, and the pick."""
    out.mkdir()
    def messages(iid: str, k: int) -> list:
        return Trajectory.load(store.artifact(rollouts[(iid, k)].trajectory_path)).messages

    for iid, k in picks:
        (out / f"{iid}.json").write_text(json.dumps({
            "instance_id": iid, "selector": selector, "budget": budget, "chosen_sample": k,
            "candidates": [{
                "sample_index": c.sample_index, "chosen": c.sample_index == k,
                "finished": c.finished, "steps": c.steps, "signals": dict(c.signals), "patch": c.model_patch,
                "messages": messages(iid, c.sample_index)}
                for c in pools[iid]],
        }, indent=1))


def _results(logs: Path, resolved: set[str]) -> dict[str, list[str]]:
    """results.json as analysis/get_results.py counts a folder: no patch.diff is no_generation, no
    test_output.txt no_logs; resolved by our verdicts."""
    folders = sorted(logs.iterdir())
    return {"no_generation": [d.name for d in folders if not (d / "patch.diff").exists()],
            "no_logs": [d.name for d in folders
                        if (d / "patch.diff").exists() and not (d / "test_output.txt").exists()],
            "resolved": sorted(resolved)}


def _write_metadata(out: Path, folder: Path, split: str, name: str, meta: Metadata, model: str,
                    budget: int) -> None:
    assets = {kind: ASSETS.format(split=split, folder=folder.name, kind=kind) for kind in ("logs", "trajs")}
    (out / "metadata.yaml").write_text(yaml.safe_dump({
        "info": {"name": name, "report": meta.report, "authors": list(meta.authors), "site": meta.site,
                 "logo": meta.logo},
        "assets": assets,
        "tags": {"checked": False, "model": [model], "org": list(meta.org), "os_model": meta.open_model,
                 "os_system": meta.open_system, "system": {"attempts": "1" if budget == 1 else "2+"}},
    }, sort_keys=False))


def _readme(name: str, meta: Metadata, run_id: str, model: str, selector: str, budget: int, results: dict,
            total: int, overruled: list[str]) -> str:
    distrusted = (f" Not counted, though their test logs alone grade resolved (our evaluator did not trust "
                  f"them; see run_instance.log): {', '.join(sorted(overruled))}." if overruled else "")
    return (f"# {name}\n\nRun `{run_id}`: {budget} rollouts per task of `{model}`, one submitted per task, "
            f"chosen by the `{selector}` selector from the trajectories and their signals (never from "
            f"evaluations or hidden tests). Report: {meta.report}\n\nResolved {len(results['resolved'])} of "
            f"{total} by our own evaluation (results/results.json); the leaderboard's is authoritative."
            f"{distrusted}\n\n## Checklist\n\n" + CHECKLIST.format(n=budget, selector=selector))
