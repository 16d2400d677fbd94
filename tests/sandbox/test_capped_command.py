"""`capped_command` on the host: a fast command returns at once even under CPU contention.

Regression: the watchdog was killed by process group only; a command that ended before the
watchdog had called setsid left it alive, and the call waited out the whole timeout (seen as a
60 s file_editor step during rollouts on a loaded machine).
"""

from __future__ import annotations

import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from harness.sandbox import capped_command, parse_capped


def _run(cmd: str, timeout: float) -> tuple[float, int, str]:
    argv, marker = capped_command(cmd, timeout, 1000)
    start = time.monotonic()
    proc = subprocess.run(argv, capture_output=True)
    took = time.monotonic() - start
    return took, proc.returncode, parse_capped(proc.stdout, marker, proc.returncode, timeout, took).output


@pytest.mark.slow
def test_fast_commands_never_wait_for_the_watchdog_under_load():
    hogs = [subprocess.Popen(["sh", "-c", "while :; do :; done"]) for _ in range(3)]  # killed below
    try:
        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(lambda _: _run("echo ok", 5), range(400)))
    finally:
        for hog in hogs:
            hog.kill()
    slowest = max(took for took, _, _ in results)
    assert slowest < 4, f"a fast command waited {slowest:.1f} s for the watchdog"
    assert {(rc, out.strip()) for _, rc, out in results} == {(0, "ok")}


def test_the_watchdog_still_kills_at_the_deadline():
    took, rc, out = _run("sleep 30", 1)
    assert rc == 137 and 1 <= took < 5
