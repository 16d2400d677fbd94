"""The training-data stage: the examples each training stage learns from, drawn from the run's
training corpora (`train:` in the config), never from the benchmark it is evaluated on.

SFT learns from the teacher's trajectories on the SFT corpus that finished and resolved (rejection
sampling; with `source: gold` the teacher is the demonstrations, which replay the gold patch). The
preference stages learn from `rollouts.teacher` teacher trajectories and `rollouts.policy` rollouts
of the model being trained on the preference corpus, plus the expert's no-fix demonstrations with
`nofix` (and always for the learned verifier). Every trajectory is judged by the fast evaluator,
demonstrations too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.benchmarks import get_benchmark, seeded_subset
from harness.config import CorpusConfig, RunConfig
from harness.context import RunContext
from harness.evaluation.run import resolve_sandbox
from harness.records import Instance, RolloutRow
from harness.stages import evaluate_rollouts, evaluated_instances, rollout_stage

if TYPE_CHECKING:
    from harness.demos import Recoveries
    from methods.data.examples import ExampleSet
    from methods.train import ExampleSource


def training_examples(ctx: RunContext) -> ExampleSource:
    """The source a method's stages draw from: (stage data kind, model being trained) -> examples."""
    train = ctx.config.train

    def examples_for(data: str, model_path: str) -> ExampleSet:
        from harness.demos import Recoveries
        from methods.data import ExampleSet

        if data == "sft":
            demos = ExampleSet()
            if train.sft.instances != 0:  # 0: the drills alone
                instances = corpus_instances(train.sft, ctx.config.seed)
                demos = _teacher(ctx, train.sft, instances, 1, Recoveries.of(train.sft)).where(
                    lambda e: e.finished and e.reward == 1.0, "not_finished_and_resolved")
            return demos + _drills(train.sft.drills, train.sft.drill_kind, ctx.config.seed)
        corpus, counts = train.preference, train.preference.rollouts
        instances = corpus_instances(corpus, ctx.config.seed)
        examples = ExampleSet()
        if counts.get("teacher"):
            examples = _teacher(ctx, corpus, instances, counts["teacher"])
        if counts.get("policy"):
            examples = examples + _judged_rollouts(ctx, corpus, instances, method="base",
                                                   budget=counts["policy"], model=model_path)
        if corpus.nofix or data == "verifier":
            examples = examples + _judged_demonstrations(ctx, instances, fix=False)
        return examples

    return examples_for


def contamination(config: RunConfig) -> list[str]:
    """What each training corpus shares with the evaluated instances, one line per finding: the same
    instance ids, and tasks of an evaluated repository created later than an evaluated task of it
    (their code may already hold its fix). Printed before training; nothing is dropped."""
    evaluated = evaluated_instances(config)
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


def _drills(n: int, kind: str, seed: int) -> ExampleSet:
    """`n` copy drills of `kind` as finished, resolved examples (they hold no task: nothing to judge;
    SFT trains only their answers, methods/data/build.py)."""
    from harness.benchmarks.swe_gen.drill import drills
    from methods.data import DRILL, Example, ExampleSet

    return ExampleSet(tuple(Example(f"drill-{i}", chat, 1.0, True, source=DRILL, sample_index=i)
                            for i, chat in enumerate(drills(n, seed, kind))))


def corpus_instances(corpus: CorpusConfig, seed: int) -> list[Instance]:
    """The corpus's instances: its split, or a subset of `instances` of it drawn with the run's seed."""
    return seeded_subset(get_benchmark(corpus.benchmark).load(corpus.split), corpus.instances, seed)


def _teacher(ctx: RunContext, corpus: CorpusConfig, instances: list[Instance], n: int,
             recoveries: Recoveries | None = None) -> ExampleSet:
    """`n` judged teacher trajectories per corpus instance (gold: its one demonstration, judged too: a
    gold patch that does not resolve in its image is no success; shares of them `recoveries`)."""
    if corpus.source == "gold":
        return _judged_demonstrations(ctx, instances, True, recoveries)
    teacher = ctx.config.train.teacher
    return _judged_rollouts(ctx, corpus, instances, method="teacher", budget=n, model=teacher.model,
                            backend=teacher.backend, backend_options=teacher.backend_options,
                            sampling=teacher.sampling)


def _judged_rollouts(ctx: RunContext, corpus: CorpusConfig, instances: list[Instance],
                     **rollout: object) -> ExampleSet:
    """Roll out on the corpus instances as the run says but for the fields in `rollout`, then judge
    (the model being trained rolls out as method `base`: every method from the same model reuses it)."""
    from methods.data import examples_from_store

    ids = sorted(i.instance_id for i in instances)
    corpus_ctx = ctx.with_config(benchmark=corpus.benchmark, split=corpus.split, instances=ids,
                                 method_options={}, **rollout)
    run_id = rollout_stage(corpus_ctx, instances=instances).run_id
    return examples_from_store(ctx.store, run_id, _judged(ctx, run_id))


def _judged_demonstrations(ctx: RunContext, instances: list[Instance], fix: bool,
                           recoveries: Recoveries | None = None) -> ExampleSet:
    """The instances' demonstrations (`fix=False`: the expert giving up, failures that share the
    prompts; `recoveries`: the shares recovering from a mistake), recorded now for those not stored yet,
    and judged."""
    from harness.demos import Recoveries, build_demos, demo_run_id
    from methods.data import examples_from_store

    recoveries = recoveries or Recoveries()
    prompt = ctx.config.agent.prompt  # the demonstrations speak the prompt the trained model will see
    run_id = demo_run_id(instances[0].benchmark, instances[0].split, fix, prompt, recoveries)
    if not {i.instance_id for i in instances} <= {k[1] for k in ctx.store.keys(RolloutRow, run_id=run_id)}:
        build_demos(instances, ctx.store, resolve_sandbox(ctx.config.sandbox), ctx.config.workers, fix=fix,
                    show_progress=ctx.show_progress, prompt=prompt, recoveries=recoveries)
    ids = {i.instance_id for i in instances}
    return examples_from_store(ctx.store, run_id, _judged(ctx, run_id)).where(
        lambda e: e.instance_id in ids, None)


def _judged(ctx: RunContext, run_id: str) -> str:
    """Training data is judged by `fast`, whatever evaluator the run reports with."""
    return evaluate_rollouts(ctx, run_id, "fast").eval_id
