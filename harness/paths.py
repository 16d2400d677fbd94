"""Where the harness keeps what it can rebuild: the machine-wide cache (wheels, library environments,
tiny models, image-use clocks), `$HARNESS_CACHE` or ~/.cache/harness."""

from __future__ import annotations

import os
from pathlib import Path

CACHE = Path(os.environ.get("HARNESS_CACHE", Path.home() / ".cache" / "harness"))
