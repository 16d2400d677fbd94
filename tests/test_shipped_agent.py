"""The shipped tiny agent (harness/models/agent): the alias "agent" loads it, it fits the size limit,
and its record names the `harness pretrain` command, the code and the data that made it."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from transformers import AutoModelForCausalLM, AutoTokenizer

from harness.backends import tiny
from harness.errors import BadInput
from harness.pretrain import RECORD, PretrainSettings, recording_sandbox, tasks_sha256
from harness.store import Store

LIMIT = 25_000_000  # bytes of weights the repository holds


def _record() -> dict:
    return json.loads((tiny.AGENT / RECORD).read_text())


def test_the_agent_alias_is_the_shipped_model_and_its_record_describes_it() -> None:
    assert tiny.resolve_model("agent") == str(tiny.AGENT)
    assert (tiny.AGENT / "model.safetensors").stat().st_size <= LIMIT
    record = _record()
    assert record["command"][:2] == ["harness", "pretrain"]
    assert re.fullmatch(r"[0-9a-f]{40}", record["git_sha"])
    model = AutoModelForCausalLM.from_pretrained(tiny.AGENT)
    assert model.config.architectures == ["Qwen3ForCausalLM"]
    assert sum(p.numel() for p in model.parameters()) == record["parameters"]
    assert AutoTokenizer.from_pretrained(tiny.AGENT).chat_template == tiny.CHAT_TEMPLATE
    assert record["data"]["demonstrations"]["trajectories"] == record["data"]["demonstrations"]["tasks"]


def test_a_missing_agent_is_one_clear_error(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(tiny, "AGENT", tmp_path / "agent")
    with pytest.raises(BadInput, match="harness pretrain"):
        tiny.resolve_model("agent")


def test_pretrain_keeps_the_shipped_agents_vocabulary(run_cli, tmp_path, monkeypatch) -> None:
    """A re-run of `harness pretrain` starts from the shipped agent's token ids (so from its seeded
    weights); `--vocabulary build` trains a tokenizer; a bad name is one line, before the store is made."""
    assert PretrainSettings().kept() == tiny.AGENT and PretrainSettings(vocabulary="build").kept() is None
    done = run_cli("pretrain", "--vocabulary", "nope", "--out", "agent", "--db", "ws/db.duckdb")
    assert done.returncode == 2 and "unknown vocabulary 'nope'; use one of agent, build" in done.stderr
    assert not (tmp_path / "ws").exists()
    monkeypatch.setattr(tiny, "AGENT", tmp_path / "agent")
    with pytest.raises(BadInput, match="pass --vocabulary build"):
        PretrainSettings().kept()
    (tmp_path / "run").mkdir()  # any model folder: an experiment keeps its own run's token ids
    (tmp_path / "run" / "tokenizer.json").write_text("{}")
    assert PretrainSettings(vocabulary=str(tmp_path / "run")).kept() == tmp_path / "run"
    with pytest.raises(BadInput, match="or a model folder holding a tokenizer.json"):
        PretrainSettings(vocabulary=str(tmp_path)).kept()


def test_pretrain_schedules_and_recovers_only_in_the_demonstrations(run_cli, tmp_path, monkeypatch) -> None:
    """`--schedule` and the recovering shares reach the demonstration stage alone (a drill
    stage hands its weights on at a constant rate); a bad schedule is one line, before the store is made."""
    settings = PretrainSettings(schedule="linear", recoveries=0.5, edit_recoveries=0.25,
                                format_recoveries=0.2)
    configs = {stage: settings.config(stage, "m", "local", 1) for stage in settings.stages()}
    assert {s: c.method_options["lr_scheduler_type"] for s, c in configs.items()} == {
        "copy": "constant_with_warmup", "recall": "constant_with_warmup", "demos": "linear"}
    assert {s: c.train.sft.recoveries for s, c in configs.items()} == {"copy": 0, "recall": 0, "demos": 0.5}
    assert {s: c.train.sft.edit_recoveries for s, c in configs.items()} == {
        "copy": 0, "recall": 0, "demos": 0.25}
    assert {s: c.train.sft.format_recoveries for s, c in configs.items()} == {
        "copy": 0, "recall": 0, "demos": 0.2}
    from methods.recipes import SFT
    from methods.train import stage_identity

    trained = {sandbox: [stage_identity(SFT, "m", settings.config(stage, "m", sandbox, 1))[0]
                         for stage in settings.stages()] for sandbox in ("local", "auto")}
    assert trained["local"] == trained["auto"]  # the sandbox records the data; stages are reused across it
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    assert recording_sandbox("auto") == "local"  # no image per task, even with Docker up
    assert recording_sandbox("docker") == "docker"
    done = run_cli("pretrain", "--schedule", "steep", "--out", "agent", "--db", "ws/db.duckdb")
    assert done.returncode == 2 and "unknown schedule 'steep'; use one of constant_with_warmup" in done.stderr
    assert not (tmp_path / "ws").exists()


@pytest.mark.parametrize(("stage", "accuracies", "passes"), [
    ("copy", [0.70, 0.97, 0.99], 2),  # the jump came in the second pass: no third
    ("recall", [0.70, 0.71, 0.72], 3),  # never learned: the record says so
    ("demos", [0.70, 0.71, 0.72], 1),  # demonstrations are one run, whatever their accuracy
    ("copy", [None, None, None], 1),  # a trainer that logs no accuracy: one pass, as before
])
def test_a_drill_stage_runs_its_drills_again_from_where_it_ended_until_learned(
        tmp_store, monkeypatch, stage, accuracies, passes) -> None:
    from harness import pipeline
    from harness.pretrain import train_pretrain_stage
    from harness.records import TrainingStepRow

    started, left = [], iter(accuracies)

    def train(ctx):  # a pass: 10 steps climbing to its accuracy, then 50 at it
        started.append(ctx.config.model)
        run, accuracy = f"train-sft-{len(started)}", next(left)
        tmp_store.write([TrainingStepRow(run, k, "sft", 1.0 - (accuracy or 0),
                                         {} if accuracy is None else {"mean_token_accuracy": a})
                         for k, a in enumerate([0.1] * 10 + [accuracy] * 50, 1)])
        return tmp_store.workspace / "models" / run / "merged"

    monkeypatch.setattr(pipeline, "train_stage", train)
    model, record, config = train_pretrain_stage(tmp_store, PretrainSettings(), stage, "start", "local", 1,
                                                 lambda _: None)
    runs = [f"train-sft-{k}" for k in range(1, passes + 1)]
    assert started == ["start", *(str(tmp_store.workspace / "models" / run / "merged") for run in runs[:-1])]
    assert model == str(tmp_store.workspace / "models" / runs[-1] / "merged") and config.model == started[-1]
    assert (record["passes"], record["training_run"], record["steps"]) == (runs, runs[-1], 60 * passes)
    assert record["accuracy"] == pytest.approx(accuracies[passes - 1])
    assert record["loss"]["first"] == pytest.approx(1.0 - (accuracies[0] or 0))


@pytest.mark.slow
def test_the_shipped_agent_was_trained_on_this_generators_train_split() -> None:
    from harness.benchmarks.swe_gen import SweGen
    from harness.benchmarks.swe_gen.generate import VERSION

    data = _record()["data"]
    assert data["generator_version"] == VERSION
    assert data["demonstrations"]["sha256"] == tasks_sha256(SweGen().load("train"))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
def test_the_embedded_default_acts(run_cli, tmp_path) -> None:
    """The default run (the agent on held-out swe-gen tasks) finishes episodes with real patches that
    resolve, not format errors: 2 samples of each of 2 tasks the agent finished 16 times of 16 in its
    measured base run (README "The agent"), without signals."""
    done = run_cli("run", "--method", "base", "--budget", "2", "-c", "sandbox=local",
                   "-c", "instances=[swe-gen__bunabe_estate-1, swe-gen__zotinu_gallery-1]",
                   "-c", "signals=none", "--db", "db.duckdb", timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    with Store(tmp_path / "db.duckdb", read_only=True) as store:
        reasons = dict(store.query("SELECT exit_reason, count(*) FROM rollouts GROUP BY 1"))
        patches = store.query("SELECT count(*) FROM rollouts WHERE patch <> ''")[0][0]
        resolved = store.query("SELECT count(*) FROM evaluations WHERE resolved")[0][0]
    assert sum(reasons.values()) == 4 and reasons.get("finished", 0) >= 2 and patches >= 2, reasons
    assert resolved >= 1
