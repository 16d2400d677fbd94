"""Compute and store the signals of a rollout run, resumably: static ones for every trajectory, then
execution ones instance by instance (one transaction each, so a killed run redoes at most the
instances in flight and never duplicates a row)."""

from __future__ import annotations

from dataclasses import dataclass

from harness.benchmarks import get_benchmark
from harness.errors import BadInput
from harness.evaluation.run import resolve_sandbox
from harness.executors import Executor
from harness.executors.local import LocalExecutor
from harness.records import PublicInstance, RolloutRow, RunRow, SignalRow
from harness.sandbox.prepare import ensure_images, prepare_images
from harness.signals.execution import Baseline, Outcome, execution_signals
from harness.signals.reproduction import reproduction_scripts
from harness.signals.static import static_signals
from harness.store import Store
from harness.trajectory import Trajectory

Job = tuple[PublicInstance, dict[int, str], list[str]]  # an instance, its candidate patches, its scripts


@dataclass(frozen=True)
class SignalSummary:
    run_id: str
    trajectories: int
    written: dict[str, int]  # signal name -> rows written by this call
    instances_executed: int


def compute_signals(store: Store, run_id: str, sandbox: str = "auto", workers: int = 2,
                    execution: bool = True, show_progress: bool = True,
                    executor: Executor | None = None) -> SignalSummary:
    """Store the static signals of every trajectory of `run_id` and, with `execution`, the
    execution signals (patch_applies, regression, reproduction) of every instance lacking them, on
    `executor` (default: `workers` threads here); this thread alone writes the rows."""
    found = store.rows(RunRow, run_id=run_id)
    rollouts = store.rows(RolloutRow, run_id=run_id)
    if not found or not rollouts:
        raise BadInput(f"run {run_id!r} has no stored rollouts in {store.path}")
    have = store.signal_keys(run_id)
    # an instance with any sample lacking execution signals is redone whole: a new sample may bring a
    # new reproduction script, and every candidate must be judged by the same scripts and tests
    missing = {r.instance_id for r in rollouts if (r.instance_id, r.sample_index, "regression") not in have}
    groups: dict[str, list[RolloutRow]] = {}
    for r in rollouts:
        if execution and r.instance_id in missing:
            groups.setdefault(r.instance_id, []).append(r)
    # trajectory files are read only where a signal still needs them
    trajectories = {(r.instance_id, r.sample_index): Trajectory.load_stored(store.artifact(r.trajectory_path))
                    for r in rollouts
                    if r.instance_id in groups or (r.instance_id, r.sample_index, "patch_empty") not in have}
    rows = [s for r in rollouts if (r.instance_id, r.sample_index, "patch_empty") not in have
            for s in static_signals(r, trajectories[(r.instance_id, r.sample_index)])]
    store.write(rows)
    written = _count(rows)
    if not groups:
        return SignalSummary(run_id, len(rollouts), written, 0)
    sandbox = resolve_sandbox(sandbox)
    full = get_benchmark(found[0].benchmark).load(None, sorted(groups))
    if not (executor and executor.remote):  # a remote node prepares its own
        prepare_images(full, sandbox == "docker", workers)
    instances = {i.instance_id: i.public_view() for i in full}  # from here on, nothing hidden
    scripts_of: dict[str, list[str]] = {}  # every agent's scripts of an instance, in sample order
    for (iid, _), traj in sorted(trajectories.items()):
        if iid in groups and traj is not None:
            scripts_of.setdefault(iid, []).extend(reproduction_scripts(traj.messages).values())

    jobs = [(instances[iid], {r.sample_index: r.patch for r in groups[iid]},
             list(dict.fromkeys(scripts_of.get(iid, ())))) for iid in groups]
    executor = executor or LocalExecutor(workers)
    for (instance, _, scripts), (base, outcomes) in executor.map(
            Executing(sandbox, executor.remote), jobs, f"signals {run_id}", show_progress):
        rows = _rows(run_id, instance.instance_id, len(scripts), base, outcomes)
        store.write(rows)  # one transaction an instance
        for name, n in _count(rows).items():
            written[name] = written.get(name, 0) + n
    return SignalSummary(run_id, len(rollouts), written, len(groups))


@dataclass(frozen=True)
class Executing:
    """One instance's execution signals as a unit of work, here or on a node (which prepares the
    image first); it sees the public view only."""

    sandbox: str
    remote: bool

    def __call__(self, job: Job) -> tuple[Baseline, dict[int, Outcome]]:
        instance, patches, scripts = job
        if self.remote:
            ensure_images([instance], self.sandbox)
        return execution_signals(instance, patches, scripts, self.sandbox)


def _rows(run_id: str, iid: str, scripts: int, base: Baseline,
          outcomes: dict[int, Outcome]) -> list[SignalRow]:
    out = []
    for k, o in outcomes.items():
        out += [SignalRow(run_id, iid, k, "patch_applies", float(o.applies), {}),
                SignalRow(run_id, iid, k, "regression", float(o.regression),
                          {"of": len(base.passing), "broken": list(o.broken),
                           "files": list(base.test_files), "seconds": round(o.seconds, 3)}),
                SignalRow(run_id, iid, k, "reproduction", float(o.reproduction),
                          {"of": scripts, "passing": list(o.scripts_passing),
                           "at_base": base.outcome.reproduction})]
    return out


def _count(rows: list[SignalRow]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.name] = counts.get(row.name, 0) + 1
    return counts
