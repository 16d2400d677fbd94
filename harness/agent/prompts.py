"""Prompts: the agent's messages, rendered from Jinja templates in `templates/` (or a user's folder).

Four templates, each rendered with `action_format` ("text" or "native"): `system.jinja` (for "text"
it documents every tool of TOOL_SPECS and the call format, R2E-Gym style), `instance.jinja` (the
issue), `observation.jinja` (a tool's result) and `format_error.jinja` (an unparseable turn).
Style "compact" (for small models: short tool documentation and task text, same tools and call
format) takes `templates/compact/` first. A user's `template_dir` overrides any of them by file name;
the rest come from `templates/`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jinja2

from harness.agent.actions import Action, FormatError
from harness.agent.tools import Observation
from harness.errors import BadInput
from harness.records import PublicInstance

TEMPLATES = Path(__file__).parent / "templates"
ACTION_FORMATS = ("text", "native")
STYLES = ("full", "compact")


class Prompts:
    def __init__(self, action_format: str = "text", template_dir: Path | None = None, style: str = "full"):
        if action_format not in ACTION_FORMATS:
            raise BadInput(f"unknown action format {action_format!r}; use one of {', '.join(ACTION_FORMATS)}")
        if style not in STYLES:
            raise BadInput(f"unknown prompt style {style!r}; use one of {', '.join(STYLES)}")
        if template_dir is not None and not Path(template_dir).is_dir():
            raise BadInput(f"template folder {template_dir} does not exist")
        self.action_format = action_format
        folders = [Path(template_dir)] if template_dir is not None else []
        folders += [TEMPLATES / "compact"] if style == "compact" else []
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([*folders, TEMPLATES]),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,
        )

    def render(self, name: str, **context: object) -> str:
        return self.env.get_template(name).render(action_format=self.action_format, **context)

    def system(self, tools: Sequence[dict]) -> dict:
        return {"role": "system", "content": self.render("system.jinja", tools=list(tools)).strip()}

    def instance(self, instance: PublicInstance) -> dict:
        """The task; only public fields reach the template (hidden ones raise PermissionError)."""
        content = self.render(
            "instance.jinja", problem_statement=instance.problem_statement.strip(),
            workdir=instance.workdir, repo=instance.repo,
        )
        return {"role": "user", "content": content.strip()}

    def observation(self, action: Action, obs: Observation) -> dict:
        content = self.render("observation.jinja", tool=action.name, text=obs.text)
        if self.action_format == "text":
            return {"role": "user", "content": content}
        if action.call_id is None:
            raise ValueError(f"a native observation needs the call id of its action ({action.name})")
        return {"role": "tool", "tool_call_id": action.call_id, "name": action.name, "content": content}

    def format_error(self, error: FormatError) -> dict:
        return {"role": "user", "content": self.render("format_error.jinja", error=str(error)).strip()}
