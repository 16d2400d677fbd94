"""Instance images on a real engine: rebuilds are no-ops, images carry their metadata and stop at
once, /testbed is the base commit alone, and prune evicts exactly the least recently used.

Prune never sees the swe-mini images here: the real ones are only planned over (dry run), and the
eviction test runs on two throw-away images under a label of its own.
"""

from __future__ import annotations

import io
import os
import secrets
import time

import pytest

import harness.images
import harness.images.prune
import harness.paths
from harness.benchmarks.swe_mini import SWE_MINI
from harness.images import LABEL, client, touch
from harness.images.base import BASE_IMAGE
from harness.images.build import build_images
from harness.images.prune import candidates, plan, prune

pytestmark = pytest.mark.docker

INSTANCE_ID = "swe-mini__verspec-2"


@pytest.fixture(scope="module")
def instance():
    inst = SWE_MINI.load(None, [INSTANCE_ID])[0]
    build_images([inst])  # a no-op when the image is current
    return inst


def run(image: str, script: str) -> str:
    out = client().containers.run(image, ["bash", "-c", script], remove=True, network_mode="none")
    return out.decode()


def test_rebuilding_an_up_to_date_image_is_a_no_op(instance):
    before = client().images.get(instance.image).id
    assert build_images([instance]) == {INSTANCE_ID: "up-to-date"}
    assert client().images.get(instance.image).id == before


def test_image_metadata(instance):
    config = client().images.get(instance.image).attrs["Config"]
    assert config["StopSignal"] == "SIGKILL"
    labels = config["Labels"]
    assert labels[LABEL] == "instance"
    assert labels[f"{LABEL}.instance_id"] == INSTANCE_ID and labels[f"{LABEL}.benchmark"] == "swe-mini"
    assert len(labels[f"{LABEL}.content_hash"]) == 16
    assert {"TZ=UTC", "PYTHONHASHSEED=0"} <= set(config["Env"])
    assert config["WorkingDir"] == "/testbed"


def test_docker_stop_returns_at_once(instance):
    container = client().containers.run(instance.image, detach=True, network_mode="none")
    try:
        start = time.monotonic()
        container.stop()  # default grace is 10 s; SIGKILL as the stop signal needs none
        assert time.monotonic() - start < 2
        container.reload()
        assert container.status == "exited"
    finally:
        container.remove(force=True)


def test_testbed_is_the_base_commit_alone(instance):
    out = run(instance.image, "cd /testbed && git rev-parse HEAD && git rev-list --count --all "
                              "&& git log --format=%s && git status --porcelain | wc -l")
    assert out.split("\n") == [instance.base_commit, "1", "base", "0", ""]


def test_prune_dry_run_plans_over_the_real_images(instance):
    found = candidates()
    names = {c.name for c in found}
    assert instance.image in names and BASE_IMAGE not in names
    assert [c.last_used for c in found] == sorted(c.last_used for c in found)
    total = sum({c.image_id: c.size for c in found}.values())
    assert plan(found, total) == []
    assert {c.name for c in plan(found, 0)} == names
    would = prune(0, dry_run=True)
    assert {c.name for c in would} == names
    assert client().images.get(instance.image)  # a dry run removes nothing


def test_prune_evicts_exactly_the_least_recently_used(instance, tmp_path, monkeypatch):
    label = f"harness-prune-probe-{secrets.token_hex(4)}"  # prune sees only these two images
    monkeypatch.setattr(harness.images.prune, "LABEL", label)
    monkeypatch.setattr(harness.paths, "CACHE", tmp_path)  # and their LRU clocks live here
    old, recent = (f"{label}/{name}:latest" for name in ("old", "recent"))
    try:
        for name in (old, recent):
            dockerfile = f"FROM {BASE_IMAGE}\nLABEL {label}=instance probe={name}\n"
            client().images.build(fileobj=io.BytesIO(dockerfile.encode()), tag=name, rm=True,
                                  network_mode="none")
            touch(name)
        os.utime(harness.images._usage_file(old), (1e9, 1e9))  # used in 2001
        found = candidates()
        assert [c.name for c in found] == [old, recent]
        keep_one = found[1].size
        assert [c.name for c in prune(keep_one, dry_run=True)] == [old]
        assert [c.name for c in prune(keep_one)] == [old]
        assert [c.name for c in candidates()] == [recent]
        assert client().images.get(instance.image)
    finally:
        for name in (old, recent):
            if client().images.list(name=name):
                client().images.remove(name, force=True)
