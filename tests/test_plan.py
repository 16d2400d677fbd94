"""`harness run --plan` and `harness grid plan`: every stage printed and every name checked, offline,
with nothing run and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.grid import load_grid
from harness.config import load_config
from harness.plan import Rates, plan


@pytest.fixture(autouse=True)
def offline(monkeypatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")


def test_the_default_entropo_run_plans_every_stage_in_order() -> None:
    steps = plan(load_config(None, [], method="entropo", budget=16))
    assert [s.stage for s in steps] == ["data sft", "data preference", "train sft", "train entropo-kto",
                                        "rollout", "evaluate", "signals", "select"]
    assert "swe-gen (train): 16 instances x (teacher 1, policy 4)" in steps[1].detail
    assert "EntropoKTOTrainer on 80 kto examples from <sft model>" in steps[3].detail
    rollout = steps[4]
    assert "12 instances x 16" in rollout.detail
    assert rollout.tokens == 12 * 16 * 10 * 256  # 10 turns of every rollout at max_tokens (256 here)
    assert rollout.gpu_hours == pytest.approx(rollout.tokens / Rates().decode / 3600)


def test_base_plans_no_training() -> None:
    assert [s.stage for s in plan(load_config(None, []))] == ["rollout", "evaluate", "signals", "select"]


def test_run_plan_prints_and_writes_nothing(cli, tmp_path: Path) -> None:
    done = cli("run", "--method", "entropo", "--budget", "16", "--plan", "--db", "db.duckdb")
    assert done.returncode == 0, done.stderr
    assert "train entropo-kto" in done.stdout and "GPU-h" in done.stdout
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("override", "message"), [
    ("selector=bogus", "unknown selector"),
    ("train.sft.benchmark=nope", "unknown benchmark 'nope'"),
    ("method_options.alpah=0.2", "unknown option(s) for sft, entropo-kto: alpah"),
])
def test_a_bad_name_in_any_stage_fails_the_plan(cli, override: str, message: str) -> None:
    done = cli("run", "--method", "entropo", "--plan", "-c", override)
    assert done.returncode == 2 and message in done.stderr, done.stderr


def test_the_shipped_paper_grid_plans_offline(cli, tmp_path: Path) -> None:
    done = cli("grid", "plan", "paper")
    assert done.returncode == 0, done.stderr
    assert "grid paper: 37 cells, 27 runs, every name and option checked" in done.stdout
    assert list(tmp_path.iterdir()) == []
    _, cells = load_grid("paper")
    details = {s.detail for cell in cells for s in plan(cell.config)}
    assert "swe-smith (train): ? (unknown offline) instances x (teacher 1); teacher: zai-org/GLM-4.5 via " \
           "openai; judged by fast" in details
    assert any("swebench-verified (test): 500 instances x 16" in d for d in details)
    assert any("swebench-lite (test): 300 instances x 16" in d for d in details)
