"""Benchmarks: load task instances in the SWE-bench 5.x schema, by registered name or local file."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from harness import registry
from harness.errors import BadInput
from harness.records import Instance


class Benchmark(Protocol):
    """A named set of instances. `load` returns them in a stable order."""

    name: str

    def load(
        self, split: str | None = None, instance_ids: Sequence[str] | None = None
    ) -> list[Instance]: ...


LOCAL_SUFFIXES = (".jsonl", ".json", ".parquet")
# What every test command sees, in every sandbox and in swe-mini's images: one time zone, one hash
# seed, no bytecode written into the tree, UTF-8.
TEST_ENV = {"TZ": "UTC", "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8"}


def get_benchmark(name: str) -> Benchmark:
    """A registered benchmark by name, or any local .jsonl/.json/.parquet file in the 5.x schema."""
    if name.endswith(LOCAL_SUFFIXES):
        from harness.benchmarks.hub import LocalFile

        if not Path(name).is_file():
            raise BadInput(f"benchmark file {name} does not exist")
        return LocalFile(name)
    return registry.load("benchmark", name)


def seeded_subset(instances: list[Instance], n: int | None, seed: int) -> list[Instance]:
    """`n` of `instances` drawn with `seed` (all of them when `n` is None or not smaller), in order."""
    if n is None or n >= len(instances):
        return instances
    chosen = set(random.Random(seed).sample(sorted(i.instance_id for i in instances), n))
    return [i for i in instances if i.instance_id in chosen]


def run_name(benchmark: str) -> str:
    """A benchmark as run ids spell it: a registered name as is, with its generator's version for a
    generated family (the same ids hold other tasks after a version change: no stored run of the old
    ones is reused); a local file by its file name and a hash of the path given, so ids hold no '/'
    and two files of one name stay apart."""
    if benchmark.endswith(LOCAL_SUFFIXES):
        return f"{Path(benchmark).name}.{hashlib.sha256(benchmark.encode()).hexdigest()[:6]}"
    version = getattr(local_family(benchmark), "version", None)
    return f"{benchmark}-v{version}" if version else benchmark


LOCAL_FAMILIES = ("swe-mini", "swe-gen")  # task repos built here: images, local sandbox, demonstrations


def local_family(benchmark: str):
    """The task repo (harness.benchmarks.swe_mini.TaskRepo) of a locally built benchmark, else None."""
    return registry.load("benchmark", benchmark) if benchmark in LOCAL_FAMILIES else None


def select_ids(
    instances: list[Instance], instance_ids: Sequence[str] | None, source: str
) -> list[Instance]:
    """Keep `instance_ids` (in the given order); an unknown id is an error, never a silent drop."""
    if not instance_ids:
        return instances
    by_id = {i.instance_id: i for i in instances}
    unknown = [i for i in instance_ids if i not in by_id]
    if unknown:
        raise BadInput(f"unknown instance ids in {source}: {', '.join(unknown)}")
    return [by_id[i] for i in instance_ids]
