"""Per-instance images of the locally built families (swe-mini, swe-gen): the base image, the
library's environment (if it has one) and /testbed at the instance's base commit.

An image is labelled with a hash of everything it is made from; rebuilding with an unchanged
hash is a no-op. Images stop at once (STOPSIGNAL SIGKILL) and pin TZ and PYTHONHASHSEED.
"""

from __future__ import annotations

import hashlib
import shlex
import shutil
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from harness.benchmarks import local_family
from harness.benchmarks.swe_mini.envs import wheels
from harness.benchmarks.swe_mini.runners import ENV_DIR
from harness.errors import BadInput, HarnessError
from harness.images import LABEL, client
from harness.images.base import ensure_base_image
from harness.records import Instance

DOCKERFILE = """\
FROM {base}
ENV TZ=UTC PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1 LANG=C.UTF-8
{env}COPY testbed /testbed
WORKDIR /testbed
STOPSIGNAL SIGKILL
LABEL {label}=instance {label}.benchmark={benchmark} {label}.instance_id={instance_id} \\
      {label}.content_hash={content_hash}
CMD ["sleep", "infinity"]
"""
# The library's environment, from wheels fetched beforehand: the build itself has no network. It
# comes before the tree, so the tasks of one library share this layer.
ENV_STEP = """\
COPY wheels /tmp/wheels
RUN python3 -m venv {env_dir} && {env_dir}/bin/pip install -q --no-index --find-links /tmp/wheels \\
    {pins}
"""


def _env_step(instance: Instance) -> str:
    lib = local_family(instance.benchmark).library_spec(instance.instance_id)
    if not lib.requirements:
        return ""
    return ENV_STEP.format(env_dir=ENV_DIR, pins=" ".join(shlex.quote(r) for r in lib.requirements))


def content_hash(instance: Instance, base_id: str) -> str:
    """What the image is made of: the base image, the tree (base commit) and this recipe."""
    recipe = DOCKERFILE + _env_step(instance) + base_id + instance.base_commit + instance.instance_id
    return hashlib.sha256(recipe.encode()).hexdigest()[:16]


def build_images(
    instances: Sequence[Instance],
    force: bool = False,
    workers: int = 2,
    base_image: str | None = None,
    on_done: Callable[[Instance, str], None] = lambda i, s: None,
) -> dict[str, str]:
    """Build missing or stale images; returns {instance_id: "built" | "up-to-date"}."""
    bad = [i.instance_id for i in instances if not local_family(i.benchmark)]
    if bad:
        raise BadInput(f"only swe-mini and swe-gen images are built locally; pull the others: {bad[0]}")
    base = ensure_base_image(base_image)
    base_id = client().images.get(base).id

    def one(instance: Instance) -> tuple[str, str]:
        status = _build_one(instance, base, base_id, force)
        on_done(instance, status)
        return instance.instance_id, status

    with ThreadPoolExecutor(max(1, workers)) as pool:
        return dict(pool.map(one, instances))


def _build_one(instance: Instance, base: str, base_id: str, force: bool) -> str:
    import docker

    digest = content_hash(instance, base_id)
    try:
        current = client().images.get(instance.image).labels.get(f"{LABEL}.content_hash")
        if current == digest and not force:
            return "up-to-date"
    except docker.errors.ImageNotFound:
        pass
    with tempfile.TemporaryDirectory(prefix="harness-image-") as tmp:
        ctx = Path(tmp)
        family = local_family(instance.benchmark)
        commit = family.checkout(instance.instance_id, ctx / "testbed")
        env = _env_step(instance)
        if env:
            shutil.copytree(wheels(family.library_spec(instance.instance_id)), ctx / "wheels",
                            ignore=shutil.ignore_patterns(".complete"))
        if commit != instance.base_commit:
            raise HarnessError(
                f"{instance.instance_id}: base tree hashes to {commit}, task says "
                f"{instance.base_commit}; rebuild the task ({instance.benchmark}'s author or generator)"
            )
        (ctx / "Dockerfile").write_text(
            DOCKERFILE.format(
                base=base, env=env, label=LABEL, benchmark=instance.benchmark,
                instance_id=instance.instance_id, content_hash=digest,
            )
        )
        try:
            client().images.build(
                path=str(ctx), tag=instance.image, rm=True, forcerm=True, network_mode="none"
            )
        except docker.errors.BuildError as exc:
            raise HarnessError(f"{instance.instance_id}: image build failed: {exc.msg}") from exc
    return "built"
