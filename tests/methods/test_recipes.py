"""Methods as users reach them: registered names, option checking, and `harness train` storing its
steps and reusing a stage whose config hash matches."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness import registry
from harness.config import load_config
from harness.errors import BadInput
from harness.records import RunRow
from harness.store import Store
from methods.recipes import ENTROPO, ENTROPO_KTO, SFT
from methods.train import check_options, lineage, stage_identity, stage_options

SFT_ONLY = registry.load("method", "sft")
FEW = 6  # swe-mini train tasks whose demonstrations a CLI test records: what is tested, not a corpus


def test_every_method_of_the_paper_is_registered():
    assert registry.names("method") == ["base", "dpo", "entropo", "entropo-dpo", "entropo-kto", "kto", "sft",
                                        "sft-dpo", "sft-entropo-dpo", "sft-kto"]
    assert [s.name for s in registry.load("method", "entropo").stages] == ["sft", "entropo-kto"]
    assert ENTROPO.stages[-1] is ENTROPO_KTO


def test_the_sft_first_methods_share_one_sft_model_and_differ_in_the_preference_stage(tmp_store: Store):
    """The table's preference rows start from one SFT run (same id, so trained once and rolled out
    once for preference data); `lineage` walks a model back through its stages."""
    names = ["sft", "entropo", "sft-dpo", "sft-kto", "sft-entropo-dpo"]
    recipes = [registry.load("method", name) for name in names]
    cfg = load_config(None, [], method="entropo")
    first = {stage_identity(r.stages[0], "agent", cfg)[0] for r in recipes}
    assert len(first) == 1 and first.pop().startswith("train-sft-")
    sft = str(tmp_store.workspace / "models" / stage_identity(SFT, "agent", cfg)[0] / "merged")
    second = [stage_identity(r.stages[1], sft, cfg)[0] for r in recipes[1:]]
    assert len(set(second)) == 4 and [s.rsplit("-", 1)[0] for s in second] == [
        "train-entropo-kto", "train-dpo", "train-kto", "train-entropo-dpo"]
    tmp_store.write([RunRow(run_id, "training", "swe-gen", identity, "h", "sha", {}) for run_id, identity in (
        stage_identity(SFT, "agent", cfg), stage_identity(ENTROPO_KTO, sft, cfg))])
    kto = str(tmp_store.workspace / "models" / second[0] / "merged")
    assert lineage(tmp_store, kto) == [Path(sft).parent.name, second[0]]
    assert lineage(tmp_store, "agent") == []


def test_unknown_options_are_bad_input(tmp_store: Store):
    cfg = load_config(None, ["method_options.alpah=0.2"], method="entropo")
    with pytest.raises(BadInput, match=r"^unknown option\(s\) for sft, entropo-kto: alpah \(fields of "
                                       r"MultiTurnSFTConfig, EntropoKTOConfig"):
        ENTROPO.train(cfg, tmp_store, examples_for=None)


def test_an_option_goes_to_the_stages_that_have_it_and_only_they_are_keyed_by_it():
    """alpha is ENTROPO-KTO's: within `entropo` the SFT stage neither gets it nor retrains for it."""
    sft, kto = ENTROPO.stages
    one, other = (load_config(None, [f"method_options.alpha={a}", "method_options.max_steps=3"],
                              method="entropo") for a in (0.1, 0.3))
    assert stage_options(sft, one) == stage_options(sft, other)
    assert stage_options(sft, one)[1] == {"learning_rate": 1e-4, "max_length": 2048, "max_steps": 3}
    assert stage_options(kto, one)[1]["alpha"] == 0.1 and stage_options(kto, other)[1]["alpha"] == 0.3


def test_a_scoped_table_overrides_its_stages_and_leaves_the_others_alone():
    """`preference:` reaches every pair/label stage, a stage's own name only it, over the top level;
    the SFT stage keeps its options and its run id, so its model and rollouts are reused."""
    sft, kto = ENTROPO.stages
    plain = load_config(None, [], method="entropo")
    scoped = load_config(None, ["method_options.preference.learning_rate=2e-5",
                                "method_options.entropo-kto.alpha=0.2"], method="entropo")
    assert stage_identity(sft, "agent", scoped) == stage_identity(sft, "agent", plain)
    assert stage_options(sft, scoped)[1]["learning_rate"] == 1e-4
    assert stage_options(kto, plain)[1]["learning_rate"] == 2e-5  # the embedded default's own table
    kto_options = stage_options(kto, scoped)[1]
    assert (kto_options["learning_rate"], kto_options["alpha"]) == (2e-5, 0.2)
    assert stage_identity(kto, "sft", scoped)[0] != stage_identity(kto, "sft", plain)[0]
    mine = load_config(None, ["method_options.preference.learning_rate=2e-5",
                              "method_options.entropo-kto.learning_rate=3e-5"], method="entropo")
    assert stage_options(kto, mine)[1]["learning_rate"] == 3e-5  # the stage's own table wins


@pytest.mark.parametrize(("override", "message"), [
    ("method_options.preferenc.learning_rate=2e-5",
     r"unknown option scope\(s\) for sft, entropo-kto: preferenc"),
    ("method_options.sft.alpha=0.2", r"unknown option\(s\) for sft: alpha"),
    ("method_options.preference.alpah=0.2", r"unknown option\(s\) for entropo-kto: alpah"),
])
def test_a_bad_scope_or_a_key_its_stages_lack_is_bad_input(tmp_store: Store, override: str, message: str):
    with pytest.raises(BadInput, match=message):
        ENTROPO.train(load_config(None, [override], method="entropo"), tmp_store, examples_for=None)


def test_the_preference_table_is_a_scope_of_every_method_so_one_config_serves_them_all():
    """The embedded default's `preference:` table is unused by SFT alone, not an error for it."""
    check_options(SFT_ONLY.stages, load_config(None, ["method_options.preference.beta=0.2"], method="sft"))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
def test_train_sft_stores_steps_and_reuses_the_model(cli, tmp_path: Path, tiny_model_dir: Path):
    args = ["train", "-C", "swe-mini", "--method", "sft", "--model", str(tiny_model_dir),
            "-c", "sandbox=local", "-c", f"train.sft.instances={FEW}", "-c", "method_options.max_steps=4",
            "--db", "db.duckdb"]
    done = cli(*args)
    assert done.returncode == 0, done.stderr
    model = Path(done.stdout.strip().splitlines()[-1].removeprefix("model: "))
    assert (tmp_path / model / "config.json").is_file()
    with Store(tmp_path / "db.duckdb", read_only=True) as store:
        steps = store.query("SELECT step, loss FROM training_runs ORDER BY step")
        demos = store.query("SELECT count(*) FROM rollouts WHERE run_id = 'demos-swe-mini-train-e2'")
    assert [s for s, _ in steps] == [1, 2, 3, 4] and demos == [(FEW,)]
    assert steps[-1][1] < steps[0][1]  # SFT on the demonstrations lowers the loss
    again = cli(*args)
    assert again.returncode == 0 and again.stdout.strip().endswith(str(model))
    with Store(tmp_path / "db.duckdb", read_only=True) as store:
        assert store.query("SELECT count(*) FROM training_runs") == [(4,)]  # reused, not retrained


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
def test_rows_over_the_trainers_max_length_are_dropped_with_a_message(cli, tmp_path: Path, tiny_model_dir):
    """`max_length` reaches the data builder: nothing left is a one-line error, not a crash inside TRL,
    and no training run or model folder is written."""
    done = cli("train", "-C", "swe-mini", "--method", "sft", "--model", str(tiny_model_dir),
               "-c", "sandbox=local", "-c", f"train.sft.instances={FEW}",
               "-c", "method_options.max_length=2000", "--db", "db.duckdb")
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: no SFT rows left from {FEW} examples: dropped too_long {FEW} rows"
    with Store(tmp_path / "db.duckdb", read_only=True) as store:
        assert store.query("SELECT count(*) FROM runs WHERE kind = 'training'") == [(0,)]
    assert not (tmp_path / "models").exists()
