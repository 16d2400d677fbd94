"""One lazy registry: per kind, the name users type -> "module:attr", imported only when used.

`harness list <kind>` and `--help` read names only, so nothing heavy (torch, docker) is imported.
"""

from __future__ import annotations

import importlib
from typing import Any

from harness.errors import BadInput

_REGISTRY: dict[str, dict[str, str]] = {}


def register(kind: str, name: str, target: str) -> None:
    """Register `name` of `kind` as the object at `target` ("package.module:attr")."""
    if ":" not in target:
        raise ValueError(f"target must be 'module:attr', got {target!r}")
    names = _REGISTRY.setdefault(kind, {})
    if name in names:
        raise ValueError(f"{kind} {name!r} is already registered (as {names[name]})")
    names[name] = target


def names(kind: str) -> list[str]:
    """The registered names of `kind`, sorted."""
    return sorted(_known(kind))


def kinds() -> list[str]:
    return sorted(_REGISTRY)


def target(kind: str, name: str) -> str:
    known = _known(kind)
    if name not in known:
        raise BadInput(f"unknown {kind} {name!r}; known: {', '.join(sorted(known)) or 'none'}")
    return known[name]


def load(kind: str, name: str) -> Any:
    """Import and return the object registered as `name` of `kind`."""
    module, _, attr = target(kind, name).partition(":")
    return getattr(importlib.import_module(module), attr)


def _known(kind: str) -> dict[str, str]:
    if kind not in _REGISTRY:
        raise BadInput(f"unknown kind {kind!r}; known: {', '.join(kinds())}")
    return _REGISTRY[kind]


# The built-in entries. Later stages add their kinds here, in this one place.
for _kind, _entries in {
    "benchmark": {
        "swe-mini": "harness.benchmarks.swe_mini:SWE_MINI",
        "swe-gen": "harness.benchmarks.swe_gen:SWE_GEN",
        "swebench-verified": "harness.benchmarks.hub:SWEBENCH_VERIFIED",
        "swebench-lite": "harness.benchmarks.hub:SWEBENCH_LITE",
        "swe-gym": "harness.benchmarks.hub:SWE_GYM",
        "swe-smith": "harness.benchmarks.hub:SWE_SMITH",
        "r2e-gym": "harness.benchmarks.hub:R2E_GYM",
    },
    "sandbox": {
        "docker": "harness.sandbox.docker:DockerSandbox",
        "local": "harness.sandbox.local:LocalSandbox",
    },
    "executor": {
        "local": "harness.executors.local:LocalExecutor",
        "ray": "harness.executors.ray_cluster:RayExecutor",
    },
    "evaluator": {
        "fast": "harness.evaluation.fast:FastEvaluator",
        "official": "harness.evaluation.official:OfficialEvaluator",
    },
    "backend": {
        "hf": "harness.backends.hf:HFBackend",
        "openai": "harness.backends.openai_api:OpenAIBackend",
        "vllm": "harness.backends.vllm:VLLMBackend",
        "replay": "harness.backends.replay:ReplayBackend",
    },
    "method": {
        "base": "methods.base:BASE",
        "sft": "methods.recipes:SFT_METHOD",
        "dpo": "methods.recipes:DPO_METHOD",
        "kto": "methods.recipes:KTO_METHOD",
        "entropo-dpo": "methods.recipes:ENTROPO_DPO_METHOD",
        "entropo-kto": "methods.recipes:ENTROPO_KTO_METHOD",
        "entropo": "methods.recipes:ENTROPO",
        "sft-dpo": "methods.recipes:SFT_DPO",
        "sft-kto": "methods.recipes:SFT_KTO",
        "sft-entropo-dpo": "methods.recipes:SFT_ENTROPO_DPO",
    },
    "selector": {
        name: f"harness.selectors.builtin:{name.upper().replace('-', '_')}"
        for name in ("first", "random", "oracle", "majority", "first-finished", "shortest", "longest",
                     "verifier", "regression", "hybrid-verified", "hybrid-lite", "hybrid-r2e")
    },
}.items():
    for _name, _target in _entries.items():
        register(_kind, _name, _target)
