"""The reproduction scripts an agent wrote during its trajectory (the prompt asks for
`reproduce_issue.py`), read back from its recorded actions, so a script the agent deleted before
finishing still counts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath

from harness.agent.actions import recorded_actions

_SCRIPT = re.compile(r"^(repro|reproduce|reproduction)[\w-]*\.py$", re.IGNORECASE)


def reproduction_scripts(messages: Sequence[dict]) -> dict[str, str]:
    """path -> final content of each reproduction script created with `file_editor`, with its later
    `str_replace` edits replayed (other edits are rare on these scripts and are not replayed)."""
    scripts: dict[str, str] = {}
    for action in recorded_actions(messages):
        path, params = action.params.get("path", ""), action.params
        if action.name != "file_editor" or not _SCRIPT.match(PurePosixPath(path).name):
            continue
        if params.get("command") == "create":
            scripts[path] = params.get("file_text", "")
        elif params.get("command") == "str_replace" and params.get("old_str", "") in scripts.get(path, ""):
            scripts[path] = scripts[path].replace(params["old_str"], params.get("new_str", ""), 1)
    return scripts
