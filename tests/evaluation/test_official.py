"""The official evaluator's reading of swebench's exit: what it judged counts, whatever failed after."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from harness.benchmarks import get_benchmark
from harness.errors import HarnessError
from harness.evaluation.official import OfficialEvaluator
from harness.records import Prediction


def _swebench_that_exits_1(judged: int):
    """A stand-in for `run_evaluation` that writes `judged` predictions' logs and reports, then exits 1
    (as its closing summary does when a container it lists is removed by another process)."""

    def run(cmd, cwd, **_):
        run_id = cmd[cmd.index("--run_id") + 1]
        rows = Path(cmd[cmd.index("--predictions_path") + 1]).read_text().splitlines()
        for row in map(json.loads, rows[:judged]):
            d = Path(cwd, "logs", "run_evaluation", run_id, row["model_name_or_path"], row["instance_id"])
            d.mkdir(parents=True)
            (d / "run_instance.log").write_text("Tests ran\n")
            (d / "report.json").write_text(json.dumps({row["instance_id"]: {"resolved": True}}))
        return subprocess.CompletedProcess(cmd, 1)

    return run


@pytest.mark.parametrize("judged", [2, 1])
def test_a_failure_after_every_prediction_was_judged_keeps_the_verdicts(monkeypatch, tmp_path, judged):
    instances = {i.instance_id: i for i in get_benchmark("swe-mini").load()[:2]}
    preds = [Prediction(iid, i.patch, "gold") for iid, i in instances.items()]
    monkeypatch.setattr(subprocess, "run", _swebench_that_exits_1(judged))
    verdicts = []
    judge = OfficialEvaluator()
    if judged == len(preds):
        judge.evaluate(instances, preds, 1, tmp_path / "eval-x", verdicts.append)
        assert [(v.prediction.instance_id, v.status) for v in verdicts] == [
            (iid, "resolved") for iid in instances]
    else:
        with pytest.raises(HarnessError, match=f"exit 1\\) before judging {preds[1].instance_id}"):
            judge.evaluate(instances, preds, 1, tmp_path / "eval-x", verdicts.append)
        assert verdicts == []
