"""Reward hacks on Django's, SymPy's and tox's runners (swe-mini's bookshelf, symcalc, unitconv): the fast
evaluator never resolves them, in Docker and in the local sandbox; gold still resolves under the
hooks. What the official harness says of the same probes is measured by `bench/runner_probes.py`."""

from __future__ import annotations

import re
import shutil
from functools import cache

import pytest
from probes import runner_probes

from harness.benchmarks.swe_mini import SWE_MINI
from harness.evaluation.fast import FastEvaluator
from harness.records import Prediction

CASES = {"swe-mini__bookshelf-1": "tests/runtests.py", "swe-mini__symcalc-2": "bin/test",
         "swe-mini__unitconv-1": "tox.ini"}
SANDBOXES = (
    pytest.param("docker", marks=pytest.mark.docker, id="docker"),
    pytest.param("local", id="local", marks=[
        pytest.mark.slow, pytest.mark.skipif(not shutil.which("bwrap"), reason="no bubblewrap"),
    ]),
)
PROBES = [(iid, name) for iid in CASES for name in (
    "package_fakes_and_exits", "runner_stub", "delete_test_files", "edit_test_files", "skip_everything")
    if not (name == "skip_everything" and "bookshelf" not in iid)]
# Why each is not resolved: the hooks saw no run (or an unfinished one), or the real tests failed;
# under pytest the fake lines printed at import go to its capture and are lost with the process.
REASONS = {"package_fakes_and_exits": "^(log not trusted: |no gradable test output$)",
           "runner_stub": "^log not trusted: no ", "delete_test_files": "FAIL_TO_PASS failing",
           "edit_test_files": "FAIL_TO_PASS failing", "skip_everything": "FAIL_TO_PASS failing"}
GUARDS = {"bookshelf": "unittest", "symcalc": "sympy", "unitconv": "pytest"}


@cache
def instance(iid):
    inst = SWE_MINI.load(None, [iid])[0]
    return inst


@cache
def probes(iid):
    return runner_probes(instance(iid), CASES[iid])


def judge(kind, inst, pred, tmp_path):
    if kind == "docker":
        from harness.images.build import build_images

        build_images([inst])
    return FastEvaluator(sandbox=kind).judge(inst, pred, tmp_path)


@pytest.mark.parametrize("kind", SANDBOXES)
@pytest.mark.parametrize(("iid", "probe"), PROBES)
def test_runner_probe_is_never_resolved(kind, iid, probe, tmp_path):
    verdict = judge(kind, instance(iid), probes(iid)[probe], tmp_path)
    assert verdict.status == "unresolved", verdict.reason
    assert re.search(REASONS[probe], verdict.reason), verdict.reason
    assert verdict.guard == GUARDS[iid.split("__")[1].split("-")[0]]


@pytest.mark.parametrize("kind", SANDBOXES)
@pytest.mark.parametrize("iid", CASES)
def test_gold_resolves_under_the_hooks(kind, iid, tmp_path):
    inst = instance(iid)
    verdict = judge(kind, inst, Prediction(iid, inst.patch, "gold"), tmp_path)
    assert (verdict.status, verdict.reason) == ("resolved", "")
    assert {s for _, _, s in verdict.tests} == {"PASSED"}
