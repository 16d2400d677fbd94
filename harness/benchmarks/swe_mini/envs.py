"""A swe-mini library's Python environment: its pinned wheels, fetched once from the package index,
then installed with no network — into a venv at /swe-env in its Docker image, or into a venv on
this machine that the local sandbox shows at /swe-env (and the authoring tool runs tests in); that
one also holds the fast evaluator's (inert) hooks, since the sandbox cannot write to it.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from harness import hooks, paths
from harness.benchmarks.swe_mini.runners import Library
from harness.errors import HarnessError

PYTHON_VERSION = "3.11"  # the image's Python (Debian bookworm); wheels are fetched for it


def env_key(lib: Library) -> str:
    blob = "\n".join([PYTHON_VERSION, *sorted(lib.requirements)])
    return f"{lib.name}-{hashlib.sha256(blob.encode()).hexdigest()[:12]}"


@contextmanager
def _locked(path: Path):
    """One process at a time prepares a given folder (parallel image builds share wheels)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _run(cmd: list[str], what: str) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        raise HarnessError(f"{what} failed: {tail[0]}")


def wheels(lib: Library) -> Path:
    """The folder of the library's pinned wheels (exactly the pins: they are a complete lock)."""
    dest = paths.CACHE / "wheels" / env_key(lib)
    with _locked(dest):
        if not (dest / ".complete").exists():
            shutil.rmtree(dest, ignore_errors=True)
            _run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                  "--python-version", PYTHON_VERSION, "-d", str(dest), *lib.requirements],
                 f"fetching the wheels of swe-mini library {lib.name} (needs the package index once)")
            (dest / ".complete").touch()
    return dest


def host_env(lib: Library) -> Path:
    """A venv on this machine with the library's pins, for the local sandbox and authoring."""
    dest = paths.CACHE / "envs" / f"{env_key(lib)}-{hooks.digest()}"
    with _locked(dest):
        if not (dest / ".complete").exists():
            found = wheels(lib)
            shutil.rmtree(dest, ignore_errors=True)
            _run([sys.executable, "-m", "venv", str(dest)], f"creating the {lib.name} environment")
            python = str(dest / "bin" / "python")
            _run([python, "-m", "pip", "install", "-q", "--no-index", "--find-links", str(found),
                  *lib.requirements], f"installing the {lib.name} environment")
            site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  capture_output=True, text=True, check=True).stdout.strip()
            hooks.install(Path(site))  # the sandbox shows this env read-only: hooks go in now
            (dest / ".complete").touch()
    return dest
