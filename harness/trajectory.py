"""One rollout's full record: the chat, what the backend sampled per turn, what each tool cost.

The trajectory file is the source of truth for a rollout (written atomically, then indexed in
DuckDB as a `RolloutRow`), so a crash between the two loses nothing: the index is rebuilt from
the files (DESIGN.md contract 4).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from harness.files import write_atomic
from harness.records import RolloutRow, utcnow

# The file's format: readers refuse a newer one (the fields they know might mean something else) and
# read files without the field (written before it existed) as format 0, the same fields.
FORMAT_VERSION = 1
EXIT_REASONS = (
    "finished", "max_steps", "context_exceeded", "format_errors", "sandbox_error", "backend_error",
)


@dataclass
class Turn:
    """One sampled assistant turn, aligned with the i-th assistant message of `messages`."""

    token_ids: list[int] | None
    logprobs: list[float] | None
    prompt_tokens: int
    completion_tokens: int
    finish_reason: str
    model_seconds: float
    action: str | None = None  # the tool called, None for an unparseable turn
    error: str | None = None  # the format error shown to the model
    sandbox_seconds: float = 0.0
    trained: bool = True  # False: a demonstration's deliberate mistake (harness/demos.py), never trained


@dataclass
class Trajectory:
    run_id: str
    instance_id: str
    sample_index: int
    seed: int
    model: str
    messages: list[dict[str, Any]] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    exit_reason: str = ""
    exit_detail: str = ""
    patch: str = ""
    diff_seconds: float = 0.0
    wall_seconds: float = 0.0

    @property
    def steps(self) -> int:
        return len(self.turns)

    @property
    def prompt_tokens(self) -> int:
        return sum(t.prompt_tokens for t in self.turns)

    @property
    def completion_tokens(self) -> int:
        return sum(t.completion_tokens for t in self.turns)

    @property
    def model_seconds(self) -> float:
        return sum(t.model_seconds for t in self.turns)

    @property
    def sandbox_seconds(self) -> float:
        return sum(t.sandbox_seconds for t in self.turns) + self.diff_seconds

    @property
    def harness_seconds(self) -> float:
        """Wall time spent in neither the model nor the sandbox: the harness's own overhead."""
        return max(0.0, self.wall_seconds - self.model_seconds - self.sandbox_seconds)

    def to_row(self, path: Path) -> RolloutRow:
        return RolloutRow(
            self.run_id, self.instance_id, self.sample_index, self.exit_reason, self.steps, self.patch,
            str(path), self.prompt_tokens, self.completion_tokens, round(self.model_seconds, 4),
            round(self.sandbox_seconds, 4), self.seed, utcnow(),
        )

    def to_json(self) -> dict[str, Any]:
        data = {"format_version": FORMAT_VERSION, **asdict(self)}
        data.update(steps=self.steps, prompt_tokens=self.prompt_tokens,
                    completion_tokens=self.completion_tokens, model_seconds=self.model_seconds,
                    sandbox_seconds=self.sandbox_seconds, harness_seconds=self.harness_seconds)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Trajectory:
        if (version := data.get("format_version", 0)) > FORMAT_VERSION:
            raise ValueError(f"trajectory format {version} is newer than this harness ({FORMAT_VERSION})")
        names = {f for f in cls.__dataclass_fields__}
        traj = cls(**{k: v for k, v in data.items() if k in names and k != "turns"})
        traj.turns = [Turn(**t) for t in data.get("turns", [])]
        return traj

    def save(self, path: Path) -> None:
        """Write atomically: a reader (or a resumed run) sees the whole file or none."""
        write_atomic(path, json.dumps(self.to_json()))

    @classmethod
    def load(cls, path: Path) -> Trajectory:
        return cls.from_json(json.loads(Path(path).read_text()))

    @classmethod
    def load_stored(cls, path: Path | None) -> Trajectory | None:
        """The trajectory a rollout row points to (`Store.artifact`), None when there is no file."""
        return cls.load(path) if path and path.is_file() else None
