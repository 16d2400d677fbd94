"""A fake sandbox for fast tool tests: the Sandbox protocol over a host folder.

Commands run on the host with bash in `root`, wrapped by the same `capped_command` the real
sandboxes use (so timeouts and output caps behave alike); paths are host paths, so a Toolbox
over it takes `workdir=str(root)`. `fail` names methods that raise, as a dead container's would.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from harness.sandbox import DEFAULT_OUTPUT_LIMIT, ExecResult, capped_command, parse_capped


class FakeSandbox:
    def __init__(self, root: Path, output_limit: int = DEFAULT_OUTPUT_LIMIT, fail: tuple[str, ...] = ()):
        self.root, self.workdir, self.output_limit, self.fail = root, str(root), output_limit, fail

    def _maybe_fail(self, method: str) -> None:
        if method in self.fail:
            raise RuntimeError(f"container gone during {method}\n(details on a second line)")

    def execute(self, cmd: str, timeout: float = 120) -> ExecResult:
        self._maybe_fail("execute")
        argv, marker = capped_command(cmd, timeout, self.output_limit)
        start = time.monotonic()
        proc = subprocess.run(argv, cwd=self.root, capture_output=True, stdin=subprocess.DEVNULL)
        seconds = time.monotonic() - start
        return parse_capped(proc.stdout + proc.stderr, marker, proc.returncode, timeout, seconds)

    def read_file(self, path: str) -> str:
        self._maybe_fail("read_file")
        return Path(path).read_bytes().decode("utf-8", errors="replace")

    def write_file(self, path: str, content: str) -> None:
        self._maybe_fail("write_file")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(content.encode())

    def diff(self) -> str:
        return subprocess.run(["git", "diff"], cwd=self.root, capture_output=True, text=True).stdout

    def close(self) -> None:
        pass

    def __enter__(self) -> FakeSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
