"""Where the harness keeps things. Artifacts (trajectories, logs, models, run folders, submissions,
tables, figures) live in one workspace: the folder of the DuckDB store (results/ by default), or
$HARNESS_WORKSPACE. Rows store artifact paths relative to it, so a store and its workspace move
together and resolve from any working directory. What can be rebuilt (wheels, library environments,
tiny models, image-use clocks) goes to the machine-wide cache, $HARNESS_CACHE or ~/.cache/harness."""

from __future__ import annotations

import os
from pathlib import Path

CACHE = Path(os.environ.get("HARNESS_CACHE", Path.home() / ".cache" / "harness"))


def workspace_for(db: str | Path) -> Path:
    """The absolute workspace of the store at `db`."""
    return Path(os.environ.get("HARNESS_WORKSPACE") or Path(db).parent).resolve()

# The workspace's folders (every artifact root, in one place)
TRAJECTORIES = "trajectories"  # <run>/<instance>/<sample>.json
LOGS = "logs"  # <eval id>/: test logs, the official harness's folders
RUNS = "runs"  # <run>/config.yaml, <run>/selections/*.jsonl (predictions files)
MODELS = "models"  # train-<stage>-<hash>/merged
SUBMISSIONS = "submissions"  # SWE-bench experiments folders
TABLES = "tables"  # <grid>/main.{md,csv,tex}
FIGURES = "figures"  # <grid or run>/*.png|pdf
