"""The agent's tools (R2E-Gym's scaffold): file_editor, search, execute_bash, finish.

`TOOL_SPECS` is the one description of the tools: the text-format system prompt documents them
from it and native backends get it as `tools=`. `Toolbox.run` executes an action in a sandbox.
Mistakes the model can fix (a missing file, a non-unique `old_str`, a bad parameter) come back as
observations starting with "ERROR:"; only a failing sandbox raises (`SandboxFailure`).
"""

from __future__ import annotations

import json
import posixpath
import shlex
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from harness.agent.actions import Action
from harness.errors import BadInput, HarnessError
from harness.sandbox import ExecResult, Sandbox


def _tool(name: str, description: str, properties: dict, required: list[str]) -> dict:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {"type": "object", "properties": properties, "required": required},
        },
    }


TOOL_SPECS: tuple[dict, ...] = (
    _tool(
        "file_editor",
        "Custom editing tool for viewing, creating and editing files.\n"
        "* If `path` is a file, `view` displays the result of applying `cat -n`. If `path` is a "
        "directory, `view` lists non-hidden files and directories up to 2 levels deep.\n"
        "* The `create` command cannot be used if the specified `path` already exists.\n"
        "* If a command generates a long output, it will be truncated and marked.\n"
        "* The `undo_edit` command will revert the last edit made to the file at `path`.\n"
        "Notes for using the `str_replace` command:\n"
        "* The `old_str` parameter should match EXACTLY one or more consecutive lines from the "
        "original file. Be mindful of whitespaces!\n"
        "* If the `old_str` parameter is not unique in the file, the replacement will not be "
        "performed. Make sure to include enough context in `old_str` to make it unique.\n"
        "* The `new_str` parameter should contain the edited lines that should replace the `old_str`.",
        {
            "command": {
                "type": "string",
                "enum": ["view", "create", "str_replace", "insert", "undo_edit"],
                "description": "The command to run.",
            },
            "path": {
                "type": "string",
                "description": "Absolute path to a file or directory, e.g. `/testbed/file.py` or `/testbed`.",
            },
            "file_text": {
                "type": "string",
                "description": "Required for `create`: the content of the file to be created.",
            },
            "old_str": {
                "type": "string",
                "description": "Required for `str_replace`: the exact string in `path` to replace.",
            },
            "new_str": {
                "type": "string",
                "description": "Optional for `str_replace`: the replacement string (default: empty). "
                "Required for `insert`: the string to insert.",
            },
            "insert_line": {
                "type": "integer",
                "description": "Required for `insert`: `new_str` is inserted AFTER this line "
                "(0 inserts at the top).",
            },
            "view_range": {
                "type": "array",
                "items": {"type": "integer"},
                "description": "Optional for `view` of a file: the line range to show, e.g. [11, 12] shows "
                "lines 11 and 12; [start_line, -1] shows from start_line to the end. Lines start at 1.",
            },
        },
        ["command", "path"],
    ),
    _tool(
        "search",
        "Search for a term in a directory or a single file.\n"
        "* If `path` is a directory (default: the repository root), it recursively searches its "
        "text files (binary files and .git are skipped) for the exact term, not a regular expression.\n"
        "* If `path` is a file, it shows the numbered lines containing the term.\n"
        "* If more than 100 files match, it asks you to narrow the search.",
        {
            "search_term": {"type": "string", "description": "The exact text to search for."},
            "path": {
                "type": "string",
                "description": "The file or directory to search in (default: the repository root).",
            },
        },
        ["search_term"],
    ),
    _tool(
        "execute_bash",
        "Execute a bash command in the repository root.\n"
        "* Each call runs in a fresh shell: `cd` and exported variables do not carry over to the next call.\n"
        "* A command that runs past the time limit is killed; run long jobs in the background, e.g. "
        "`python3 app.py > app.log 2>&1 &`.\n"
        "* Long output is truncated; filter it, e.g. with `| tail -n 50` or `grep`.",
        {"command": {"type": "string", "description": "The command to run, e.g. `python3 reproduce.py`."}},
        ["command"],
    ),
    _tool(
        "finish",
        "Finish the interaction once the task is complete or if no further progress can be made. "
        "Your changes to the repository are your submission.",
        {"message": {"type": "string", "description": "A short summary of what you did."}},
        [],
    ),
)

_SPECS = {spec["function"]["name"]: spec["function"]["parameters"] for spec in TOOL_SPECS}
MAX_SEARCH_FILES = 100
_SNIPPET_LINES = 4  # context lines shown around an edit
_LINE_CHARS = 300  # a search hit's text is cut here (minified files)
_NL = "\n"


@dataclass(frozen=True)
class Observation:
    """What a tool returns to the model; `seconds` is the time spent in the sandbox."""

    text: str
    finished: bool = False
    seconds: float = 0.0


class SandboxFailure(HarnessError):
    """The sandbox itself failed (container gone, exec API error): the sample ends (sandbox_error)."""


class ToolError(Exception):
    """A mistake the model can fix; `Toolbox.run` returns it as an "ERROR: ..." observation."""


def truncate(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, keeping its head and tail around a marker."""
    if len(text) <= limit:
        return text
    marker_len = len(f"\n[... {len(text)} characters truncated ...]\n")
    keep = max(limit - marker_len, 0)
    head, tail = keep - keep // 2, keep // 2
    return f"{text[:head]}\n[... {len(text) - keep} characters truncated ...]\n{text[len(text) - tail :]}"


class Toolbox:
    """Runs actions in `sandbox`; relative paths are taken from `workdir`.

    Keeps the edit history of each path so `undo_edit` can step back through it.
    """

    def __init__(
        self, sandbox: Sandbox, workdir: str = "/testbed", command_timeout: float = 120.0,
        observation_limit: int = 16_000,
    ):
        self.sandbox = sandbox
        self.workdir = workdir.rstrip("/") or "/"
        self.command_timeout = command_timeout
        self.observation_limit = observation_limit
        self.history: dict[str, list[str | None]] = {}  # path -> earlier contents, None: did not exist

    def run(self, action: Action) -> Observation:
        start = time.monotonic()
        try:
            text, finished = self._dispatch(action), action.name == "finish"
        except ToolError as exc:
            text, finished = f"ERROR: {exc}", False
        return Observation(truncate(text, self.observation_limit), finished, time.monotonic() - start)

    def _dispatch(self, action: Action) -> str:
        if action.name not in _SPECS:
            raise ToolError(f"Unknown tool {action.name!r}. Available: {', '.join(_SPECS)}.")
        _check_params(action)
        p = action.params
        if action.name == "finish":
            return "Finished."
        if action.name == "execute_bash":
            return self._bash(p["command"])
        if action.name == "search":
            return self._search(p["search_term"], self._resolve(p.get("path") or self.workdir))
        editor: dict[str, Callable[[str, dict[str, str]], str]] = {
            "view": self._view, "create": self._create, "str_replace": self._str_replace,
            "insert": self._insert, "undo_edit": self._undo,
        }
        return editor[p["command"]](self._resolve(p["path"]), p)

    # ------------------------------------------------------------------ execute_bash, search

    def _bash(self, command: str) -> str:
        result = self._execute(f"cd {shlex.quote(self.workdir)} || exit 1\n{command}", self.command_timeout)
        output = result.output
        if result.timed_out:
            # the sandbox appends its own kill notice (parse_capped); the status line says it once
            seconds = f"{self.command_timeout:g} s"
            output = output.removesuffix(f"\n[... command killed after {seconds} timeout ...]")
            status = f"[Command timed out after {seconds} and was killed.]"
        else:
            status = f"[Exit code: {result.exit_code}]"
        body = output.rstrip("\n") if output.strip() else "(no output)"
        return f"{body}\n{status}"

    def _search(self, term: str, path: str) -> str:
        if not term:
            raise ToolError("search_term must not be empty.")
        kind, _ = self._stat(path)
        if kind not in ("file", "dir"):
            problem = "does not exist" if kind == "missing" else "is neither a file nor a directory"
            raise ToolError(f"The path {path} {problem}.")
        # -Z ends each file name with NUL, so names holding ':' still split cleanly
        result = self._execute(
            f"grep -rHnIFZ --exclude-dir=.git -e {shlex.quote(term)} -- {shlex.quote(path)} 2>/dev/null",
            self.command_timeout,
        )
        hits: dict[str, list[str]] = {}
        for line in result.output.splitlines():
            name, sep, rest = line.partition("\0")
            if sep:
                text = rest if len(rest) <= _LINE_CHARS else rest[:_LINE_CHARS] + " [...]"
                hits.setdefault(name, []).append(f"{name}:{text}")
        if len(hits) > MAX_SEARCH_FILES or (result.truncated_bytes and hits):
            return f'More than {MAX_SEARCH_FILES} files matched "{term}" in {path}. Please narrow the search.'
        if result.exit_code not in (0, 1) and not hits:
            raise ToolError(f"search in {path} failed (grep exit code {result.exit_code}).")
        if not hits:
            return f'No matches found for "{term}" in {path}.'
        count = sum(map(len, hits.values()))
        matches = f"{count} match" + ("es" if count > 1 else "")
        files = f" ({len(hits)} file{'s' if len(hits) > 1 else ''})" if kind == "dir" else ""
        head = f'Found {matches} for "{term}" in {path}{files}:'
        return "\n".join([head, *("\n".join(hits[name]) for name in sorted(hits))])

    # ------------------------------------------------------------------ file_editor

    def _view(self, path: str, p: dict[str, str]) -> str:
        kind, real = self._stat(path)
        if kind == "dir":
            if "view_range" in p:
                raise ToolError("view_range can only be used when path is a file.")
            listing = self._execute(
                f"find {shlex.quote(path)} -mindepth 1 -maxdepth 2 -name '.*' -prune"
                " -o -type d -printf '%p/\\n' -o -print | LC_ALL=C sort",
                self.command_timeout,
            )
            entries = listing.output.rstrip("\n") or "(empty directory)"
            return f"Files and directories up to 2 levels deep in {path}, hidden ones excluded:\n{entries}"
        text = self._read(path, kind, real)
        lines = _lines(text)
        first, last = 1, len(lines)
        if "view_range" in p:
            first, last = _view_range(p["view_range"], len(lines))
        return f"Here's the result of running `cat -n` on {path}:\n" + (
            _numbered(lines[first - 1 : last], first) if lines else "(empty file)"
        )

    def _create(self, path: str, p: dict[str, str]) -> str:
        text = _require(p, "file_text", "create")
        kind, _ = self._stat(path)
        if kind != "missing":
            raise ToolError(f"File already exists at: {path}. Cannot overwrite files using command `create`.")
        self._write(path, text)
        self.history.setdefault(path, []).append(None)
        return f"File created successfully at: {path}"

    def _str_replace(self, path: str, p: dict[str, str]) -> str:
        old, new = _require(p, "old_str", "str_replace"), p.get("new_str", "")
        if not old:
            raise ToolError("old_str must not be empty.")
        kind, real = self._stat(path)
        text = self._read(path, kind, real)
        count = text.count(old)
        if count == 0:
            raise ToolError(f"No replacement was performed: old_str does not occur verbatim in {path}.")
        if count > 1:
            at, starts = [], 0
            while (i := text.find(old, starts)) >= 0:
                at.append(text.count("\n", 0, i) + 1)
                starts = i + 1
            raise ToolError(
                f"No replacement was performed: old_str occurs {count} times in {path} (starting at lines "
                f"{', '.join(map(str, at))}). Include more context so that it is unique."
            )
        edited = text.replace(old, new)
        self._save(path, real, text, edited)
        line = text.count("\n", 0, text.index(old)) + 1
        return self._edited(path, edited, line, line + new.count("\n"))

    def _insert(self, path: str, p: dict[str, str]) -> str:
        new = _require(p, "new_str", "insert")
        after = _int(_require(p, "insert_line", "insert"), "insert_line")
        kind, real = self._stat(path)
        text = self._read(path, kind, real)
        lines = _lines(text)
        if not 0 <= after <= len(lines):
            raise ToolError(
                f"insert_line {after} is out of range: {path} has {len(lines)} lines (use 0 to {len(lines)})."
            )
        if after and not lines[after - 1].endswith("\n"):
            lines[after - 1] += "\n"
        block = new if new.endswith("\n") else new + "\n"
        edited = "".join(lines[:after]) + block + "".join(lines[after:])
        self._save(path, real, text, edited)
        return self._edited(path, edited, after + 1, after + len(_lines(block)))

    def _undo(self, path: str, p: dict[str, str]) -> str:
        if not self.history.get(path):
            raise ToolError(f"No edit history found for {path}.")
        previous = self.history[path].pop()
        if previous is None:
            self._execute(f"rm -f -- {shlex.quote(path)}", 60)
            return f"Last edit to {path} undone successfully: the file it created was removed."
        _, real = self._stat(path)
        self._write(real, previous)
        return f"Last edit to {path} undone successfully."

    def _edited(self, path: str, text: str, first: int, last: int) -> str:
        lines = _lines(text)
        lo, hi = max(first - _SNIPPET_LINES, 1), min(max(last, first) + _SNIPPET_LINES, len(lines))
        return (
            f"The file {path} has been edited. Here's the result of running `cat -n` on a snippet:\n"
            f"{_numbered(lines[lo - 1 : hi], lo)}\n"
            "Review the changes and make sure they are as expected. Edit the file again if necessary."
        )

    def _save(self, path: str, real: str, before: str, after: str) -> None:
        self._write(real, after)
        self.history.setdefault(path, []).append(before)

    # ------------------------------------------------------------------ paths and sandbox calls

    def _resolve(self, path: str) -> str:
        if not path.strip():
            raise ToolError("path must not be empty.")
        if path.startswith("/"):
            return posixpath.normpath(path)
        full = posixpath.normpath(posixpath.join(self.workdir, path))
        if posixpath.relpath(full, self.workdir).startswith(".."):
            raise ToolError(f"The relative path {path} leads outside {self.workdir}; use an absolute path.")
        return full

    def _stat(self, path: str) -> tuple[str, str]:
        """("file" | "dir" | "other" | "missing", the path with symlinks resolved).

        Tagged lines, so a shell's stray warnings (an image without the locale) do not matter.
        """
        q = shlex.quote(path)
        result = self._execute(
            f"if [ -d {q} ]; then k=dir; elif [ -f {q} ]; then k=file; elif [ -e {q} ]; then k=other; "
            f'else k=missing; fi; echo "__kind=$k"; echo "__real=$(readlink -f -- {q})"',
            60,
        )
        tags = dict(line.partition("=")[::2] for line in result.output.splitlines() if line.startswith("__"))
        if tags.get("__kind") not in ("file", "dir", "other", "missing"):
            raise SandboxFailure(f"the sandbox could not inspect {path}: {result.output.strip()[-200:]!r}")
        return tags["__kind"], tags.get("__real") or path

    def _read(self, path: str, kind: str, real: str) -> str:
        if kind == "missing":
            raise ToolError(f"The path {path} does not exist. Please provide a valid path.")
        if kind != "file":
            raise ToolError(f"The path {path} is not a regular file.")
        return self._call("read_file", self.sandbox.read_file, real)

    def _write(self, path: str, text: str) -> None:
        self._call("write_file", self.sandbox.write_file, path, text)

    def _execute(self, cmd: str, timeout: float) -> ExecResult:
        return self._call("execute", self.sandbox.execute, cmd, timeout)

    def _call(self, what: str, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return fn(*args)
        except (BadInput, UnicodeError) as exc:  # the local sandbox refuses paths outside its binds
            raise ToolError(f"{what} {args[0]} failed: {exc}") from exc
        except Exception as exc:
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise SandboxFailure(f"sandbox {what} failed: {type(exc).__name__}: {message}"[:500]) from exc


# ---------------------------------------------------------------------- parameters and lines


def _check_params(action: Action) -> None:
    spec = _SPECS[action.name]
    props = spec["properties"]
    unknown = sorted(set(action.params) - set(props))
    if unknown and action.name != "finish":  # finish also takes R2E-Gym's `command=submit`, `result`
        raise ToolError(
            f"Unknown parameter(s) {', '.join(unknown)} for {action.name}; it takes: {', '.join(props)}."
        )
    for key in spec["required"]:
        if key not in action.params:
            raise ToolError(f"Missing required parameter {key!r} for {action.name}.")
    for key, value in action.params.items():
        allowed = props.get(key, {}).get("enum")
        if allowed and value not in allowed:
            raise ToolError(f"Invalid {key} {value!r} for {action.name}; allowed: {', '.join(allowed)}.")


def _require(params: dict[str, str], key: str, command: str) -> str:
    if key not in params:
        raise ToolError(f"Parameter {key!r} is required for `{command}`.")
    return params[key]


def _int(raw: str, key: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ToolError(f"{key} must be an integer, not {raw!r}.") from None


def _view_range(raw: str, n: int) -> tuple[int, int]:
    try:
        bounds = json.loads(raw)
    except json.JSONDecodeError:
        bounds = raw.strip("[]() ").replace(",", " ").split()
    try:
        first, last = (int(b) for b in bounds)
    except (TypeError, ValueError):
        raise ToolError(f"view_range must be two integers like [11, 12], not {raw!r}.") from None
    if not 1 <= first <= max(n, 1) or (last != -1 and last < first):
        raise ToolError(
            f"Invalid view_range {raw!r}: the file has {n} lines; use [start, end] with "
            f"1 <= start <= {n} and end >= start or -1."
        )
    return first, n if last == -1 else min(last, n)


def _lines(text: str) -> list[str]:
    """Lines split on "\\n" only (as `cat -n` counts them), each keeping its newline."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _numbered(lines: list[str], first: int) -> str:
    return "\n".join(f"{n:6}\t{line.removesuffix(_NL)}" for n, line in enumerate(lines, first))
