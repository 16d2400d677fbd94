"""A trained policy rolled out as its LoRA adapter, by name, on a server that already serves the model it
was trained from (`vllm serve MODEL --enable-lora`, adapters loaded at run time through
POST /v1/load_lora_adapter with VLLM_ALLOW_RUNTIME_LORA_UPDATING=True): one served model for every
method trained from it, instead of one engine per trained model."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.backends import BackendError
from harness.errors import BadInput


@dataclass(frozen=True)
class Adapter:
    name: str  # the training run's id: what requests name as their model
    path: Path
    base: str  # the model it was trained from (adapter_config.json)


def adapter_of(model: str) -> Adapter | None:
    """The adapter of a trained stage's folder (`models/<run>/merged` -> `models/<run>/adapter`); None for
    a model that is not a trained stage's (the served model itself: the base method)."""
    merged = Path(model)
    if merged.name != "merged" or not merged.parent.name.startswith("train-"):
        return None
    config = merged.parent / "adapter" / "adapter_config.json"
    if not config.is_file():
        raise BadInput(f"{model} has no LoRA adapter to serve: train with method_options.lora=true, "
                       "or serve the merged model itself (backend_options.adapters=false)")
    base = json.loads(config.read_text()).get("base_model_name_or_path") or ""
    return Adapter(merged.parent.name, config.parent.resolve(), base)


def load(client: Any, adapter: Adapter) -> None:
    """Make `adapter` servable on the server of `client`: BadInput when the server serves another model
    than the adapter's base; loading one already loaded is fine."""
    import openai

    models = client.models.list().data
    if adapter.name in {m.id for m in models}:
        return
    served = [getattr(m, "root", None) or m.id for m in models]
    if not any(_same(adapter.base, s) for s in served):
        raise BadInput(f"adapter {adapter.name} was trained from {adapter.base}, but {client.base_url} "
                       f"serves {', '.join(served)}")
    try:
        client.post("/load_lora_adapter", cast_to=str,  # vLLM answers in plain text
                    body={"lora_name": adapter.name, "lora_path": str(adapter.path)})
    except openai.APIStatusError as exc:
        if "already" not in str(exc).lower():
            raise BackendError(f"{client.base_url} did not load adapter {adapter.name}: {exc}") from exc


def _same(a: str, b: str) -> bool:
    """The same model: equal names, or paths to the same folder."""
    return a == b or (Path(a).exists() and Path(b).exists() and Path(a).resolve() == Path(b).resolve())
