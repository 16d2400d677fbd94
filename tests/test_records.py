"""Records: the public view hides the answer (DESIGN.md contract 3); instances feed swebench as-is."""

from __future__ import annotations

import dataclasses

import pytest
from swebench.harness.utils import make_test_spec

from harness.benchmarks.swe_mini import SWE_MINI
from harness.records import HIDDEN_FIELDS, Instance, Prediction, PublicInstance, SignalRow

INSTANCE = SWE_MINI.load(instance_ids=["swe-mini__verspec-1"])[0]


def test_hidden_fields_are_the_answer_and_the_tests():
    assert set(HIDDEN_FIELDS) == {"patch", "test_patch", "FAIL_TO_PASS", "PASS_TO_PASS", "eval_script"}


def test_public_view_has_no_hidden_field():
    view = INSTANCE.public_view()
    names = {f.name for f in dataclasses.fields(PublicInstance)}
    assert names & set(HIDDEN_FIELDS) == set()
    assert set(dataclasses.asdict(view)) == names
    for name in HIDDEN_FIELDS:
        with pytest.raises(PermissionError, match=f"^{name} is hidden from selectors and signals$"):
            getattr(view, name)
        with pytest.raises(PermissionError):  # a defensive getattr cannot probe silently either
            getattr(view, name, None)
    assert set(vars(view)) == names
    with pytest.raises(AttributeError):
        view.no_such_field  # noqa: B018


def test_public_view_round_trip():
    view = INSTANCE.public_view()
    assert view == PublicInstance(
        instance_id="swe-mini__verspec-1", repo="swe-mini/verspec", base_commit=INSTANCE.base_commit,
        problem_statement=INSTANCE.problem_statement, image=INSTANCE.image, split=INSTANCE.split,
        benchmark="swe-mini", workdir="/testbed",
    )
    shared = {f.name for f in dataclasses.fields(PublicInstance)}
    assert {k: getattr(INSTANCE, k) for k in shared} == dataclasses.asdict(view)
    assert dataclasses.replace(INSTANCE).public_view() == view


def test_to_swebench_passes_make_test_spec():
    row = INSTANCE.to_swebench()
    assert row["FAIL_TO_PASS"] == list(INSTANCE.FAIL_TO_PASS)
    assert Instance(**{**row, "FAIL_TO_PASS": tuple(row["FAIL_TO_PASS"]),
                       "PASS_TO_PASS": tuple(row["PASS_TO_PASS"])}) == INSTANCE
    spec = make_test_spec(row)
    assert (spec.instance_id, spec.image, spec.repo, spec.version) == (
        "swe-mini__verspec-1", "harness/swe-mini.swe-mini__verspec-1:latest", "swe-mini/verspec", "1.0"
    )
    assert spec.FAIL_TO_PASS == list(INSTANCE.FAIL_TO_PASS)
    assert spec.PASS_TO_PASS == list(INSTANCE.PASS_TO_PASS)
    assert spec.log_parser == "parse_log_pytest"
    assert spec.eval_script_list[:2] == ["cd /testbed", INSTANCE.eval_script.splitlines()[3]]


def test_prediction_key_and_row_values():
    assert Prediction("a", "p", sample_index=3).key == ("a", 3)
    row = SignalRow("r", "i", 0, "steps", 2.0, {"b": [1, 2], "a": None})
    assert row.values() == ["r", "i", 0, "steps", 2.0, '{"a": null, "b": [1, 2]}']
