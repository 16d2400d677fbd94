"""The lazy registry: duplicates raise, unknown names list the known ones, nothing heavy is imported."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer

from harness import registry
from harness.errors import BadInput

BENCHMARKS = ["r2e-gym", "swe-gen", "swe-gym", "swe-mini", "swe-smith", "swebench-lite", "swebench-verified"]


@pytest.fixture
def fresh_registry(monkeypatch):
    """A copy of the built-in registry that a test may change."""
    monkeypatch.setattr(registry, "_REGISTRY", {k: dict(v) for k, v in registry._REGISTRY.items()})


def test_builtin_names():
    assert {"benchmark", "evaluator", "sandbox"} <= set(registry.kinds())
    assert registry.kinds() == sorted(registry.kinds())
    assert registry.names("benchmark") == BENCHMARKS
    assert registry.names("sandbox") == ["docker", "local"]
    assert registry.target("evaluator", "fast") == "harness.evaluation.fast:FastEvaluator"


def test_registering_a_name_twice_raises(fresh_registry):
    registry.register("toy", "first", "harness.x:A")
    with pytest.raises(ValueError, match=r"^toy 'first' is already registered \(as harness.x:A\)$"):
        registry.register("toy", "first", "harness.y:B")
    with pytest.raises(ValueError, match="already registered"):
        registry.register("benchmark", "swe-mini", "harness.other:SWE_MINI")
    assert registry.target("benchmark", "swe-mini") == "harness.benchmarks.swe_mini:SWE_MINI"


def test_target_must_name_an_attribute(fresh_registry):
    with pytest.raises(ValueError, match="must be 'module:attr'"):
        registry.register("toy", "bad", "harness.toys")
    assert "toy" not in registry.kinds()


def test_unknown_name_lists_known_names():
    with pytest.raises(BadInput) as err:
        registry.load("benchmark", "swe-maxi")
    assert str(err.value) == f"unknown benchmark 'swe-maxi'; known: {', '.join(BENCHMARKS)}"
    assert err.value.exit_code == 2


def test_unknown_kind_lists_known_kinds():
    with pytest.raises(BadInput) as err:
        registry.names("trainer")
    assert str(err.value) == f"unknown kind 'trainer'; known: {', '.join(registry.kinds())}"


def test_load_imports_the_target():
    from harness.benchmarks.swe_mini import SWE_MINI

    assert registry.load("benchmark", "swe-mini") is SWE_MINI


def test_harness_list(run_cli, cli):
    out = run_cli("list")
    assert out.returncode == 0, out.stderr
    # one unwrapped line per kind, e.g. "benchmark: r2e-gym, swe-gym, ..."
    assert out.stdout.splitlines() == [f"{k}: {', '.join(registry.names(k))}" for k in registry.kinds()]
    assert f"benchmark: {', '.join(BENCHMARKS)}" in out.stdout.splitlines()
    one = cli("list", "sandbox")
    assert (one.returncode, one.stdout.splitlines()) == (0, ["sandbox: docker, local"])


def test_harness_list_unknown_kind_is_one_line_error(cli):
    out = cli("list", "trainer")
    assert out.returncode == 2
    assert out.stderr.splitlines() == [f"error: unknown kind 'trainer'; known: {', '.join(registry.kinds())}"]


# Imports the CLI in a fresh interpreter, runs it with each argument list, and reports which heavy
# modules were imported by then.
_PROBE = """
import json, sys
heavy = ("torch", "docker", "duckdb", "transformers", "trl", "datasets")
loaded = lambda: sorted(m for m in heavy if m in sys.modules)
from harness import cli
seen = {"import": loaded()}
for args in json.loads(sys.argv[1]):
    sys.argv = ["harness", *args]
    try:
        cli.main()
    except SystemExit:
        pass
    seen[" ".join(args)] = loaded()
sys.stderr.write("HEAVY=" + json.dumps(seen) + "\\n")
"""


def test_cli_does_not_import_heavy_modules():
    runs = [[], ["--help"], ["list"], ["list", "benchmark"], ["evaluate", "--help"],
            ["images", "--help"]]
    out = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(runs)], capture_output=True,
                         text=True, timeout=60)
    heavy = [json.loads(line[6:]) for line in out.stderr.splitlines() if line.startswith("HEAVY=")]
    assert heavy == [{"import": [], **{" ".join(args): [] for args in runs}}], out.stderr


def test_usage_errors_are_click_messages_not_tracebacks(cli):
    for args in [(), ("bogus",), ("evaluate",), ("list", "a", "b")]:
        out = cli(*args)
        assert out.returncode == 2, args
        assert "Traceback" not in out.stderr
    assert cli("bogus").stderr.splitlines()[-1] == "Error: No such command 'bogus'."
    assert cli("select").stderr.splitlines()[-1] == "Error: Missing option '--run'."
    assert cli("evaluate").stderr.splitlines()[-1] == "error: give either --predictions FILE or --run RUN_ID"


def test_exit_code_of_a_command_reaches_the_shell(cli, monkeypatch):
    """`raise typer.Exit(1)` (validate-benchmark with problems, a failed pull) must not exit 0."""
    from harness.cli import commands as cli_module

    app = typer.Typer()

    @app.command()
    def boom(code: int) -> None:
        raise typer.Exit(code)

    monkeypatch.setattr(cli_module, "app", app)
    assert cli("3").returncode == 3
    assert cli("0").returncode == 0
