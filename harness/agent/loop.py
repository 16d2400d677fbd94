"""The agent: ask the model for one action, run it in the sandbox, show the result, until `finish`
or a limit. Everything else lives in the tools (tools.py), the parser (actions.py) and the prompt
templates (templates/)."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from harness.agent.actions import Action, FormatError, parse_native, parse_text
from harness.agent.prompts import Prompts
from harness.agent.tools import TOOL_SPECS, SandboxFailure, Toolbox
from harness.backends import Backend, BackendError, ContextExceeded, Sampling
from harness.records import PublicInstance
from harness.sandbox import Sandbox
from harness.trajectory import Trajectory, Turn


class AgentConfig(BaseModel):
    """Limits of one rollout (PAPER.md: at most 100 steps, 64k context)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    max_steps: int = 100
    max_context: int = 65_536
    command_timeout: float = 120.0
    observation_limit: int = 16_000
    max_format_errors: int = 3  # consecutive unparseable turns before the sample ends
    action_format: Literal["text", "native"] = "text"
    prompt: Literal["full", "compact"] = "full"  # compact: short tool docs and task text, for small models
    templates: Path | None = None


class Agent:
    def __init__(self, backend: Backend, sampling: Sampling, config: AgentConfig | None = None):
        self.backend, self.sampling, self.config = backend, sampling, config or AgentConfig()
        self.prompts = Prompts(self.config.action_format, self.config.templates, self.config.prompt)
        self.tools = list(TOOL_SPECS) if self.config.action_format == "native" else None

    def run(self, instance: PublicInstance, sandbox: Sandbox, traj: Trajectory) -> Trajectory:
        """Fill `traj` (messages, turns, exit reason, patch); never raises for the model's or the
        sandbox's faults, which end the sample with their reason instead."""
        cfg, start = self.config, time.monotonic()
        toolbox = Toolbox(sandbox, instance.workdir, cfg.command_timeout, cfg.observation_limit)
        traj.messages = [self.prompts.system(TOOL_SPECS), self.prompts.instance(instance)]
        bad_turns = 0
        while not traj.exit_reason:
            if traj.steps >= cfg.max_steps:
                traj.exit_reason = "max_steps"
                break
            try:
                turn, message, action = self._step(traj)
            except ContextExceeded as exc:
                traj.exit_reason, traj.exit_detail = "context_exceeded", str(exc)
                break
            except BackendError as exc:
                traj.exit_reason, traj.exit_detail = "backend_error", str(exc)
                break
            traj.turns.append(turn)
            traj.messages.append(message)
            if isinstance(action, FormatError):
                bad_turns += 1
                traj.messages.append(self.prompts.format_error(action))
                if bad_turns >= cfg.max_format_errors:
                    traj.exit_reason, traj.exit_detail = "format_errors", str(action)
                continue
            bad_turns = 0
            try:
                observation = toolbox.run(action)
            except SandboxFailure as exc:
                traj.exit_reason, traj.exit_detail = "sandbox_error", str(exc)
                break
            turn.sandbox_seconds = observation.seconds
            traj.messages.append(self.prompts.observation(action, observation))
            if observation.finished:
                traj.exit_reason = "finished"
            elif turn.prompt_tokens + turn.completion_tokens >= cfg.max_context:
                traj.exit_reason = "context_exceeded"
        self._collect_patch(sandbox, traj)
        traj.wall_seconds = time.monotonic() - start
        return traj

    def _step(self, traj: Trajectory) -> tuple[Turn, dict, Action | FormatError]:
        """Sample one turn; return it, its assistant message and the parsed action (or the error)."""
        seed = None if traj.seed is None else traj.seed * 1009 + traj.steps
        sampling = dataclasses.replace(self.sampling, seed=seed)
        began = time.monotonic()
        (c,) = self.backend.chat(traj.messages, 1, sampling, self.tools)
        turn = Turn(list(c.token_ids) if c.token_ids else None, list(c.logprobs) if c.logprobs else None,
                    c.prompt_tokens, c.completion_tokens, c.finish_reason, time.monotonic() - began,
                    trained=c.trained)
        message: dict = {"role": "assistant", "content": c.text}
        try:
            if self.tools is None:
                action = parse_text(c.text)
            else:
                action = parse_native(c.tool_calls)
                message["tool_calls"] = [_tool_call(action)]
            turn.action = action.name
        except FormatError as exc:
            action, turn.error = exc, str(exc)
        return turn, message, action

    @staticmethod
    def _collect_patch(sandbox: Sandbox, traj: Trajectory) -> None:
        """The patch is the sandbox's diff against the base commit, whatever the exit reason."""
        began = time.monotonic()
        try:
            traj.patch = sandbox.diff()
        except Exception as exc:  # a dead sandbox has no patch; keep the first reason
            if traj.exit_reason != "sandbox_error":
                traj.exit_detail = f"{traj.exit_reason}; then diff failed: {exc}".splitlines()[0]
                traj.exit_reason = "sandbox_error"
        traj.diff_seconds = time.monotonic() - began


def _tool_call(action: Action) -> dict:
    return {"id": action.call_id, "type": "function",
            "function": {"name": action.name, "arguments": json.dumps(action.params)}}
