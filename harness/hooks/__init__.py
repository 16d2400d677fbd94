"""The files the fast evaluator puts into a sandbox so that the test runners report to it.

Two ways in, both used: the folder first on PYTHONPATH (sitecustomize loads harness_guard, the
dist-info's entry point registers the pytest plugin), and, where an environment's site-packages is
writable, the same modules there with a .pth file, which survive runners that clear the
environment (tox without tox-current-env drops PYTHONPATH). Inert unless the sandbox has
harness_guard.ACTIVE.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

HOOKS = Path(__file__).parent
WORK = "/tmp/harness-eval"  # harness_guard.ACTIVE and REPORT live here
FILES = ("harness_guard.py", "harness_pytest_report.py", "sitecustomize.py", "harness_guard.pth",
         "harness_guard-0.dist-info/METADATA", "harness_guard-0.dist-info/entry_points.txt")
SITE_FILES = tuple(f for f in FILES if f != "sitecustomize.py")  # never shadow an env's own


def install(site_packages: Path) -> None:
    """Put the hooks into an environment's site-packages (inert until a sandbox activates them)."""
    for name in SITE_FILES:
        (site_packages / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(HOOKS / name, site_packages / name)


def digest() -> str:
    """Changes whenever a hook file does (environments that hold a copy are keyed by it)."""
    return hashlib.sha256(b"".join((HOOKS / f).read_bytes() for f in SITE_FILES)).hexdigest()[:8]
