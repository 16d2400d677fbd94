"""`harness train` under `accelerate launch --num_processes 2` on CPU (gloo): the main process builds the
data and writes the store, the other trains with it, and two processes with batch 2 take the same steps
as one process with batch 4 (the same global batch): their stored losses agree to 1e-5. The data is the
embedded default's: swe-gen demonstrations (chosen, desirable) and the expert's no-fix runs (rejected,
undesirable), with the shipped agent."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import HARNESS

from harness.store import Store

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")]
ACCELERATE = Path(sys.executable).parent / "accelerate"
LAUNCH = [str(ACCELERATE), "launch", "--multi_gpu", "--num_processes", "2", "--num_machines", "1",
          "--mixed_precision", "no", "--dynamo_backend", "no"]  # torchrun; gloo, since there is no GPU


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("accelerate")  # shared: the second method reuses the demonstrations


def train(workspace: Path, method: str, batch: int, launch: list[str]) -> subprocess.CompletedProcess:
    args = ["train", "--method", method, "-c", "sandbox=local", "-c", "train.preference.instances=8",
            "-c", "train.preference.nofix=true", "-c", "train.preference.rollouts={teacher: 1}",
            "-c", "method_options.max_steps=3", "-c", "method_options.warmup_steps=0",
            "-c", f"method_options.per_device_train_batch_size={batch}", "--db", "db.duckdb"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    return subprocess.run([*launch, str(HARNESS), *args], cwd=workspace, env=env, capture_output=True,
                          text=True, timeout=900)


@pytest.mark.parametrize("method", ["dpo", "entropo-kto"])
def test_two_processes_train_as_one_process_with_their_global_batch(workspace: Path, method: str) -> None:
    two = train(workspace, method, 2, LAUNCH)
    assert two.returncode == 0, two.stderr[-3000:]
    one = train(workspace, method, 4, [])
    assert one.returncode == 0, one.stderr[-3000:]
    with Store(workspace / "db.duckdb", read_only=True) as store:
        runs = dict(store.query(
            "SELECT (config->'options'->>'per_device_train_batch_size')::INT, run_id FROM runs "
            "WHERE kind = 'training' AND config->>'stage' = ?", [method]))
        losses = {batch: [loss for _, _, loss in store.query(
            "SELECT run_id, step, loss FROM training_runs WHERE run_id = ? ORDER BY step", [run_id])]
            for batch, run_id in runs.items()}
    assert sorted(runs) == [2, 4] and len(losses[2]) == len(losses[4]) == 3
    assert losses[2] == pytest.approx(losses[4], abs=1e-5)
    assert abs(losses[4][2] - losses[4][0]) > 1e-3  # the steps moved the model: equal after updates
