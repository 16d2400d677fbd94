"""Compute and store the signals of a rollout run, resumably: static ones for every trajectory, then
execution ones instance by instance (one transaction each, so a killed run redoes at most the
instances in flight and never duplicates a row)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from harness.benchmarks import get_benchmark
from harness.errors import BadInput
from harness.evaluation.run import prepare_images, resolve_sandbox
from harness.progress import progress_bar
from harness.records import RolloutRow, RunRow, SignalRow
from harness.signals.execution import execution_signals
from harness.signals.reproduction import reproduction_scripts
from harness.signals.static import static_signals
from harness.store import Store
from harness.trajectory import Trajectory


@dataclass(frozen=True)
class SignalSummary:
    run_id: str
    trajectories: int
    written: dict[str, int]  # signal name -> rows written by this call
    instances_executed: int


def compute_signals(store: Store, run_id: str, sandbox: str = "auto", workers: int = 2,
                    execution: bool = True, show_progress: bool = True) -> SignalSummary:
    """Store the static signals of every trajectory of `run_id` and, with `execution`, the
    execution signals (patch_applies, regression, reproduction) of every instance lacking them."""
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
    prepare_images(full, sandbox == "docker", workers)
    instances = {i.instance_id: i.public_view() for i in full}  # from here on, nothing hidden
    scripts_of: dict[str, list[str]] = {}  # every agent's scripts of an instance, in sample order
    for (iid, _), traj in sorted(trajectories.items()):
        if iid in groups and traj is not None:
            scripts_of.setdefault(iid, []).extend(reproduction_scripts(traj.messages).values())

    def one(iid: str) -> list[SignalRow]:
        scripts = list(dict.fromkeys(scripts_of.get(iid, ())))
        base, outcomes = execution_signals(instances[iid], {r.sample_index: r.patch for r in groups[iid]},
                                           scripts, sandbox)
        out = []
        for k, o in outcomes.items():
            out += [SignalRow(run_id, iid, k, "patch_applies", float(o.applies), {}),
                    SignalRow(run_id, iid, k, "regression", float(o.regression),
                              {"of": len(base.passing), "broken": list(o.broken),
                               "files": list(base.test_files), "seconds": round(o.seconds, 3)}),
                    SignalRow(run_id, iid, k, "reproduction", float(o.reproduction),
                              {"of": len(scripts), "passing": list(o.scripts_passing),
                               "at_base": base.outcome.reproduction})]
        store.write(out)
        return out

    with progress_bar(f"signals {run_id}", len(groups), show_progress) as advance, \
            ThreadPoolExecutor(max(1, workers)) as pool:
        for future in as_completed([pool.submit(one, iid) for iid in groups]):
            for name, n in _count(future.result()).items():
                written[name] = written.get(name, 0) + n
            advance()
    return SignalSummary(run_id, len(rollouts), written, len(groups))


def _count(rows: list[SignalRow]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.name] = counts.get(row.name, 0) + 1
    return counts
