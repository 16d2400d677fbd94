"""Sandboxes: one isolated environment per rollout or evaluation, behind one protocol.

Every command runs in its own process group, killed whole at the deadline, also when the command
itself has exited and left a background child holding its output (`server &`, a fork bomb), and
its output is capped at the source: the first `output_limit` bytes are kept, the rest is counted
and drained, so `yes` for minutes costs CPU but no memory.
"""

from __future__ import annotations

import re
import secrets
import shlex
from dataclasses import dataclass
from typing import Protocol

from harness import registry
from harness.errors import HarnessError
from harness.records import Instance, PublicInstance

DEFAULT_OUTPUT_LIMIT = 256 * 1024


@dataclass(frozen=True)
class ExecResult:
    exit_code: int
    output: str
    timed_out: bool
    truncated_bytes: int
    duration_s: float

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out


class Sandbox(Protocol):
    """A running environment with the instance's repository at its base commit."""

    def execute(self, cmd: str, timeout: float = 120) -> ExecResult: ...
    def read_file(self, path: str) -> str: ...
    def write_file(self, path: str, content: str) -> None: ...
    def diff(self) -> str: ...
    def close(self) -> None: ...
    def __enter__(self) -> Sandbox: ...
    def __exit__(self, *exc: object) -> None: ...


def open_sandbox(kind: str, instance: Instance | PublicInstance, **options) -> Sandbox:
    """A sandbox of the registered `kind` (docker, local) for `instance`; use it as a context manager."""
    return registry.load("sandbox", kind)(instance, **options)


def capped_command(cmd: str, timeout: float, limit: int) -> tuple[list[str], str]:
    """argv running `cmd` with a kill-timeout and capped output, and the marker that ends it.

    `cmd` leads its own process group (setsid); a watchdog, in a group of its own, kills that
    group at the deadline unless the output closed first; the exit status is then 137.
    (`timeout -s KILL` alone returned as soon as its child exited, so `sleep 600 &` or a fork
    bomb outlived it and held the output, and the call, open.) The watchdog starts before the
    command and then never forks (it learns the pid from a FIFO and waits with bash's `read -t`):
    a fork bomb that fills the pid limit can neither stop it from starting nor from timing out.
    """
    tag = secrets.token_hex(6)
    marker, fifo, dog = f"__harness_rest_{tag}__", f"/tmp/.harness-out-{tag}", f"/tmp/.harness-dog-{tag}"
    watchdog = f"exec 3<> {dog}; read -r pid <&3; read -r -t {timeout:g} <&3; kill -KILL -- -$pid"
    script = "\n".join((
        f"mkfifo {fifo} {dog} || exit 125",
        "exec 2>/dev/null  # bash's job notices (\"Killed ...\") are not the command's output",
        f"setsid bash -c {shlex.quote(watchdog)} & dog=$!",
        f"setsid bash -c {shlex.quote(cmd)} > {fifo} 2>&1 < /dev/null & pid=$!",
        f"echo $pid > {dog}",
        f"{{ head -c {limit}; printf '\\n{marker}%s\\n' \"$(wc -c)\"; }} < {fifo}; rm -f {fifo}",
        # the watchdog exits 0 only if it killed the group: then report the kill. It is killed by
        # group and by pid (before its setsid ran, the group kill alone would miss it).
        "wait $pid; rc=$?; kill -KILL -- -$dog $dog 2>/dev/null; wait $dog; fired=$?",
        f"rm -f {dog}; [ $fired = 0 ] && exit 137; exit $rc",
    ))
    return ["bash", "-c", script], marker


def parse_capped(raw: bytes, marker: str, exit_code: int, timeout: float, duration: float) -> ExecResult:
    """Split what `capped_command` printed into output and the count of dropped bytes."""
    text = raw.decode("utf-8", errors="replace")
    match = re.search(rf"\n{marker}\s*(\d+)\s*$", text)
    rest = int(match.group(1)) if match else 0
    output = text[: match.start()] if match else text
    timed_out = exit_code in (124, 137) and duration >= timeout
    if rest:
        output += f"\n[... output truncated: {rest} more bytes ...]"
    if timed_out:
        output += f"\n[... command killed after {timeout:g} s timeout ...]"
    return ExecResult(exit_code, output, timed_out, rest, duration)


def repo_diff(sandbox: Sandbox, base_commit: str) -> str:
    """The working tree against `base_commit`, new files included, read back uncapped."""
    out = "/tmp/.harness-diff"
    cmd = (
        "git -c core.fileMode=false add -A && "
        f"git -c core.fileMode=false diff --cached {base_commit} > {out}; rc=$?; git reset -q; exit $rc"
    )
    result = sandbox.execute(cmd, timeout=120)
    if not result.ok:
        raise HarnessError(f"git diff failed in the sandbox: {result.output.strip()[-300:]}")
    return sandbox.read_file(out)
