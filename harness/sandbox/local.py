"""The local sandbox (no Docker): bubblewrap with the host's root read-only, only the work tree
and a private /tmp writable, no network, its own pid namespace. For swe-mini and swe-gen; the host's Python
(this harness's interpreter, which has pytest) runs the code, and a library with an environment of
its own gets it at /swe-env as in its image. No cgroup limits: use docker for memory and pid caps.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness.benchmarks import TEST_ENV, local_family
from harness.benchmarks.swe_mini.runners import ENV_DIR
from harness.errors import BadInput, EngineUnavailable, HarnessError
from harness.records import Instance, PublicInstance
from harness.sandbox import (
    DEFAULT_OUTPUT_LIMIT,
    ExecResult,
    capped_command,
    parse_capped,
    repo_diff,
)
from harness.sandbox.owner import OWNER_FILE, owner_label

LOCAL_PREFIX = "harness-local-"  # its folders under the temp dir (`harness sandbox reap` finds them)
_SKIP_ROOT = {"proc", "dev", "sys", "tmp", "run"}
# bubblewrap re-binds the host's mounts; one that vanishes meanwhile (a container's overlay under
# /var/lib/docker) fails the setup, so it is retried
SETUP_ATTEMPTS = 4


def _setup_failed(proc: subprocess.CompletedProcess) -> bool:
    """bubblewrap itself failed (the command never ran): no output but bwrap's own error."""
    return proc.returncode != 0 and not proc.stdout and proc.stderr.startswith(b"bwrap: ")


class LocalSandbox:
    """A bubblewrap jail around a fresh checkout of a swe-mini or swe-gen instance."""

    def __init__(
        self, instance: Instance | PublicInstance, output_limit: int = DEFAULT_OUTPUT_LIMIT,
        env: dict | None = None, **_docker_only: object,
    ):
        self.family = local_family(instance.benchmark)
        if self.family is None:
            raise BadInput(f"the local sandbox runs swe-mini and swe-gen only; use docker for "
                           f"{instance.instance_id}")
        if not shutil.which("bwrap"):
            raise EngineUnavailable("the local sandbox needs bubblewrap (apt-get install bubblewrap)")
        self.instance = instance
        self.workdir = instance.workdir
        self.output_limit = output_limit
        self.env = {**TEST_ENV, **(env or {})}
        self._tmp: tempfile.TemporaryDirectory | None = None

    def __enter__(self) -> LocalSandbox:
        from harness.benchmarks.swe_mini.envs import host_env

        lib = self.family.library_spec(self.instance.instance_id)
        env = host_env(lib) if lib.requirements else None
        self._tmp = tempfile.TemporaryDirectory(prefix=LOCAL_PREFIX)
        root = Path(self._tmp.name)
        (root / OWNER_FILE).write_text(owner_label())  # `harness sandbox reap` removes it if we die
        (root / "tmp").mkdir()
        self.family.checkout(self.instance.instance_id, root / "testbed")
        self._argv = self._bwrap_argv(root, env)
        return self

    def _bwrap_argv(self, root: Path, env: Path | None) -> list[str]:
        argv = ["bwrap"]
        for entry in os.scandir("/"):
            if entry.name in _SKIP_ROOT or entry.path == self.workdir:
                continue
            if entry.is_symlink():
                argv += ["--symlink", os.readlink(entry.path), entry.path]
            elif entry.is_dir():
                argv += ["--ro-bind", entry.path, entry.path]
        argv += ["--dev", "/dev", "--proc", "/proc", "--bind", str(root / "tmp"), "/tmp"]
        # The interpreter may live under the host's /tmp (a CI checkout): show it read-only.
        for prefix in {sys.prefix, sys.base_prefix, os.path.realpath(sys.base_prefix), str(env)}:
            if prefix.startswith("/tmp/"):
                argv += ["--ro-bind", prefix, prefix]
        if env is not None:  # the library's environment where its image has it (runners.ENV_DIR)
            argv += ["--ro-bind", str(env), ENV_DIR]
        argv += ["--bind", str(root / "testbed"), self.workdir, "--chdir", self.workdir]
        argv += ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--die-with-parent", "--new-session"]
        path = f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin"
        for key, value in {**self.env, "PATH": path, "HOME": "/tmp"}.items():
            argv += ["--setenv", key, value]
        return argv

    def execute(self, cmd: str, timeout: float = 120) -> ExecResult:
        inner, marker = capped_command(cmd, timeout, self.output_limit)
        start = time.monotonic()
        for attempt in range(SETUP_ATTEMPTS):
            proc = subprocess.run(self._argv + inner, capture_output=True, stdin=subprocess.DEVNULL)
            if not _setup_failed(proc):
                return parse_capped(proc.stdout + proc.stderr, marker, proc.returncode, timeout,
                                    time.monotonic() - start)
            time.sleep(0.2 * (attempt + 1))
        # the jail never started: a sandbox fault, never the command's output (it would grade as a failure)
        why = proc.stderr.decode(errors="replace")[:300]
        raise HarnessError(f"bubblewrap could not set up the sandbox: {why}")

    def _host(self, path: str) -> Path:
        p = posixpath.normpath(path if path.startswith("/") else f"{self.workdir}/{path}")
        root = Path(self._tmp.name)
        for inside, outside in ((self.workdir, root / "testbed"), ("/tmp", root / "tmp")):
            if p == inside or p.startswith(inside + "/"):
                return outside / os.path.relpath(p, inside)
        raise BadInput(f"the local sandbox can only touch {self.workdir} and /tmp, not {path}")

    def read_file(self, path: str) -> str:
        return self._host(path).read_text(errors="replace")

    def write_file(self, path: str, content: str) -> None:
        host = self._host(path)
        host.parent.mkdir(parents=True, exist_ok=True)
        host.write_text(content)

    def diff(self) -> str:
        return repo_diff(self, self.instance.base_commit)

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __exit__(self, *exc: object) -> None:
        self.close()
