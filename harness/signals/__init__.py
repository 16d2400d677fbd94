"""Signals: per-trajectory facts selectors rank by, computed once per trajectory and stored in the
`signals` table (long form: one row per name). Nothing here reads FAIL_TO_PASS, the test patch or
the gold patch: signals get the instance's public view, whose hidden fields raise when read."""

from __future__ import annotations

# name -> what it measures. `tokens` comes from the rollout row; the others are stored rows.
SIGNALS = {
    "verifier": "the learned verifier's p(YES) / (p(YES) + p(NO)) for the trajectory and its patch",
    "regression": "repository tests passing at the base commit that still pass with the patch",
    "reproduction": "reproduction scripts the instance's agents wrote that pass with the patch",
    "tokens": "completion tokens the trajectory sampled",
    "mean_logprob": "mean log-prob of the sampled tokens (when the backend returned them)",
    "patch_applies": "1 when the patch applies to the base commit (git apply, in the sandbox)",
    "patch_empty": "1 when the patch is empty",
    "touches_tests": "1 when the patch changes a test file",
}
