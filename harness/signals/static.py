"""Signals read from a trajectory and its patch alone, without a sandbox."""

from __future__ import annotations

from pathlib import PurePosixPath

from harness.errors import BadInput
from harness.patches import header_paths
from harness.records import RolloutRow, SignalRow
from harness.trajectory import Trajectory


def is_test_file(path: str) -> bool:
    """A test module or test-suite file by the conventions pytest and unittest discover."""
    p = PurePosixPath(path)
    return (p.name.startswith("test_") or p.stem.endswith("_test") or p.name == "conftest.py"
            or any(part in ("test", "tests", "testing") for part in p.parts[:-1]))


def static_signals(row: RolloutRow, trajectory: Trajectory | None) -> list[SignalRow]:
    """patch_empty, touches_tests and (when the backend returned log-probs) mean_logprob."""
    key = (row.run_id, row.instance_id, row.sample_index)
    try:
        tests = [p for p in header_paths(row.patch) if is_test_file(p)]
    except BadInput:
        tests = []
    found = [SignalRow(*key, "patch_empty", float(not row.patch.strip()), {}),
             SignalRow(*key, "touches_tests", float(bool(tests)), {"files": tests})]
    logprobs = [lp for t in (trajectory.turns if trajectory else []) for lp in (t.logprobs or [])]
    if logprobs:
        mean = sum(logprobs) / len(logprobs)
        found.append(SignalRow(*key, "mean_logprob", mean, {"tokens": len(logprobs)}))
    return found
