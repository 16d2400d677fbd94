"""Fast and official evaluators agree, prediction by prediction, on gold, empty and honest-but-wrong
patches; and the adversarial probes' official verdicts are recorded next to the fast ones.

The official harness is what the leaderboard runs, so its verdicts on reward hacks are facts to
know, not ours to assert: they are printed as a table (`pytest -s`). Only the fast evaluator is
held to "never resolved" (bar the known in-process forgeries, which are printed too). About three
and a half minutes on two cores (official: ~7 s per run of the harness, one run per sample index).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest
from probes import (
    FORGERIES,
    KNOWN_GAPS,
    adversarial_patches,
    forging_patches,
    with_new_test_file,
    wrong_patches,
)

from harness.benchmarks.swe_mini import SWE_MINI
from harness.evaluation import Verdict
from harness.evaluation.run import evaluate, judge_all
from harness.records import Instance, Prediction
from harness.sandbox.prepare import prepare_images
from harness.store import Store

pytestmark = [pytest.mark.docker, pytest.mark.slow]

# Instances on which every wrong probe is really wrong (on some others a mutated line or a
# dropped hunk goes unnoticed by the tests), with a single- and a multi-file gold patch.
INSTANCE_IDS = ("swe-mini__verspec-1", "swe-mini__cronex-5")
# The libraries whose tests run as the big repositories' do (Django's runtests.py, SymPy's bin/test,
# pytest 6, tox): every task of theirs, at least three wrong probes each.
RUNNER_LIBRARIES = ("bookshelf", "symcalc", "textcase", "unitconv")


def load(ids=INSTANCE_IDS) -> dict[str, Instance]:
    return {i.instance_id: i for i in SWE_MINI.load(None, list(ids))}


def runner_tasks() -> tuple[str, ...]:
    return tuple(i.instance_id for i in SWE_MINI.load() if i.instance_id.split("__")[1].split("-")[0]
                 in RUNNER_LIBRARIES)


def parity_predictions(instances: dict[str, Instance]) -> dict[tuple[str, int], str]:
    """(instance, sample_index) -> probe name, over gold (0), empty (1) and the wrong probes (2...)."""
    named = {}
    for iid, inst in instances.items():
        named[(iid, 0)] = ("gold", Prediction(iid, inst.patch, "gold", 0))
        named[(iid, 1)] = ("empty", Prediction(iid, "", "empty", 1))
        for k, (name, pred) in enumerate(wrong_patches(inst).items(), start=2):
            named[(iid, k)] = (name, dataclasses.replace(pred, sample_index=k))
    return named


def table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = [f"\n### {title}\n", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


@pytest.mark.parametrize("ids", [INSTANCE_IDS, runner_tasks()], ids=["pytest", "runners"])
def test_fast_and_official_agree_on_gold_empty_and_wrong_patches(ids, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # evaluation logs go under ./results/logs
    instances = load(ids)
    named = parity_predictions(instances)
    preds = [pred for _, pred in named.values()]
    wrong = Counter(key[0] for key, (name, _) in named.items() if name not in ("gold", "empty"))
    assert len(wrong) == len(ids) and min(wrong.values()) >= 3 and wrong.total() >= 10
    found = {}
    with Store(tmp_path / "store.duckdb") as store:
        for evaluator in ("fast", "official"):
            summary = evaluate("swe-mini", preds, store, evaluator, workers=2, sandbox="docker",
                               eval_id=f"parity-{evaluator}", show_progress=False)
            assert summary.total == len(preds) and summary.skipped == 0
            rows = store.query(
                "SELECT instance_id, sample_index, status, reason FROM evaluations WHERE eval_id = ?",
                [summary.eval_id],
            )
            found[evaluator] = {(iid, k): (status, reason) for iid, k, status, reason in rows}
    assert set(found["fast"]) == set(found["official"]) == set(named)
    fast, official = found["fast"], found["official"]
    print(table("fast vs official (parity)", ("instance", "probe", "fast", "official", "fast reason"), [
        (key[0], named[key][0], fast[key][0], official[key][0], fast[key][1][:90]) for key in sorted(named)
    ]))
    expected = {"gold": "resolved", "empty": "empty_patch", "stale_context": "patch_failed"}
    for key, (name, _) in named.items():
        assert fast[key][0] == official[key][0], (key, name, fast[key], official[key])
        if name in expected or ids == INSTANCE_IDS:
            assert fast[key][0] == expected.get(name, "unresolved"), (key, name, fast[key])
    # Elsewhere a probe may be harmless (bookshelf-1's incorrect_edit turns `(10 - t) % 10` into
    # `(20 - t) % 10`), but every task still gets at least three that really fail.
    failing = Counter(key[0] for key, (name, _) in named.items()
                      if name not in ("gold", "empty") and fast[key][0] != "resolved")
    assert min(failing[iid] for iid in ids) >= 3, failing


def _judge_all(evaluator: str, instances: dict[str, Instance], preds: list[Prediction],
               log_dir: Path) -> dict[tuple[str, int], Verdict]:
    verdicts: dict[tuple[str, int], Verdict] = {}
    log_dir.mkdir(parents=True)
    judge_all(evaluator, dict(sandbox="docker"), instances, preds, log_dir,
              lambda v: verdicts.__setitem__(v.prediction.key, v), show_progress=False)
    return verdicts


def test_adversarial_verdicts_official_recorded_fast_never_resolved(tmp_path):
    instances = load()
    prepare_images(list(instances.values()), needs_docker=True, workers=2)
    # Probe h needs a test patch that creates a file: the same instances, so varied, judged apart.
    variants = {iid: with_new_test_file(inst) for iid, inst in instances.items()}
    batches = []
    for group, probe_of in ((instances, lambda p: p != "create_new_test_file"),
                            (variants, lambda p: p == "create_new_test_file")):
        preds, names = [], {}
        for iid, inst in group.items():
            candidates = {**adversarial_patches(inst), **forging_patches(inst)}
            kept = [(n, p) for n, p in candidates.items() if probe_of(n)]
            for k, (name, pred) in enumerate(kept):
                preds.append(dataclasses.replace(pred, sample_index=k))
                names[(iid, k)] = name
        batches.append((group, preds, names))
    rows, fast_resolved = [], []
    for n, (group, preds, names) in enumerate(batches):
        fast = _judge_all("fast", group, preds, tmp_path / f"fast{n}")
        official = _judge_all("official", group, preds, tmp_path / f"official{n}")
        assert set(fast) == set(official) == set(names)
        for key in sorted(names):
            f, o = fast[key], official[key]
            rows.append((key[0], names[key], f.status, f.reason[:80], o.status, o.reason[:80]))
            if f.resolved and names[key] not in KNOWN_GAPS:
                fast_resolved.append((key, names[key], f.reason))
    print(table("adversarial probes", ("instance", "probe", "fast", "fast reason", "official",
                                        "official reason"), rows))
    assert len(rows) == len(instances) * (9 + len(FORGERIES))
    assert fast_resolved == []
