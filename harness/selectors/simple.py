"""The simplest selector: the first sample (by index) that called `finish` with a non-empty patch."""

from __future__ import annotations

from collections.abc import Sequence

from harness.records import RolloutRow


def first_finished(candidates: Sequence[RolloutRow]) -> int:
    """The chosen `sample_index`: finished with a patch, else any patch, else the first sample."""
    ordered = sorted(candidates, key=lambda r: r.sample_index)
    for ok in (lambda r: r.exit_reason == "finished" and r.patch.strip(), lambda r: r.patch.strip()):
        chosen = next((r for r in ordered if ok(r)), None)
        if chosen is not None:
            return chosen.sample_index
    return ordered[0].sample_index
