"""Training examples: one trajectory with its reward, loaded from stored rollouts, demonstrations or a
JSONL file. Loaders drop nothing silently: what they skip is counted in `ExampleSet.skipped` and
carried into the builders' `DropReport`."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.errors import BadInput
from harness.records import EvaluationRow, RolloutRow, RunRow
from harness.store import Store
from harness.trajectory import Trajectory

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Example:
    """One trajectory: `turn_token_ids[i]` are the sampled ids of the i-th assistant message (None or
    missing: unknown, the template's tokens are used)."""

    instance_id: str
    messages: list[dict[str, Any]]
    reward: float  # 1.0 resolved
    finished: bool  # the agent called `finish` (exit_reason == "finished")
    turn_token_ids: list[list[int] | None] = field(default_factory=list)
    source: str = ""  # run id or file
    sample_index: int = 0  # rollout sample index, or line number in a JSONL file
    tools: list[dict] | None = None  # passed to the chat template (native tool calling)
    patch: str = ""  # the final patch (what the learned verifier judges)
    untrained: frozenset[int] = frozenset()  # assistant turns (by index) no row trains: deliberate mistakes

    @property
    def ref(self) -> str:
        """Where this example comes from, for tracing a training row back to its trajectory."""
        return f"{self.source}#{self.sample_index}"

    @property
    def prompt(self) -> list[dict[str, Any]] | None:
        """The shared prefix: messages up to and including the first user message (system + issue)."""
        first = next((i for i, m in enumerate(self.messages) if m.get("role") == "user"), None)
        return None if first is None else self.messages[: first + 1]


@dataclass(frozen=True)
class ExampleSet:
    """Examples plus the count of rollouts a loader skipped, by reason (`no_verdict`, ...)."""

    examples: tuple[Example, ...] = ()
    skipped: Mapping[str, int] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Example]:
        return iter(self.examples)

    def __len__(self) -> int:
        return len(self.examples)

    def __getitem__(self, i: int) -> Example:
        return self.examples[i]

    def where(self, keep: Callable[[Example], bool], reason: str | None) -> ExampleSet:
        """The examples `keep` accepts; the others counted as skipped for `reason` (None: not counted,
        they were never the caller's)."""
        kept = tuple(e for e in self.examples if keep(e))
        skipped = Counter(self.skipped)
        if reason and len(kept) < len(self.examples):
            skipped[reason] += len(self.examples) - len(kept)
        return ExampleSet(kept, dict(skipped))

    def __add__(self, other: ExampleSet) -> ExampleSet:
        skipped = Counter(self.skipped) + Counter(other.skipped)
        return ExampleSet(self.examples + other.examples, dict(skipped))


def examples_from_store(store: Store, run_id: str, eval_id: str | None = None) -> ExampleSet:
    """Rollouts of `run_id` rewarded by their verdicts under `eval_id` (default: the run's own evaluator's).

    A rollout without a verdict, or whose evaluation itself errored (status "error": no evidence
    either way), is skipped and counted.
    """
    eval_id = eval_id or store.run_eval_id(run_id)
    verdicts = {(e.instance_id, e.sample_index): e for e in store.rows(EvaluationRow, eval_id=eval_id)}
    if not verdicts:
        known = store.eval_ids(run_id)
        raise BadInput(f"no evaluations under eval id {eval_id!r}; stored for this run: "
                       f"{', '.join(known) or 'none (evaluate the run first)'}")
    skipped: Counter[str] = Counter()
    examples, tools = [], _tools(store, run_id)
    for row in _rollouts(store, run_id):
        verdict = verdicts.get((row.instance_id, row.sample_index))
        if verdict is None or verdict.status == "error":
            skipped["no_verdict" if verdict is None else "eval_error"] += 1
            continue
        if (traj := _load(store, row, skipped)) is not None:
            examples.append(_example(traj, row, 1.0 if verdict.resolved else 0.0, tools))
    if skipped:
        log.warning("run %s: skipped %s", run_id, ", ".join(f"{k} {v}" for k, v in sorted(skipped.items())))
    return ExampleSet(tuple(examples), dict(skipped))


def examples_from_jsonl(path: str | Path) -> ExampleSet:
    """External trajectories, one JSON object per line: instance_id, messages, reward, and optionally
    finished (default true), turn_token_ids, tools. Any malformed line rejects the whole file."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror or exc}") from exc
    examples = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            try:
                examples.append(_parse(json.loads(line), str(path), number))
            except (ValueError, TypeError) as exc:  # JSONDecodeError is a ValueError
                raise BadInput(f"{path}:{number}: {str(exc).splitlines()[0]}") from exc
    return ExampleSet(tuple(examples))


def _rollouts(store: Store, run_id: str) -> list[RolloutRow]:
    rows = store.rows(RolloutRow, run_id=run_id)
    if not rows:
        raise BadInput(f"run {run_id!r} has no stored rollouts")
    return rows


def _load(store: Store, row: RolloutRow, skipped: Counter[str]) -> Trajectory | None:
    try:
        return Trajectory.load(store.artifact(row.trajectory_path) or Path("(no path stored)"))
    except (OSError, ValueError) as exc:
        log.warning("cannot read trajectory %s: %s", row.trajectory_path, exc)
        skipped["missing_trajectory"] += 1
        return None


def _example(traj: Trajectory, row: RolloutRow, reward: float, tools: list[dict] | None) -> Example:
    return Example(row.instance_id, traj.messages, reward, row.exit_reason == "finished",
                   [t.token_ids for t in traj.turns], row.run_id, row.sample_index, tools, row.patch,
                   frozenset(i for i, t in enumerate(traj.turns) if not t.trained))


def _tools(store: Store, run_id: str) -> list[dict] | None:
    """The tools the run's prompts were rendered with: TOOL_SPECS for `native` tool calling."""
    runs = store.rows(RunRow, run_id=run_id)
    config = runs[0].config if runs else {}
    config = json.loads(config) if isinstance(config, str) else config
    if (config.get("agent") or {}).get("action_format") == "native":
        from harness.agent.tools import TOOL_SPECS

        return list(TOOL_SPECS)
    return None


def _parse(data: Any, source: str, number: int) -> Example:
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    missing = [k for k in ("instance_id", "messages", "reward") if k not in data]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    messages, reward, finished = data["messages"], data["reward"], data.get("finished", True)
    if not isinstance(data["instance_id"], str) or not data["instance_id"]:
        raise ValueError("instance_id must be a non-empty string")
    if not isinstance(messages, list) or not all(
        isinstance(m, dict) and isinstance(m.get("role"), str)
        and isinstance(m.get("content", ""), str | None) for m in messages
    ):
        raise ValueError("messages must be a list of {role, content} objects")
    if not any(m["role"] == "user" for m in messages):
        raise ValueError("messages have no user message (the issue)")
    if isinstance(reward, bool) or not isinstance(reward, int | float):
        raise ValueError(f"reward must be a number, got {reward!r}")
    if not isinstance(finished, bool):
        raise ValueError(f"finished must be true or false, got {finished!r}")
    turns = data.get("turn_token_ids", [])
    if not isinstance(turns, list) or not all(
        t is None or (isinstance(t, list) and all(isinstance(i, int) for i in t)) for t in turns
    ):
        raise ValueError("turn_token_ids must be a list of id lists or nulls")
    tools, patch = data.get("tools"), data.get("patch", "")
    if tools is not None and not isinstance(tools, list):
        raise ValueError("tools must be a list")
    if not isinstance(patch, str):
        raise ValueError("patch must be a string")
    return Example(data["instance_id"], messages, float(reward), finished, turns, source, number, tools,
                   patch)
