from pathlib import Path

import pytest

from harness.config import DEFAULT_CONFIG, RunConfig, load_config
from harness.errors import BadInput


def test_default_config_is_the_tiny_agent_on_held_out_swe_gen_tasks():
    cfg = load_config()
    assert (cfg.benchmark, cfg.split, cfg.subset, cfg.model, cfg.backend, cfg.method) == (
        "swe-gen", "test", 12, "agent", "hf", "base")
    assert (cfg.sampling.temperature, cfg.sampling.top_p, cfg.sampling.top_k) == (0.7, 0.8, 20)
    assert (cfg.agent.prompt, cfg.agent.max_steps, cfg.agent.max_context) == ("compact", 10, 2048)
    assert {cfg.train.sft.benchmark, cfg.train.preference.benchmark} == {"swe-gen"}  # splits: train


def test_a_shipped_config_by_name():
    cfg = load_config("swe-mini")
    assert (cfg.benchmark, cfg.split, cfg.model, cfg.agent.max_steps) == ("swe-mini", "test", "tiny", 100)
    assert load_config(DEFAULT_CONFIG.parent / "swe-mini.yaml") == cfg


def test_precedence_file_then_overrides_then_flags(tmp_path: Path):
    path = tmp_path / "c.yaml"
    path.write_text("budget: 4\nsampling:\n  temperature: 0.5\n")
    cfg = load_config(path, ["sampling.temperature=0.9", "agent.max_steps=7", "budget=8"], budget=16)
    assert (cfg.budget, cfg.sampling.temperature, cfg.agent.max_steps) == (16, 0.9, 7)
    assert cfg.sampling.top_k == 20  # untouched defaults survive a partial nested mapping


@pytest.mark.parametrize("overrides, message", [
    (["sampling.temprature=1"], "bad config: sampling.temprature: Extra inputs are not permitted"),
    (["budget=0"], "bad config: budget: Input should be greater than or equal to 1"),
    (["budget"], "override 'budget' must look like key=value"),
    (["budget.x=1"], "override budget.x: budget is not a mapping"),
])
def test_bad_config_is_one_line_bad_input(overrides, message):
    with pytest.raises(BadInput) as err:
        load_config(None, overrides)
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)


def test_unreadable_and_invalid_files(tmp_path: Path):
    with pytest.raises(BadInput, match="cannot read config"):
        load_config(tmp_path / "missing.yaml")
    (tmp_path / "bad.yaml").write_text("a: [1\n")
    with pytest.raises(BadInput, match="not valid YAML"):
        load_config(tmp_path / "bad.yaml")
    (tmp_path / "list.yaml").write_text("- 1\n")
    with pytest.raises(BadInput, match="must be a mapping"):
        load_config(tmp_path / "list.yaml")


def test_run_id_follows_results_not_speed():
    base = load_config()
    assert base.run_id() == load_config(None, ["workers=7"]).run_id()
    assert base.run_id() == load_config(None, ["selector=hybrid-verified", "signals=static"]).run_id()
    assert base.run_id() != load_config(None, ["seed=1"]).run_id()
    assert base.run_id().startswith("base-swe-gen-v")


@pytest.mark.parametrize("field", ["recoveries", "edit_recoveries", "format_recoveries"])
def test_sft_recoveries_leave_stored_run_ids_alone_until_set(field: str):
    """At 0 the field is left out of the dump, so runs stored before it keep their ids; set, it is hashed."""
    from methods.recipes import SFT
    from methods.train import stage_identity

    plain = load_config(None, ["method=sft"])
    assert field not in plain.model_dump()["train"]["sft"]
    recovering = load_config(None, ["method=sft", f"train.sft.{field}=0.3"])
    assert recovering.model_dump()["train"]["sft"][field] == 0.3
    assert stage_identity(SFT, "m", plain)[0] != stage_identity(SFT, "m", recovering)[0]
    with pytest.raises(BadInput):
        load_config(None, [f"train.sft.{field}=1.5"])


def test_shipped_configs_validate():
    for path in DEFAULT_CONFIG.parent.glob("*.yaml"):
        assert isinstance(load_config(path), RunConfig)


def test_named_instances_are_looked_up_in_every_split():
    assert load_config(None, [], instances=["a"]).split is None
    assert load_config(None, [], instances=["a"], split="train").split == "train"
    assert load_config(None, []).split == "test"


def test_exponent_numbers_in_overrides_are_numbers():
    """YAML 1.1 reads `2e-3` as a string; TRL would then crash comparing it to a float."""
    cfg = load_config(None, ["method_options.learning_rate=2e-3", "method_options.weight_decay=1E2",
                             "method_options.run_name=e5"])
    assert cfg.method_options["learning_rate"] == 0.002 and cfg.method_options["weight_decay"] == 100.0
    assert cfg.method_options["run_name"] == "e5"  # not a number: stays text


def test_a_subset_is_the_same_tasks_for_every_seed_and_a_run_of_its_own():
    from harness.stages import evaluated_instances

    every = evaluated_instances(load_config(None, ["benchmark=swe-mini"]))
    three = evaluated_instances(load_config(None, ["benchmark=swe-mini", "subset=3"]))
    again = evaluated_instances(load_config(None, ["benchmark=swe-mini", "subset=3", "seed=5"]))
    assert len(every) == 12 and [i.instance_id for i in three] == [i.instance_id for i in again]
    assert {i.instance_id for i in three} < {i.instance_id for i in every}
    assert evaluated_instances(load_config(None, ["benchmark=swe-mini", "subset=50"])) == every
    assert load_config(None, ["subset=3"]).run_id() != load_config().run_id()
    with pytest.raises(BadInput):
        load_config(None, ["subset=0"])


def test_an_alias_run_id_follows_the_files_it_stands_for(tmp_path, monkeypatch) -> None:
    """A rebuilt tiny model or new shipped agent weights make new run ids: stored runs of the old
    model are not reused; a model named by path or hub id is hashed as given."""
    from harness.backends import tiny

    tiny_id, named = load_config("swe-mini").run_id(), load_config(None, ["model=org/model"]).run_id()
    monkeypatch.setattr(tiny, "_key", lambda: "rebuilt")
    assert load_config("swe-mini").run_id() != tiny_id
    assert load_config(None, ["model=org/model"]).run_id() == named
    monkeypatch.setattr(tiny, "AGENT", tmp_path)
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"one")
    first = load_config(None, ["model=agent"]).run_id()
    weights.write_bytes(b"two!")
    assert load_config(None, ["model=agent"]).run_id() != first
