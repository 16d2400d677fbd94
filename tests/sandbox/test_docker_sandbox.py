"""The docker sandbox under faults: timeouts, floods, fork bombs, no network, cleanup, and the
reaper after a kill -9. Checks shared with the local sandbox live in test_local_sandbox."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_local_sandbox import (
    INSTANCE_ID,
    check_diff,
    check_only_loopback,
    check_output_capped,
    check_round_trip,
    check_timeout_kills,
)

from harness.benchmarks.swe_mini import SWE_MINI
from harness.images import LABEL, client
from harness.images.build import build_images
from harness.sandbox.docker import DockerSandbox

pytestmark = pytest.mark.docker

HARNESS = Path(sys.executable).parent / "harness"
HOLDER = """
import signal, sys, time
# a background job's children inherit SIGINT ignored (Python then installs no KeyboardInterrupt handler)
signal.signal(signal.SIGINT, signal.default_int_handler)
from harness.benchmarks.swe_mini import SWE_MINI
from harness.sandbox.docker import DockerSandbox
with DockerSandbox(SWE_MINI.load(None, [sys.argv[1]])[0]) as sb:
    print(sb.container.name, flush=True)
    time.sleep(600)
"""


def container_exists(name: str) -> bool:
    import docker

    try:
        client().containers.get(name)
    except docker.errors.NotFound:
        return False
    return True


def container_running(sb: DockerSandbox) -> Callable[[str], bool]:
    """Is a process whose command line contains `needle` alive in the sandbox's container?"""

    def running(needle: str) -> bool:
        listing = sb.execute("for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline; echo; done", timeout=30)
        return needle in listing.output

    return running


@pytest.fixture(scope="module")
def instance():
    inst = SWE_MINI.load(None, [INSTANCE_ID])[0]
    build_images([inst])  # a no-op when the image is current
    return inst


@pytest.fixture
def sandbox(instance) -> Iterator[DockerSandbox]:
    with DockerSandbox(instance) as sb:
        yield sb


def test_timeout_kills_command_and_background_child(sandbox):
    check_timeout_kills(sandbox, container_running(sandbox), detached_lives=True)


@pytest.mark.slow
def test_yes_for_ten_seconds_is_capped_at_the_source(sandbox):
    check_output_capped(sandbox, 10)


@pytest.mark.slow
def test_fork_bomb_is_contained_by_the_pids_limit(sandbox):
    assert sandbox.container.attrs["HostConfig"]["PidsLimit"] == 512
    bomb = sandbox.execute(":(){ :|:& };:", timeout=10)
    assert bomb.timed_out and 10 <= bomb.duration_s < 40
    assert sandbox.execute("echo ok", timeout=60).output == "ok\n"
    left = sandbox.execute("ls -d /proc/[0-9]* | wc -l", timeout=60)
    assert left.ok and int(left.output) < 20  # tail -f, the shell and ls: the bomb is gone
    host = subprocess.run(["sh", "-c", "echo host ok"], capture_output=True, text=True, timeout=30)
    assert host.stdout == "host ok\n"


def test_only_loopback_interface(sandbox):
    assert sandbox.container.attrs["HostConfig"]["NetworkMode"] == "none"
    check_only_loopback(sandbox)


def test_read_write_round_trip(sandbox):
    check_round_trip(sandbox)


def test_diff_against_base_commit(sandbox, tmp_path):
    check_diff(sandbox, INSTANCE_ID, tmp_path)


def test_labelled_and_removed_after_the_block(instance):
    with DockerSandbox(instance) as sb:
        name = sb.container.name
        labels = client().containers.get(name).labels
        assert labels[f"{LABEL}.sandbox"] == "1"
        assert labels[f"{LABEL}.instance_id"] == INSTANCE_ID
        assert labels[f"{LABEL}.owner"].split(":")[1] == str(os.getpid())
    assert not container_exists(name)


def test_removed_when_the_body_raises(instance):
    with pytest.raises(RuntimeError, match="boom"), DockerSandbox(instance) as sb:
        name = sb.container.name
        assert container_exists(name)
        raise RuntimeError("boom")
    assert not container_exists(name)


def _hold_sandbox() -> tuple[subprocess.Popen, str]:
    """A python process that opens a sandbox and sleeps; returns it and its container name."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, INSTANCE_ID], stdout=subprocess.PIPE, text=True)
    name = proc.stdout.readline().strip()
    assert name.startswith("harness-"), f"holder printed {name!r}"
    return proc, name


def test_reap_removes_containers_of_killed_processes_only(instance):
    dead, dead_name = _hold_sandbox()
    live, live_name = _hold_sandbox()
    try:
        dead.send_signal(signal.SIGKILL)
        dead.wait(timeout=30)
        assert container_exists(dead_name), "kill -9 gave no chance to clean up, so the container stays"
        reaped = subprocess.run([str(HARNESS), "sandbox", "reap"], capture_output=True, text=True,
                                timeout=120, env={**os.environ, "COLUMNS": "500"})
        assert reaped.returncode == 0, reaped.stderr
        assert dead_name in reaped.stdout and live_name not in reaped.stdout
        assert not container_exists(dead_name)
        assert container_exists(live_name), "a live process's container was reaped without --all"
        live.send_signal(signal.SIGINT)  # KeyboardInterrupt: the `with` block removes it
        live.wait(timeout=60)
        assert not container_exists(live_name)
    finally:
        for proc, name in ((dead, dead_name), (live, live_name)):
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            if container_exists(name):
                client().containers.get(name).remove(force=True)

