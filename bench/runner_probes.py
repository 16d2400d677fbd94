"""The adversarial table per test runner: every reward-hack probe judged by fast and by official.

    python bench/runner_probes.py [--workers 2]

Probes come from tests/evaluation/probes.py: pytest's conftest hacks and in-process forgeries,
result lines faked at import, graded tests deleted or made to pass vacuously, every test skipped,
a stubbed runner script. The tests hold fast to "never resolved" (bar its documented known gap);
what official says of the same patches is a fact to report, printed here as Markdown.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "evaluation"))
from probes import adversarial_patches, forging_patches, runner_probes  # noqa: E402

from harness.benchmarks.swe_mini import SWE_MINI  # noqa: E402
from harness.evaluation import Verdict  # noqa: E402
from harness.evaluation.run import judge_all  # noqa: E402
from harness.records import Instance, Prediction  # noqa: E402
from harness.sandbox.prepare import prepare_images  # noqa: E402

# runner -> (instance, the script a stub replaces; None: pytest itself, which lives outside the repo)
CASES = {
    "pytest 8, whole suite": ("swe-mini__verspec-1", None),
    "pytest 6": ("swe-mini__textcase-1", None),
    "tox + pytest 8": ("swe-mini__unitconv-1", "tox.ini"),
    "Django runtests.py": ("swe-mini__bookshelf-1", "tests/runtests.py"),
    "SymPy bin/test": ("swe-mini__symcalc-2", "bin/test"),
}


def probes(instance: Instance, runner_script: str | None) -> dict[str, Prediction]:
    """pytest's probes where pytest runs the tests (under tox too, plus a tox.ini stub); the runner
    probes for Django's and SymPy's runners."""
    if runner_script in (None, "tox.ini"):
        stub = runner_probes(instance, runner_script)["runner_stub"] if runner_script else None
        return {**adversarial_patches(instance), **forging_patches(instance)} | (
            {"runner_stub": stub} if stub else {})
    return runner_probes(instance, runner_script)


def judge(evaluator: str, instances: dict[str, Instance], preds: list[Prediction], workers: int,
          log_dir: Path) -> dict[tuple[str, int], Verdict]:
    verdicts: dict[tuple[str, int], Verdict] = {}
    log_dir.mkdir(parents=True)
    judge_all(evaluator, dict(sandbox="docker"), instances, preds, log_dir,
              lambda v: verdicts.__setitem__(v.prediction.key, v), workers, show_progress=False)
    return verdicts


def cell(verdict: Verdict) -> str:
    reason = verdict.reason.replace("|", "/")[:70]
    return f"{verdict.status} ({reason})" if reason else verdict.status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    instances = {i.instance_id: i for i in SWE_MINI.load(None, [iid for iid, _ in CASES.values()])}
    prepare_images(list(instances.values()), needs_docker=True, workers=args.workers)
    preds, rows = [], {}
    for runner, (iid, script) in CASES.items():
        for k, (name, pred) in enumerate(probes(instances[iid], script).items()):
            preds.append(dataclasses.replace(pred, sample_index=k))
            rows[(iid, k)] = (runner, name)
    with tempfile.TemporaryDirectory() as tmp:
        fast = judge("fast", instances, preds, args.workers, Path(tmp) / "fast")
        official = judge("official", instances, preds, args.workers, Path(tmp) / "official")
    print("| runner | instance | probe | fast | official |\n|---|---|---|---|---|")
    for key, (runner, name) in rows.items():
        print(f"| {runner} | {key[0]} | {name} | {cell(fast[key])} | {cell(official[key])} |")
    fast_n, official_n = (sum(v.resolved for v in got.values()) for got in (fast, official))
    print(f"\n{len(rows)} probes; resolved by fast: {fast_n}, by official: {official_n}")


if __name__ == "__main__":
    main()
