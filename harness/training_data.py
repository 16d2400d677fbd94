"""The training-data stage: the examples each training stage learns from, drawn from the run's
training corpora (`train:` in the config), never from the benchmark it is evaluated on.

SFT learns from the teacher's trajectories on the SFT corpus that finished and resolved (rejection
sampling; with `source: gold` the teacher is the demonstrations, which replay the gold patch). The
preference stages learn from `rollouts.teacher` teacher trajectories and `rollouts.policy` rollouts
of the model being trained on the preference corpus, every one judged by the fast evaluator, plus
the expert's no-fix demonstrations with `nofix` (and always for the learned verifier).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from harness.benchmarks import get_benchmark
from harness.config import CorpusConfig, RunConfig
from harness.evaluation.run import resolve_sandbox
from harness.records import Instance, RolloutRow
from harness.stages import evaluate_rollouts, rollout_stage
from harness.store import Store

if TYPE_CHECKING:
    from methods.data.examples import ExampleSet
    from methods.train import ExampleSource


def training_examples(config: RunConfig, store: Store) -> ExampleSource:
    """The source a method's stages draw from: (stage data kind, model being trained) -> examples."""

    def examples_for(data: str, model_path: str) -> ExampleSet:
        from methods.data import ExampleSet

        if data == "sft":
            corpus = config.train.sft
            return _teacher(config, corpus, corpus_instances(corpus, config.seed), store, 1).where(
                lambda e: e.finished and e.reward == 1.0, "not_finished_and_resolved")
        corpus, counts = config.train.preference, config.train.preference.rollouts
        instances = corpus_instances(corpus, config.seed)
        examples = _teacher(config, corpus, instances, store, counts["teacher"]) if counts.get("teacher") \
            else ExampleSet()
        if counts.get("policy"):
            examples = examples + _judged_rollouts(config, corpus, store, instances, method="base",
                                                   budget=counts["policy"], model=model_path)
        if corpus.nofix or data == "verifier":
            examples = examples + _nofix(config, instances, store)
        return examples

    return examples_for


def contamination(config: RunConfig) -> list[str]:
    """What each training corpus shares with the evaluated instances, one line per finding: the same
    instance ids, and tasks of an evaluated repository created later than an evaluated task of it
    (their code may already hold its fix). Printed before training; nothing is dropped."""
    evaluated = get_benchmark(config.benchmark).load(config.split, config.instances or None)
    first_seen: dict[str, str] = {}
    for i in evaluated:
        key = repo_key(i.repo)
        first_seen[key] = min(first_seen.get(key, i.created_at), i.created_at)
    ids = {i.instance_id for i in evaluated}
    found = []
    for name, corpus in (("sft", config.train.sft), ("preference", config.train.preference)):
        where = f"train.{name} ({corpus.benchmark}, {corpus.split or 'all'})"
        instances = corpus_instances(corpus, config.seed)
        if shared := sorted(ids & {i.instance_id for i in instances}):
            found.append(f"{where} holds {len(shared)} evaluated instances: {', '.join(shared[:5])}"
                         + (", ..." if len(shared) > 5 else ""))
        later = [i for i in instances if i.instance_id not in ids
                 and _after(i.created_at, first_seen.get(repo_key(i.repo)))]
        if later:
            repos = sorted({repo_key(i.repo) for i in later})
            found.append(f"{where} holds {len(later)} tasks of evaluated repositories ({', '.join(repos)})"
                         " made after an evaluated task of theirs (or undated): their code may hold its fix")
    return found


def _after(created_at: str, first: str | None) -> bool:
    """A task of an evaluated repository (`first`: its earliest evaluated date) made later, or undated."""
    return first is not None and (not created_at or not first or created_at > first)


def repo_key(repo: str) -> str:
    """A repository's short name across datasets' spellings: django/django, swesmith/django__django.abc123
    (SWE-smith's mirrors), django (R2E-Gym's repo_name) -> django."""
    name = repo.rsplit("/", 1)[-1]
    return name.split("__", 1)[-1].split(".", 1)[0].lower()


def corpus_instances(corpus: CorpusConfig, seed: int) -> list[Instance]:
    """The corpus's instances: its split, or a subset of `instances` of it drawn with the run's seed."""
    instances = get_benchmark(corpus.benchmark).load(corpus.split)
    if corpus.instances is None or corpus.instances >= len(instances):
        return instances
    chosen = set(random.Random(seed).sample(sorted(i.instance_id for i in instances), corpus.instances))
    return [i for i in instances if i.instance_id in chosen]


def _teacher(config: RunConfig, corpus: CorpusConfig, instances: list[Instance], store: Store,
             n: int) -> ExampleSet:
    """`n` judged teacher trajectories per corpus instance (gold: its one demonstration)."""
    from methods.data import examples_from_demos

    ids = {i.instance_id for i in instances}
    if corpus.source == "gold":
        run_id = _demonstrations(config, instances, store, fix=True)
        return examples_from_demos(store, run_id).where(lambda e: e.instance_id in ids, None)
    teacher = config.train.teacher
    return _judged_rollouts(config, corpus, store, instances, method="teacher", budget=n, model=teacher.model,
                            backend=teacher.backend, backend_options=teacher.backend_options,
                            sampling=teacher.sampling)


def _judged_rollouts(config: RunConfig, corpus: CorpusConfig, store: Store, instances: list[Instance],
                     **rollout: object) -> ExampleSet:
    """Roll out on the corpus instances as `config` says but for the fields in `rollout`, then judge
    (the model being trained rolls out as method `base`: every method from the same model reuses it)."""
    from methods.data import examples_from_store

    ids = sorted(i.instance_id for i in instances)
    update = {"benchmark": corpus.benchmark, "split": corpus.split, "instances": ids, "method_options": {},
              **rollout}
    run_id = rollout_stage(config.model_copy(update=update), store, instances=instances).run_id
    return examples_from_store(store, run_id, _judged(store, run_id, config))


def _nofix(config: RunConfig, instances: list[Instance], store: Store) -> ExampleSet:
    """The expert giving up on each corpus instance, judged: failures that share the prompts."""
    from methods.data import examples_from_store

    run_id = _demonstrations(config, instances, store, fix=False)
    ids = {i.instance_id for i in instances}
    return examples_from_store(store, run_id, _judged(store, run_id, config)).where(
        lambda e: e.instance_id in ids, None)


def _demonstrations(config: RunConfig, instances: list[Instance], store: Store, fix: bool) -> str:
    """The run id of the instances' demonstrations (`fix=False`: the expert giving up), recorded now
    for those not stored yet."""
    from harness.demos import build_demos, demo_run_id

    run_id = demo_run_id(instances[0].benchmark, instances[0].split, fix)
    if not {i.instance_id for i in instances} <= {k[1] for k in store.keys(RolloutRow, run_id=run_id)}:
        build_demos(instances, store, resolve_sandbox(config.sandbox), config.workers, fix=fix)
    return run_id


def _judged(store: Store, run_id: str, config: RunConfig) -> str:
    """Training data is judged by `fast`, whatever evaluator the run reports with."""
    return evaluate_rollouts(store, run_id, "fast", config.workers, config.sandbox).eval_id
