"""The docker sandbox: one container per rollout, no network, pids/memory limits, always removed."""

from __future__ import annotations

import io
import tarfile
import time
import uuid
from pathlib import PurePosixPath

from harness.benchmarks import TEST_ENV
from harness.errors import HarnessError
from harness.images import LABEL, client, touch
from harness.records import Instance, PublicInstance
from harness.sandbox import (
    DEFAULT_OUTPUT_LIMIT,
    ExecResult,
    capped_command,
    parse_capped,
    repo_diff,
)
from harness.sandbox.owner import owner_label


class DockerSandbox:
    """A container of the instance image; `close()` (or leaving the `with`) removes it."""

    def __init__(
        self, instance: Instance | PublicInstance, network: bool = False, pids_limit: int = 512,
        mem_limit: str = "4g", output_limit: int = DEFAULT_OUTPUT_LIMIT, env: dict | None = None,
    ):
        self.instance = instance
        self.workdir = instance.workdir
        self.output_limit = output_limit
        self._options = dict(
            network_mode="bridge" if network else "none", pids_limit=pids_limit,
            mem_limit=mem_limit, memswap_limit=mem_limit, environment={**TEST_ENV, **(env or {})},
        )
        self.container = None

    def __enter__(self) -> DockerSandbox:
        import docker

        try:
            self.container = client().containers.run(
                # init: an orphan's parent is then an init that reaps it, so killed process trees
                # (timeouts, fork bombs) do not stay as zombies holding the pids limit
                self.instance.image, command=["tail", "-f", "/dev/null"], detach=True, init=True,
                name=f"harness-{uuid.uuid4().hex[:12]}", working_dir=self.workdir,
                labels={f"{LABEL}.sandbox": "1", f"{LABEL}.owner": owner_label(),
                        f"{LABEL}.instance_id": self.instance.instance_id},
                **self._options,
            )
        except docker.errors.ImageNotFound as exc:
            raise HarnessError(
                f"image {self.instance.image} is missing: run `harness images build` (swe-mini) "
                "or `harness images pull`"
            ) from exc
        touch(self.instance.image)
        return self

    def execute(self, cmd: str, timeout: float = 120) -> ExecResult:
        argv, marker = capped_command(cmd, timeout, self.output_limit)
        api = client().api
        start = time.monotonic()
        exec_id = api.exec_create(self.container.id, argv, workdir=self.workdir)["Id"]
        raw = b"".join(api.exec_start(exec_id, stream=True))
        exit_code = api.exec_inspect(exec_id)["ExitCode"]
        # A container killed under a command ends the exec with 137 (or no status at all): that is
        # the sandbox failing, not the command's result.
        if (exit_code is None or exit_code >= 126) and not self._running():
            raise HarnessError(f"the container of {self.instance.instance_id} stopped during a command")
        return parse_capped(raw, marker, exit_code, timeout, time.monotonic() - start)

    def _running(self) -> bool:
        try:
            self.container.reload()
        except Exception:  # removed
            return False
        return self.container.status == "running"

    def read_file(self, path: str) -> str:
        stream, _ = self.container.get_archive(self._abs(path))
        with tarfile.open(fileobj=io.BytesIO(b"".join(stream))) as tar:
            member = tar.next()
            return tar.extractfile(member).read().decode("utf-8", errors="replace")

    def write_file(self, path: str, content: str) -> None:
        target = PurePosixPath(self._abs(path))
        data = content.encode()
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            info = tarfile.TarInfo(target.name)
            info.size, info.mode, info.mtime = len(data), 0o644, int(time.time())
            tar.addfile(info, io.BytesIO(data))
        self.container.exec_run(["mkdir", "-p", str(target.parent)])
        self.container.put_archive(str(target.parent), buf.getvalue())

    def diff(self) -> str:
        return repo_diff(self, self.instance.base_commit)

    def _abs(self, path: str) -> str:
        return path if path.startswith("/") else f"{self.workdir}/{path}"

    def close(self) -> None:
        if self.container is not None:
            try:
                self.container.remove(force=True)
            except Exception:  # already gone: the reaper or a concurrent close removed it
                pass
            self.container = None

    def __exit__(self, *exc: object) -> None:
        self.close()
