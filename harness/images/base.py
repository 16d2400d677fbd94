"""The base image swe-mini instances build on: Debian bookworm with python3 (and venv), pytest, git.

Built offline from Debian packages (debootstrap + `docker import`, ~45 s) because Docker Hub is
not reachable everywhere; an existing local image that already has those tools is reused instead.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from harness.errors import EngineUnavailable, HarnessError
from harness.images import LABEL, client

BASE_IMAGE = "harness/swe-mini-base:bookworm-venv"
PACKAGES = "python3,python3-pytest,python3-venv,git,ca-certificates"
PROBE = "python3 -c 'import pytest, ensurepip' && git --version && timeout --version && head --version"
_TRIM = ("var/cache/apt/archives", "var/lib/apt/lists", "usr/share/doc", "usr/share/man")

log = logging.getLogger(__name__)


def has_tools(image: str) -> bool:
    """Does `image` have python3 with pytest and venv, git and coreutils (all an eval script needs)?"""
    try:
        client().containers.run(image, ["sh", "-c", PROBE], remove=True, network_mode="none")
    except Exception:
        return False
    return True


def ensure_base_image(reuse: str | None = None) -> str:
    """Return the base image name, building it once. `reuse` names a local image to adopt."""
    import docker

    c = client()
    try:
        c.images.get(BASE_IMAGE)
        return BASE_IMAGE
    except docker.errors.ImageNotFound:
        pass
    candidates = [reuse] if reuse else [t for i in c.images.list("python") for t in i.tags]
    for image in candidates:
        if has_tools(image):
            log.info("reusing local image %s as the swe-mini base", image)
            c.images.get(image).tag(BASE_IMAGE)
            return BASE_IMAGE
    if reuse:
        raise HarnessError(f"{reuse} lacks python3 with pytest and venv, git or coreutils")
    _debootstrap_import()
    return BASE_IMAGE


def _debootstrap_import() -> None:
    if not shutil.which("debootstrap"):
        raise EngineUnavailable(
            "building the swe-mini base image needs debootstrap (apt-get install debootstrap) "
            "or --base-image NAME of a local image with python3, pytest and git"
        )
    with tempfile.TemporaryDirectory(prefix="harness-rootfs-") as tmp:
        rootfs = Path(tmp) / "rootfs"
        cmd = ["debootstrap", "--variant=minbase", f"--include={PACKAGES}", "bookworm", str(rootfs)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode:
            tail = (proc.stdout + proc.stderr).strip().splitlines()[-1:] or ["no output"]
            raise HarnessError(f"debootstrap failed (needs root and Debian mirrors): {tail[0]}")
        for rel in _TRIM:
            shutil.rmtree(rootfs / rel, ignore_errors=True)
        tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
        changes = ["ENV LANG=C.UTF-8", f"LABEL {LABEL}=base"]
        imp = subprocess.run(
            ["docker", "import", *sum((["-c", c] for c in changes), []), "-", BASE_IMAGE],
            stdin=tar.stdout, capture_output=True, text=True,
        )
        tar.wait()
        if imp.returncode:
            raise HarnessError(f"docker import failed: {imp.stderr.strip()}")
