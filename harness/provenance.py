"""What every run records so a number can be traced: config hash, git sha, package versions."""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from harness.records import RunRow

PACKAGES = (
    "entropo-harness", "swebench", "docker", "duckdb", "torch", "transformers", "trl", "peft", "openai",
    "vllm",
)


def config_hash(config: dict) -> str:
    return hashlib.sha256(json.dumps(config, sort_keys=True, default=str).encode()).hexdigest()[:16]


def git_sha(here: Path = Path(__file__).parent) -> str:
    """HEAD's commit of the checkout holding `here`, with `-dirty` when tracked files differ from it
    (the code that ran is not that commit's); "unknown" outside a git checkout."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True)
        changed = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=here,
                                 capture_output=True, text=True)
    except OSError:
        return "unknown"
    sha = head.stdout.strip() if head.returncode == 0 else ""
    return "unknown" if not sha else sha + ("-dirty" if changed.stdout.strip() else "")


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def run_row(run_id: str, kind: str, benchmark: str, config: dict) -> RunRow:
    return RunRow(run_id, kind, benchmark, config, config_hash(config), git_sha(), versions(),
                  evaluator=config.get("evaluator") or "")
