"""Training corpora apart from the evaluated benchmark: the `train:` section, seeded subsets,
contamination reported before training, and the examples each stage gets (SFT: finished and resolved
teacher trajectories only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.config import CorpusConfig, load_config
from harness.errors import BadInput
from harness.training_data import contamination, corpus_instances, repo_key

FIXTURES = Path(__file__).parent / "benchmarks" / "fixtures"


def test_the_embedded_default_trains_on_swe_gens_train_split() -> None:
    train = load_config(None, [], method="entropo").train
    assert (train.sft.benchmark, train.sft.split, train.sft.source, train.sft.instances) == (
        "swe-gen", "train", "gold", 64)
    assert (train.preference.benchmark, train.preference.instances) == ("swe-gen", 16)
    assert train.preference.rollouts == {"teacher": 1, "policy": 4} and not train.preference.nofix
    swe_mini = load_config("swe-mini", [], method="entropo").train
    assert (swe_mini.sft.benchmark, swe_mini.preference.rollouts) == ("swe-mini", {"teacher": 1, "policy": 2})


@pytest.mark.parametrize(("override", "message"), [
    ("train.sft.source=teacher", "a teacher source needs train.teacher.model"),
    ("train.preference.rollouts={teacher: 2}", "a gold source has one demonstration per instance"),
    ("train.preference.rollouts={critic: 1}", "train.preference.rollouts.critic"),
    ("train.preference.instances=0", "train.preference.instances"),
    ("train.sft.instances=0", "train.sft has instances 0 and no drills"),
])
def test_bad_training_corpora_are_bad_input(override: str, message: str) -> None:
    with pytest.raises(BadInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_config(None, [override], method="entropo")


def test_a_seeded_subset_is_the_same_for_the_same_seed() -> None:
    corpus = CorpusConfig(instances=5)
    one, again, other = (corpus_instances(corpus, s) for s in (0, 0, 1))
    assert len(one) == 5 and [i.instance_id for i in one] == [i.instance_id for i in again]
    assert {i.split for i in one} == {"train"} and one != other
    assert len(corpus_instances(CorpusConfig(), 0)) == len(corpus_instances(CorpusConfig(instances=999), 0))


def test_the_run_id_of_a_trained_method_follows_its_corpora_and_of_base_does_not() -> None:
    def run_id(method: str, *overrides: str) -> str:
        return load_config(None, list(overrides), method=method).run_id()

    assert run_id("entropo") != run_id("entropo", "train.preference.instances=4")
    assert run_id("base") == run_id("base", "train.preference.instances=4")


def test_repository_names_agree_across_datasets() -> None:
    assert {repo_key(r) for r in ("django/django", "swesmith/django__django.1a2b3c", "django")} == {"django"}
    assert repo_key("swe-mini/cronex") == "cronex"


def test_contamination_names_shared_instances_and_later_tasks_of_evaluated_repositories() -> None:
    """swe-mini's train tasks come from the test tasks' libraries, some at later dates; a corpus that
    is the test split itself shares every instance; swe-gen's splits share nothing."""
    assert contamination(load_config(None, [], method="entropo")) == []
    default = contamination(load_config("swe-mini", [], method="entropo"))
    assert default == [
        f"train.{name} (swe-mini, train) holds 11 tasks of evaluated repositories (cronex, ignorespec, "
        "verspec) made after an evaluated task of theirs (or undated): their code may hold its fix"
        for name in ("sft", "preference")]
    leaked = contamination(load_config("swe-mini", ["train.sft.split=test"], method="entropo"))
    assert leaked[0].startswith("train.sft (swe-mini, test) holds 12 evaluated instances: swe-mini__cronex-2")


@pytest.mark.parametrize(("fixture", "image_field"), [("swesmith.jsonl", "image_name"),
                                                      ("r2e_gym.jsonl", "docker_image")])
def test_a_local_corpus_file_in_a_training_sets_schema_is_read_as_that_set(tmp_path: Path, fixture: str,
                                                                            image_field: str) -> None:
    """SWE-smith and R2E-Gym rows in a local file keep their published images (schema by fields)."""
    rows = [json.loads(line) for line in (FIXTURES / fixture).read_text().splitlines()]
    path = tmp_path / fixture
    path.write_text("".join(json.dumps({**r, "split": "train"}) + "\n" for r in rows))
    found = corpus_instances(CorpusConfig(benchmark=str(path), split="train"), 0)
    assert [i.image for i in found] == [r[image_field] for r in rows] and len(found) == len(rows)


def test_sft_examples_carry_the_configured_copy_drills() -> None:
    from harness.config import SFTCorpusConfig
    from harness.training_data import _drills

    assert len(_drills(0, "recall", 0)) == 0 and SFTCorpusConfig().drills == 0
    mixed = _drills(3, "recall", 0)
    assert [(e.instance_id, e.finished, e.reward, e.source) for e in mixed] == [
        (f"drill-{i}", True, 1.0, "drill") for i in range(3)]
    assert [e.messages for e in mixed] != [e.messages for e in _drills(3, "recall", 1)]
    assert [e.messages for e in mixed] != [e.messages for e in _drills(3, "copy", 0)]
    ids = {load_config(None, options, method="sft").run_id() for options in (
        [], ["train.sft.drills=3"], ["train.sft.drills=3", "train.sft.drill_kind=copy"])}
    assert len(ids) == 3
