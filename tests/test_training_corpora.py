"""Training on the paper's kinds of corpora, offline: a SWE-smith fixture for SFT and an R2E-Gym
fixture for preference data (rows in their published schemas, images in their layouts, made from
swe-mini train tasks: tests/benchmarks/corpora.py), evaluated on swe-mini. Both fixtures grade
gold resolved and empty not under both evaluators; the run plans, trains and evaluates."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from harness.benchmarks import get_benchmark
from harness.evaluation.validate import validate
from harness.records import RolloutRow, RunRow
from harness.store import Store

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
from corpora import R2E_TASKS, SWESMITH_TASKS, r2e_fixture, swesmith_fixture  # noqa: E402

pytestmark = [pytest.mark.docker, pytest.mark.slow]
EVALUATED = "swe-mini__verspec-2"


def lines(patch: str) -> list[str]:
    """A patch's lines but its `index` lines (blob ids R2E-Gym's ParsedCommit does not keep)."""
    return [line for line in patch.splitlines() if not line.startswith("index ")]


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    dest = tmp_path_factory.mktemp("corpora")
    return {"swe-smith": swesmith_fixture(dest), "r2e-gym": r2e_fixture(dest)}


def test_the_fixtures_gold_is_the_swe_mini_fix(corpora: dict[str, Path]) -> None:
    """SWE-smith's gold is its bug patch reversed; R2E-Gym's is rendered from its ParsedCommit."""
    mini = {i.instance_id: i for i in get_benchmark("swe-mini").load("train")}
    for name, tasks in (("swe-smith", SWESMITH_TASKS), ("r2e-gym", R2E_TASKS)):
        loaded = get_benchmark(str(corpora[name])).load()
        assert [lines(i.patch) for i in loaded] == [lines(mini[t].patch) for t in tasks]


@pytest.mark.parametrize("evaluator", ["fast", "official"])
@pytest.mark.parametrize("name", ["swe-smith", "r2e-gym"])
def test_gold_resolves_and_empty_does_not(corpora: dict[str, Path], name: str, evaluator: str,
                                          tmp_path: Path) -> None:
    with Store(tmp_path / "db.duckdb") as store:
        checks = validate(str(corpora[name]), store, evaluator, sandbox="docker", show_progress=False)
    assert [(c.gold, c.empty) for c in checks] == [(["resolved"], ["empty_patch"])] * 2


def test_a_run_trains_on_both_fixtures_and_evaluates_on_swe_mini(
        corpora: dict[str, Path], run_cli, tmp_path: Path, tiny_model_dir: Path) -> None:
    options = ["-c", "sandbox=docker", "-c", f"instances=[{EVALUATED}]",
               "-c", f"train.sft.benchmark={corpora['swe-smith']}",
               "-c", f"train.preference.benchmark={corpora['r2e-gym']}",
               "-c", "train.preference.rollouts={teacher: 1, policy: 1}", "-c", "method_options.max_steps=2"]
    run = ("run", "-C", "swe-mini", "--method", "entropo", "--budget", "1", "--model", tiny_model_dir,
           *options)
    plan = run_cli(*run, "--plan")
    assert plan.returncode == 0, plan.stderr[-2000:]
    assert "swesmith.jsonl" in plan.stdout and "r2e_gym.jsonl" in plan.stdout

    done = run_cli(*run, "--db", "ws/db.duckdb", timeout=1200)
    assert done.returncode == 0, done.stderr[-3000:]
    # the SWE-smith fixture's verspec task is dated after the evaluated verspec task: reported
    assert "contamination: train.sft" in done.stdout and "(verspec)" in done.stdout
    with Store(tmp_path / "ws" / "db.duckdb", read_only=True) as store:
        runs = {r.run_id: r for r in store.rows(RunRow)}
        rollouts = [r for r in runs.values() if r.kind == "rollout"]
        demos = {r.benchmark: r.run_id for r in rollouts if r.run_id.startswith("demos-")}
        assert not any("/" in run_id for run_id in runs)  # a local file's path is not in its run ids
        assert set(demos) == {str(corpora["swe-smith"]), str(corpora["r2e-gym"])}
        for run_id in demos.values():  # the corpus's gold demonstrations, judged: all resolve
            assert sorted(store.verdicts(store.run_eval_id(run_id, "fast")).values()) == [True, True]
        policy = [r for r in rollouts if r.run_id.startswith("base-")]  # the SFT model's, on R2E-Gym's
        assert [r.benchmark for r in policy] == [str(corpora["r2e-gym"])]
        assert len(store.rows(RolloutRow, run_id=policy[0].run_id)) == 2
        trained = {r.run_id.removeprefix("train-").rsplit("-", 1)[0]: r
                   for r in runs.values() if r.kind == "training"}  # train-<stage>-<hash>
        assert set(trained) == {"sft", "entropo-kto"}
        steps = {stage: store.training_steps(r.run_id)[0][1] for stage, r in trained.items()}
        assert steps == {"sft": 2, "entropo-kto": 2}
        evaluated = [r for r in rollouts if r.benchmark == "swe-mini"]
        assert [len(store.verdicts(store.run_eval_id(r.run_id))) for r in evaluated] == [1]
