"""The fast evaluator against reward hacks, in the docker sandbox and in the local (bubblewrap)
one: no adversarial probe is ever resolved, and the verdict says why; gold resolves, empty does
not, and `run_empty` shows the FAIL_TO_PASS tests failing on the base.

The docker half is marked `docker`; the local half needs bubblewrap, not Docker, and is marked
`slow` (about a minute for the whole set). Of the in-process forgeries, stubbing pytest's test
call is caught by the plugin's tripwire; forging the hook report (code that knows the plugin and
reads its path from /proc/self/environ) is a known gap, kept as a strict xfail so closing it
shows up here.
"""

from __future__ import annotations

import shutil
from functools import cache

import pytest
from probes import (
    ADVERSARIAL,
    adversarial_patches,
    forging_patches,
    package_patch,
    with_new_test_file,
)

from harness.benchmarks.swe_mini import SWE_MINI
from harness.evaluation import Verdict
from harness.evaluation.fast import FastEvaluator
from harness.records import Instance, Prediction

INSTANCE_IDS = ("swe-mini__verspec-1", "swe-mini__cronex-5", "swe-mini__ignorespec-7")
SANDBOXES = (
    pytest.param("docker", marks=pytest.mark.docker, id="docker"),
    pytest.param("local", id="local", marks=[
        pytest.mark.slow, pytest.mark.skipif(not shutil.which("bwrap"), reason="no bubblewrap"),
    ]),
)
PROTECTED = "ignored the patch's change to conftest.py"
TESTS_FAIL = "FAIL_TO_PASS failing"
# Per probe: the status, what the reason must say, and the FAIL_TO_PASS statuses of the graded
# log (the real tests ran and failed; the package hack's log is all fake PASSED lines, and an
# outside-the-repository patch is refused before anything runs).
EXPECTED = {
    "conftest_fake_passed": ("unresolved", (PROTECTED, TESTS_FAIL), {"FAILED"}),
    "conftest_sys_exit": ("unresolved", (PROTECTED, TESTS_FAIL), {"FAILED"}),
    "conftest_os_exit": ("unresolved", (PROTECTED, TESTS_FAIL), {"FAILED"}),
    "conftest_skip_all": ("unresolved", (PROTECTED, TESTS_FAIL), {"FAILED"}),
    "delete_test_files": ("unresolved", (TESTS_FAIL,), {"FAILED"}),
    "edit_test_files": ("unresolved", (TESTS_FAIL,), {"FAILED"}),
    "write_outside_repo": ("patch_failed", ("path outside the repository: ../evil.py",), set()),
    "package_fakes_and_exits": ("unresolved", ("log not trusted", "did not finish"), {"PASSED"}),
    "create_new_test_file": ("unresolved", (TESTS_FAIL,), {"FAILED"}),
}


@cache
def instance(instance_id: str, new_test_file: bool = False) -> Instance:
    """The swe-mini instance, or its variant whose test patch creates a test file (probe h needs
    one; no swe-mini test patch does)."""
    inst = SWE_MINI.load(None, [instance_id])[0]
    return with_new_test_file(inst) if new_test_file else inst


@cache
def probes(instance_id: str, new_test_file: bool) -> dict[str, Prediction]:
    return adversarial_patches(instance(instance_id, new_test_file))


@cache
def _image(instance_id: str) -> None:
    from harness.images.build import build_images

    build_images([instance(instance_id)])  # a no-op when the image is current


def judge(kind: str, inst: Instance, pred: Prediction, tmp_path, **options) -> Verdict:
    if kind == "docker":
        _image(inst.instance_id)
    return FastEvaluator(sandbox=kind, **options).judge(inst, pred, tmp_path)


def f2p_statuses(verdict: Verdict) -> set[str]:
    return {status for _, expected, status in verdict.tests if expected == "FAIL_TO_PASS"}


@pytest.mark.parametrize("kind", SANDBOXES)
@pytest.mark.parametrize("probe", ADVERSARIAL)
@pytest.mark.parametrize("instance_id", INSTANCE_IDS)
def test_adversarial_probe_is_never_resolved(kind, instance_id, probe, tmp_path):
    new_file = probe == "create_new_test_file"
    inst, pred = instance(instance_id, new_file), probes(instance_id, new_file)[probe]
    verdict = judge(kind, inst, pred, tmp_path)
    status, fragments, f2p = EXPECTED[probe]
    assert not verdict.resolved
    assert verdict.status == status, verdict.reason
    for fragment in fragments:
        assert fragment in verdict.reason, f"{fragment!r} not in {verdict.reason!r}"
    assert f2p_statuses(verdict) == f2p
    if new_file:  # the copies in the new file ran, not the patch's trivial stand-ins
        assert any(t.startswith("tests/test_probe_new.py::") for t, _, _ in verdict.tests)


@pytest.mark.parametrize("kind", SANDBOXES)
@pytest.mark.parametrize("new_test_file", [False, True], ids=["task", "new-test-file"])
def test_gold_resolves_and_empty_does_not(kind, new_test_file, tmp_path):
    inst = instance(INSTANCE_IDS[0], new_test_file)
    gold = judge(kind, inst, Prediction(inst.instance_id, inst.patch, "gold"), tmp_path)
    assert gold.status == "resolved" and gold.reason == ""
    assert {(e, s) for _, e, s in gold.tests} == {("FAIL_TO_PASS", "PASSED"), ("PASS_TO_PASS", "PASSED")}
    assert len(gold.tests) == len(inst.FAIL_TO_PASS) + len(inst.PASS_TO_PASS)
    empty = Prediction(inst.instance_id, "", "empty")
    skipped = judge(kind, inst, empty, tmp_path)
    assert (skipped.status, skipped.reason, skipped.tests) == ("empty_patch", "empty patch", ())
    base = judge(kind, inst, empty, tmp_path, run_empty=True)
    assert base.status == "empty_patch" and "tests run on the base" in base.reason
    assert f2p_statuses(base) == {"FAILED"}
    assert {s for _, e, s in base.tests if e == "PASS_TO_PASS"} == {"PASSED"}


@pytest.mark.parametrize("kind", SANDBOXES)
def test_hanging_tests_time_out_with_their_background_children(kind, tmp_path):
    """The package hangs under pytest, after starting a child that holds the output open."""
    inst = instance(INSTANCE_IDS[0])
    patch = package_patch(inst, "\nimport subprocess, sys, time\nif '_pytest' in sys.modules:\n"
                                "    subprocess.Popen(['sleep', '600'])\n    time.sleep(600)\n")
    verdict = judge(kind, inst, Prediction(inst.instance_id, patch, "hang"), tmp_path, timeout=5)
    assert verdict.status == "timeout" and verdict.reason == "tests exceeded 5 s"
    assert 5 <= verdict.duration_s < 15


@pytest.mark.parametrize("kind", SANDBOXES)
def test_stubbed_pytest_internals_are_caught(kind, tmp_path):
    inst = instance(INSTANCE_IDS[0])
    verdict = judge(kind, inst, forging_patches(inst)["patch_pytest_runtest"], tmp_path)
    assert verdict.status == "unresolved"
    assert verdict.reason == (
        "log not trusted: pytest internals were replaced during the run: Function.runtest"
    )


@pytest.mark.xfail(strict=True, raises=AssertionError, reason="known gap: code inside the test "
                   "process that knows the plugin can forge its report")
@pytest.mark.parametrize("kind", SANDBOXES)
def test_forged_hook_report_is_not_resolved(kind, tmp_path):
    inst = instance(INSTANCE_IDS[0])
    verdict = judge(kind, inst, forging_patches(inst)["forge_hook_report"], tmp_path)
    assert not verdict.resolved, f"forge_hook_report fooled the fast evaluator ({kind})"
