"""Actions: one tool call per model turn, parsed from R2E-Gym's text format or from native tool calls.

Text format (the released work's scaffold):

    <function=NAME>
    <parameter=KEY>VALUE</parameter>
    </function>

Text before the block is the model's thought. A VALUE runs to the first `</parameter>`, so it may
hold any other text (`<`, `</function>`, code); exactly one newline after the opening tag and one
before the closing tag are dropped, the rest is kept as written, indentation included.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

_OPEN = re.compile(r"<function=([^>\n]*)>")
_PARAM = re.compile(r"\s*<parameter=([^>\n]*)>")
_PARAM_END, _END = "</parameter>", "</function>"


@dataclass(frozen=True)
class Action:
    """A tool call: `name` and its string `params`; `call_id` ties a native call to its result."""

    name: str
    params: dict[str, str]
    call_id: str | None = None


class FormatError(Exception):
    """The model's turn holds no usable tool call; the message is shown to the model."""


def parse_text(text: str) -> Action:
    """The first complete `<function=NAME>...</function>` block of `text`.

    A block whose `</function>` is missing still counts when nothing but whitespace follows it:
    a backend that stops on the stop string `</function>` leaves it out.
    """
    errors = []
    for opening in _OPEN.finditer(text):
        try:
            return _parse_block(text, opening)
        except FormatError as exc:
            errors.append(exc)
    if errors:
        raise errors[0]
    raise FormatError("No function call found. End your response with one <function=NAME>...</function>.")


def _parse_block(text: str, opening: re.Match[str]) -> Action:
    name = opening.group(1).strip()
    if not name:
        raise FormatError(f"The function name is empty in {opening.group(0)!r}; write <function=NAME>.")
    params: dict[str, str] = {}
    pos = opening.end()
    while match := _PARAM.match(text, pos):
        key = match.group(1).strip()
        if not key:
            raise FormatError(f"A parameter name of {name} is empty; write <parameter=KEY>VALUE</parameter>.")
        if key in params:
            raise FormatError(f"Parameter {key!r} is given twice in the call to {name}; give it once.")
        close = text.find(_PARAM_END, match.end())
        if close < 0:
            raise FormatError(f"Parameter {key!r} of {name} is not closed: end its value with {_PARAM_END}.")
        params[key] = _strip_one_newline(text[match.end() : close])
        pos = close + len(_PARAM_END)
    rest = text[pos:].lstrip()
    if rest.startswith(_END) or not rest:
        return Action(name, params)
    raise FormatError(
        f"Unexpected text inside the call to {name}: {rest[:60]!r}. Inside <function=...> put only "
        f"<parameter=KEY>VALUE</parameter> lines, then close the call with {_END}."
    )


def _strip_one_newline(value: str) -> str:
    value = value[1:] if value.startswith("\n") else value
    return value[:-1] if value.endswith("\n") else value


def render_text(action: Action) -> str:
    """The canonical text of `action`, one parameter per line; `parse_text` reads it back exactly.

    A value with a newline goes on lines of its own (the newlines around it are the ones
    `parse_text` drops). A value holding `</parameter>` has no text form: ValueError.
    """
    lines = [f"<function={action.name}>"]
    for key, value in action.params.items():
        if _PARAM_END in value:
            raise ValueError(f"parameter {key!r} of {action.name} holds {_PARAM_END}: no text form")
        body = f"\n{value}\n" if "\n" in value else value
        lines.append(f"<parameter={key}>{body}{_PARAM_END}")
    lines.append(_END)
    return "\n".join(lines)


def parse_native(tool_calls: Sequence[dict]) -> Action:
    """The first of a backend's tool calls `[{"id", "name", "arguments": dict}]`.

    `arguments == {"__raw__": text}` marks JSON the backend could not decode. Values become
    strings as the text format would carry them: lists and dicts as JSON, numbers with str();
    null values are dropped (an optional parameter left out).
    """
    if not tool_calls:
        raise FormatError("No tool call found. Call exactly one of the tools.")
    call = tool_calls[0]
    name = str(call.get("name") or "").strip()
    if not name:
        raise FormatError("The tool call has no function name. Call exactly one of the tools.")
    arguments = call.get("arguments")
    if isinstance(arguments, dict) and set(arguments) == {"__raw__"}:
        raise FormatError(
            f"The arguments of the call to {name} are not valid JSON: {str(arguments['__raw__'])[:200]!r}. "
            "Pass the arguments as one JSON object."
        )
    if not isinstance(arguments, dict):
        raise FormatError(f"The arguments of the call to {name} must be a JSON object, not {arguments!r:.80}")
    params = {
        str(k): v if isinstance(v, str) else json.dumps(v) if isinstance(v, (list, dict)) else str(v)
        for k, v in arguments.items()
        if v is not None
    }
    return Action(name, params, call_id=call.get("id"))


def recorded_actions(messages: Sequence[dict]) -> list[Action]:
    """The actions a stored conversation's assistant turns called (either format), unparseable
    turns skipped: what signals read back from a trajectory file."""
    found = []
    for message in messages:
        if message.get("role") != "assistant":
            continue
        try:
            if message.get("tool_calls"):
                fn = message["tool_calls"][0]["function"]
                found.append(parse_native([{"name": fn["name"], "arguments": json.loads(fn["arguments"])}]))
            else:
                found.append(parse_text(message.get("content") or ""))
        except (FormatError, ValueError, KeyError, TypeError):
            continue
    return found
