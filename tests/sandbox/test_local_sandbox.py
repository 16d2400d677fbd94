"""The local (bubblewrap) sandbox under faults, and the checks it shares with the docker sandbox.

The `check_*` functions take any open sandbox; test_docker_sandbox imports them, so both kinds are
held to the same contract. Nothing here needs Docker.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import HARNESS

from harness.benchmarks.swe_mini import SWE_MINI
from harness.errors import HarnessError
from harness.sandbox import DEFAULT_OUTPUT_LIMIT, Sandbox
from harness.sandbox.local import LocalSandbox

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")

INSTANCE_ID = "swe-mini__verspec-1"
KILLED = 137  # `timeout -s KILL` takes its own process group down with the command


# ------------------------------------------------------------------ checks shared with docker


def rss_mb() -> float:
    """This process's resident set size (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS in /proc/self/status")


def settles(condition: Callable[[], bool], seconds: float = 3.0) -> bool:
    """True once `condition` holds, polling for up to `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def check_timeout_kills(sb: Sandbox, running: Callable[[str], bool], detached_lives: bool) -> None:
    """A command past its timeout is killed with the background child it spawned, also when the
    command itself has exited and only the child holds its output. A child that detached from the
    output returns the call at once, and lives on where processes outlive a call (docker)."""
    for tail in ("; sleep 600", ""):
        marker = str(secrets.randbelow(10**6) + 10**6)  # a unique `sleep` argument to look for
        result = sb.execute(f"sleep {marker} & echo started{tail}", timeout=3)
        assert result.timed_out and result.exit_code == KILLED
        assert 3 <= result.duration_s < 6
        assert "started" in result.output and "killed after 3 s timeout" in result.output
        assert settles(lambda m=marker: not running(f"sleep {m}"))
    marker = str(secrets.randbelow(10**6) + 10**6)
    detached = sb.execute(f"sleep {marker} > /dev/null 2>&1 & echo detached", timeout=3)
    assert detached.ok and detached.output == "detached\n" and detached.duration_s < 2
    # the kernel ends a pid namespace's processes asynchronously: allow it a moment
    assert settles(lambda: running(f"sleep {marker}") == detached_lives)


def check_output_capped(sb: Sandbox, seconds: float) -> None:
    """`yes` until the timeout: returns on time, keeps `output_limit` bytes, memory stays flat."""
    before = rss_mb()
    result = sb.execute("yes", timeout=seconds)
    grown = rss_mb() - before
    assert result.timed_out and seconds <= result.duration_s < seconds + 4
    kept = result.output.split("\n[... output truncated")[0]
    assert len(kept.encode()) == DEFAULT_OUTPUT_LIMIT and set(kept) == {"y", "\n"}
    assert result.truncated_bytes > 10 * DEFAULT_OUTPUT_LIMIT
    assert f"{result.truncated_bytes} more bytes" in result.output
    assert grown < 50, f"RSS grew by {grown:.0f} MB"


def check_only_loopback(sb: Sandbox) -> None:
    """No network: the only interface is `lo` (read from /proc and /sys; no traffic is sent)."""
    dev = sb.execute("cat /proc/net/dev", timeout=30)
    assert dev.ok
    names = [line.split(":")[0].strip() for line in dev.output.splitlines()[2:] if ":" in line]
    assert names == ["lo"]
    # Where they exist (the local sandbox mounts no /sys; minimal images lack `ip`).
    listed = sb.execute("test -d /sys/class/net || exit 3; ls /sys/class/net", timeout=30)
    assert listed.exit_code == 3 or (listed.ok and listed.output.split() == ["lo"])
    ip = sb.execute("command -v ip >/dev/null || exit 3; ip -o link show", timeout=30)
    assert ip.exit_code == 3 or (
        ip.ok and [line.split(":")[1].strip() for line in ip.output.splitlines()] == ["lo"]
    )


def check_round_trip(sb: Sandbox) -> None:
    """write_file creates parent directories; read_file and the shell see the same bytes."""
    content = "first line\nsecond: héllo ✓\n"
    for path in ("pkg/sub/deep/notes.txt", "/tmp/nested/a/b/c.txt"):
        sb.write_file(path, content)
        assert sb.read_file(path) == content
        cat = sb.execute(f"cat {path}", timeout=30)
        assert cat.ok and cat.output == content
    sb.write_file("pkg/sub/deep/notes.txt", "overwritten\n")
    assert sb.read_file("pkg/sub/deep/notes.txt") == "overwritten\n"
    assert sb.read_file("/testbed/pkg/sub/deep/notes.txt") == "overwritten\n"


def check_diff(sb: Sandbox, instance_id: str, tmp_path: Path) -> None:
    """diff() is empty on a fresh sandbox, then shows an edit (even once committed) and a new
    file against the base commit, as a patch that applies to a fresh checkout."""
    assert sb.diff() == ""
    readme = sb.read_file("README.md")
    sb.write_file("README.md", readme + "An edited line.\n")
    committed = sb.execute(
        "git -c user.name=a -c user.email=a@b commit -qam wip && git rev-list --count HEAD", timeout=30
    )
    assert committed.ok and committed.output.strip() == "2"
    sb.write_file("newpkg/helper.py", "def helper():\n    return 42\n")
    patch = sb.diff()
    assert "diff --git a/README.md b/README.md" in patch and "+An edited line." in patch
    assert "diff --git a/newpkg/helper.py b/newpkg/helper.py" in patch and "new file mode" in patch
    assert "+    return 42" in patch and patch.count("diff --git") == 2
    fresh = tmp_path / "fresh"
    SWE_MINI.checkout(instance_id, fresh)
    applied = subprocess.run(["git", "apply", "-"], cwd=fresh, input=patch, text=True, capture_output=True)
    assert applied.returncode == 0, applied.stderr
    assert (fresh / "README.md").read_text() == readme + "An edited line.\n"
    assert (fresh / "newpkg/helper.py").read_text() == "def helper():\n    return 42\n"


# ------------------------------------------------------------------ local sandbox tests


def host_running(needle: str) -> bool:
    """Is a process whose command line contains `needle` alive on this host? (any pid namespace)"""
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes() if proc.name.isdigit() else b""
        except OSError:
            continue
        if needle in cmdline.replace(b"\0", b" ").decode(errors="replace"):
            return True
    return False


@pytest.fixture(scope="module")
def instance():
    return SWE_MINI.load(None, [INSTANCE_ID])[0]


@pytest.fixture
def sandbox(instance) -> Iterator[LocalSandbox]:
    with LocalSandbox(instance) as sb:
        yield sb


def test_timeout_kills_command_and_background_child(sandbox):
    check_timeout_kills(sandbox, host_running, detached_lives=False)  # its pid namespace ends


@pytest.mark.slow
def test_yes_for_ten_seconds_is_capped_at_the_source(sandbox):
    check_output_capped(sandbox, 10)


def test_output_cap_and_timeout_on_a_short_flood(sandbox):
    check_output_capped(sandbox, 2)


def test_only_loopback_interface(sandbox):
    check_only_loopback(sandbox)


def test_read_write_round_trip(sandbox):
    check_round_trip(sandbox)


def test_diff_against_base_commit(sandbox, tmp_path):
    check_diff(sandbox, INSTANCE_ID, tmp_path)


def test_only_testbed_and_tmp_are_writable(sandbox, tmp_path):
    name = f"probe-{secrets.token_hex(4)}"
    home = Path.home()
    for target in (f"/etc/{name}", f"{home}/{name}", f"{Path.cwd()}/{name}", f"/var/{name}",
                   f"{tmp_path}/{name}"):
        result = sandbox.execute(f"echo x > {target}", timeout=30)
        # Under /tmp (a checkout or pytest's tmp_path may live there) the write lands in the
        # sandbox's private /tmp: allowed, as long as the host's file is never touched.
        if not target.startswith("/tmp/"):
            assert result.exit_code != 0, f"{target} is writable inside the sandbox"
        assert not Path(target).exists(), f"{target} was written on the host"
    for target in (f"/testbed/{name}", f"/tmp/{name}"):
        assert sandbox.execute(f"echo x > {target} && cat {target}", timeout=30).output == "x\n"
    assert not Path(f"/tmp/{name}").exists(), "the sandbox's /tmp is the host's /tmp"


def test_tmp_persists_between_commands_in_one_sandbox(sandbox, instance):
    assert sandbox.execute("echo kept > /tmp/state && mkdir -p /tmp/d/e", timeout=30).ok
    again = sandbox.execute("cat /tmp/state && test -d /tmp/d/e && pwd", timeout=30)
    assert again.ok and again.output == "kept\n/testbed\n"
    with LocalSandbox(instance) as other:
        assert other.execute("test -e /tmp/state", timeout=30).exit_code == 1


def test_workdir_removed_on_exit_also_when_the_body_raises(instance):
    with pytest.raises(RuntimeError), LocalSandbox(instance) as sb:
        root = Path(sb._tmp.name)
        assert (root / "testbed" / ".git").is_dir()
        raise RuntimeError("boom")
    assert not root.exists()


HOLDER = """
import signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)  # a background job's children ignore SIGINT
from harness.benchmarks.swe_mini import SWE_MINI
from harness.sandbox.local import LocalSandbox
with LocalSandbox(SWE_MINI.load(None, [sys.argv[1]])[0]) as sb:
    print(sb._tmp.name, flush=True)
    time.sleep(600)
"""


def test_reap_removes_the_folders_of_killed_processes_only(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path), "COLUMNS": "500"}  # only this test's folders

    def hold() -> tuple[subprocess.Popen, Path]:
        proc = subprocess.Popen([sys.executable, "-c", HOLDER, INSTANCE_ID], stdout=subprocess.PIPE,
                                text=True, env=env)
        return proc, Path(proc.stdout.readline().strip())

    (dead, dead_dir), (live, live_dir) = hold(), hold()
    try:
        dead.kill()
        dead.wait(timeout=30)
        assert dead_dir.is_dir(), "kill -9 gave no chance to clean up, so the folder stays"
        reaped = subprocess.run([str(HARNESS), "sandbox", "reap"], capture_output=True, text=True,
                                timeout=120, env=env)
        assert reaped.returncode == 0, reaped.stderr
        assert "removed 1 local sandbox folders" in reaped.stdout
        assert not dead_dir.exists() and live_dir.is_dir()
        live.send_signal(signal.SIGINT)  # KeyboardInterrupt: the `with` block removes it
        live.wait(timeout=60)
        assert not live_dir.exists()
    finally:
        for proc in (dead, live):
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_a_jail_that_could_not_be_set_up_is_retried_then_a_sandbox_error(instance, monkeypatch):
    """A host mount vanishing while bubblewrap binds it (a container's overlay) fails the setup: the
    command never ran, so its 'output' must not be graded (the fast evaluator records an error)."""
    from harness.evaluation.fast import FastEvaluator
    from harness.records import Prediction

    real = subprocess.run
    failures = {"left": 2}

    def flaky(argv, **kw):
        if argv[0] == "bwrap" and failures["left"]:
            failures["left"] -= 1
            return subprocess.CompletedProcess(argv, 1, b"", b"bwrap: Can't bind mount /oldroot/var: gone\n")
        return real(argv, **kw)

    monkeypatch.setattr("harness.sandbox.local.subprocess.run", flaky)
    with LocalSandbox(instance) as box:
        assert box.execute("echo ok").output.strip() == "ok"  # two failed setups, then it ran
        failures["left"] = 99
        with pytest.raises(HarnessError, match="^bubblewrap could not set up the sandbox: bwrap: Can't bind"):
            box.execute("echo never")
    verdict = FastEvaluator("local").judge(instance, Prediction(instance.instance_id, instance.patch, "r"),
                                           Path("/nonexistent"))
    assert (verdict.status, verdict.reason[:14]) == ("error", "sandbox error:")
