"""Shared fixtures: an offline environment, a Store in tmp_path, the CLI (as a subprocess, the way
users run it, or in-process through the same `main`), and the rule for `docker` tests: skipped
locally without an engine, failed in CI without one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness.store import Store

HARNESS = Path(sys.executable).parent / "harness"  # the console script pip installed
_ENGINE: dict[str, bool] = {}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A `docker` test without a reachable engine: skip here, fail in CI (never a silent pass)."""
    if item.get_closest_marker("docker") is None:
        return
    if "up" not in _ENGINE:
        from harness.images import engine_available

        _ENGINE["up"] = engine_available()
    if not _ENGINE["up"]:
        reason = "no Docker engine reachable (start dockerd or set DOCKER_HOST)"
        if in_ci():
            pytest.fail(f"CI=true but {reason}; docker tests must run in CI", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches a hub (DESIGN.md contract 6)."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly built tiny model directory (transformers layout: config, weights, tokenizer)."""
    from harness.backends.tiny import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "model")


@pytest.fixture
def tmp_store(tmp_path: Path):
    with Store(tmp_path / "store.duckdb") as store:
        yield store


@pytest.fixture
def run_cli(tmp_path: Path):
    """Run `harness ARGS...` in a subprocess (cwd tmp_path, so `results/` lands there)."""

    def run(*args: str | Path, cwd: Path = tmp_path, timeout: float = 120) -> subprocess.CompletedProcess:
        env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "HF_HUB_OFFLINE": "1"}
        return subprocess.run(
            [str(HARNESS), *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True,
            timeout=timeout,
        )

    return run


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Run `harness.cli.main` in-process with ARGS (cwd tmp_path): same error mapping, no startup."""
    from harness.cli import main

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        monkeypatch.chdir(tmp_path)
        monkeypatch.setattr(sys, "argv", ["harness", *map(str, args)])
        capsys.readouterr()
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out.out, out.err)

    return run
