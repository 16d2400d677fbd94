"""What a run would do, stage by stage, without doing any of it: every name and option checked, no
GPU, hub or Docker needed (`harness run --plan`, `harness grid plan GRID`).

Instance counts are given where they are known offline (swe-mini, swe-gen, local files, the shipped
Verified/Lite id lists, a corpus's `instances`); token figures are upper bounds from the limits in
the config, and GPU hours follow from them at the stated throughputs (`Rates`), which are
assumptions to adjust, not measurements.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache

from harness import registry
from harness.benchmarks import LOCAL_FAMILIES, LOCAL_SUFFIXES
from harness.benchmarks.splits import split_ids
from harness.config import CorpusConfig, RunConfig
from harness.selectors import get_selector


@dataclass(frozen=True)
class Rates:
    """Assumed throughputs per GPU, for the GPU-hour bounds (tokens per second)."""

    decode: float = 1000.0  # generated tokens, rollouts (vLLM, batched)
    train: float = 2000.0  # trained tokens, forward + backward (LoRA)


@dataclass(frozen=True)
class Step:
    stage: str
    detail: str
    tokens: int | None = None  # an upper bound, when one follows from the config
    gpu_hours: float | None = None


def plan(config: RunConfig, rates: Rates = Rates()) -> list[Step]:
    """The stages of `config`'s run in order; BadInput for any unknown name or option."""
    from methods.train import check_options, stage_options

    for kind in ("method", "backend", "evaluator"):
        registry.target(kind, getattr(config, kind))
    get_selector(config.selector)
    _check_benchmark(config.benchmark)
    method = registry.load("method", config.method)
    stages = getattr(method, "stages", ())
    steps: list[Step] = []
    if stages:
        check_options(stages, config)
        steps += _data_steps(config, {s.data for s in stages}, rates)
    model = config.model
    for stage in stages:
        data_options, trl = stage_options(stage, config)
        settings = {f.name: f.default for f in fields(stage.config_class())} | stage.defaults | trl
        lora = f"LoRA rank {data_options['lora_rank']}" if data_options["lora"] else "full fine-tuning"
        knobs = ", ".join(f"{k} {settings[k]}" for k in ("alpha", "beta", "value_form", "learning_rate",
                                                       "num_train_epochs") if k in settings)
        rows = _rows(config, stage.data)
        tokens = None if rows is None or not settings.get("max_length") else \
            int(rows * settings["max_length"] * settings.get("num_train_epochs", 1))
        steps.append(Step(f"train {stage.name}", f"{stage.trainer.split(':')[1]} on {_n(rows)} {stage.data} "
                          f"examples from {model}; {lora}; max_length {settings.get('max_length')}; {knobs}",
                          tokens, _hours(tokens, rates.train)))
        model = f"<{stage.name} model>"
    n = _count(config.benchmark, config.split, len(config.instances) or None)
    n = min(n, config.subset) if n is not None and config.subset else n
    tokens = _rollout_tokens(config, n, config.budget)
    where = f"{config.benchmark} ({config.split or 'all'})"
    steps.append(Step("rollout", f"{model} via {config.backend} on {where}: "
                      f"{_n(n)} instances x {config.budget}; T {config.sampling.temperature}, "
                      f"{config.agent.max_steps} steps, {config.agent.max_context} context",
                      tokens, _hours(tokens, rates.decode)))
    steps.append(Step("evaluate", f"{config.evaluator} on every rollout ({config.sandbox} sandbox)"))
    steps.append(Step("signals", config.signals))
    steps.append(Step("select", f"{config.selector} at budget {config.budget}"))
    return steps


def _data_steps(config: RunConfig, kinds: set[str], rates: Rates) -> list[Step]:
    train, steps = config.train, []
    corpora = [("sft", train.sft, {"teacher": 1})] if "sft" in kinds else []
    if kinds - {"sft"}:
        corpora.append(("preference", train.preference, train.preference.rollouts))
    for name, corpus, per_instance in corpora:
        _check_benchmark(corpus.benchmark)
        if corpus.source == "teacher":
            registry.target("backend", train.teacher.backend)
        n = _corpus_count(corpus)
        by_teacher = corpus.source == "teacher"
        teacher = f"{train.teacher.model} via {train.teacher.backend}" if by_teacher else "gold demos"
        sampled = per_instance.get("policy", 0) + (per_instance.get("teacher", 0) if by_teacher else 0)
        tokens = _rollout_tokens(config, n, sampled) if sampled else None
        sides = ", ".join(f"{side} {k}" for side, k in per_instance.items())
        where = f"{corpus.benchmark} ({corpus.split or 'all'})"
        steps.append(Step(f"data {name}", f"{where}: {_n(n)} instances x ({sides}); teacher: {teacher}; "
                          "judged by fast", tokens, _hours(tokens, rates.decode)))
    return steps


def _rows(config: RunConfig, data: str) -> int | None:
    """At most how many trajectories a stage trains on (before filtering and pairing)."""
    if data == "sft":
        return _corpus_count(config.train.sft)
    n = _corpus_count(config.train.preference)
    return None if n is None else n * sum(config.train.preference.rollouts.values())


def _check_benchmark(name: str) -> None:
    if not name.endswith(LOCAL_SUFFIXES):
        registry.target("benchmark", name)


def _corpus_count(corpus: CorpusConfig) -> int | None:
    known = _count(corpus.benchmark, corpus.split, None)
    if corpus.instances is not None:
        return min(corpus.instances, known) if known is not None else corpus.instances
    return known


@cache  # a plan asks again for each stage of each cell that uses the corpus
def _count(benchmark: str, split: str | None, named: int | None) -> int | None:
    """How many instances, when known without a hub: named ids, shipped id lists, local data."""
    if named is not None:
        return named
    if (ids := split_ids(benchmark)) is not None:
        return len(ids)
    if benchmark in LOCAL_FAMILIES or benchmark.endswith(LOCAL_SUFFIXES):
        from harness.benchmarks import get_benchmark

        return len(get_benchmark(benchmark).load(split))
    return None


def _rollout_tokens(config: RunConfig, n: int | None, per_instance: int) -> int | None:
    """Upper bound of generated tokens: every turn of every rollout at max_tokens."""
    if n is None:
        return None
    return n * per_instance * config.agent.max_steps * config.sampling.max_tokens


def _hours(tokens: int | None, rate: float) -> float | None:
    return None if tokens is None else tokens / rate / 3600


def _n(n: int | None) -> str:
    return "? (unknown offline)" if n is None else str(n)
