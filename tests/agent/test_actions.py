"""The action parsers: R2E-Gym's text format (parse/render round trips, every FormatError) and
native tool calls."""

from __future__ import annotations

import random

import pytest

from harness.agent.actions import Action, FormatError, parse_native, parse_text, render_text


def test_parse_text_reads_name_params_and_ignores_the_thought():
    text = (
        "Let me look at the file first.\n\n"
        "<function=file_editor>\n<parameter=command>view</parameter>\n"
        "<parameter=path>/testbed/a.py</parameter>\n</function>"
    )
    assert parse_text(text) == Action("file_editor", {"command": "view", "path": "/testbed/a.py"})


def test_values_lose_exactly_one_newline_on_each_side_and_keep_indentation():
    text = (
        "<function=file_editor>\n<parameter=command>str_replace</parameter>\n"
        "<parameter=old_str>\n    if x:\n        return 1\n\n</parameter>\n"
        "<parameter=new_str>\n\n  two blank-led\n</parameter>\n</function>"
    )
    params = parse_text(text).params
    assert params["old_str"] == "    if x:\n        return 1\n"
    assert params["new_str"] == "\n  two blank-led"


def test_values_may_hold_tags_other_than_the_closing_one():
    text = (
        "<function=file_editor>\n<parameter=file_text>a < b\n</function> <function=x>\n"
        "<parameter=k>v</parameter>\n</function>"
    )
    action = parse_text(text)
    assert action.params == {"file_text": "a < b\n</function> <function=x>\n<parameter=k>v"}


def test_the_first_complete_block_wins():
    text = (
        "I could call <function=search> here, but first:\n"
        "<function=execute_bash><parameter=command>ls</parameter></function>\n"
        "<function=finish></function>"
    )
    assert parse_text(text) == Action("execute_bash", {"command": "ls"})


@pytest.mark.parametrize("ending", ["", "\n", "  \n\n"])
def test_a_missing_closing_function_tag_is_tolerated_at_the_end(ending):
    text = "thinking\n<function=execute_bash>\n<parameter=command>pytest -q</parameter>" + ending
    assert parse_text(text) == Action("execute_bash", {"command": "pytest -q"})
    assert parse_text("<function=finish>\n") == Action("finish", {})


def test_names_and_keys_are_stripped():
    assert parse_text("<function= search ><parameter= search_term >x</parameter></function>") == Action(
        "search", {"search_term": "x"}
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("I think the fix is done.", "No function call found"),
        ("<function>\n</function>", "No function call found"),
        ("<function=>\n<parameter=a>1</parameter>\n</function>", "function name is empty"),
        ("<function=  >\n</function>", "function name is empty"),
        ("<function=f>\n<parameter=a>1</parameter>\n<parameter=a>2</parameter>\n</function>", "given twice"),
        ("<function=f>\n<parameter=>1</parameter>\n</function>", "parameter name of f is empty"),
        ("<function=f>\n<parameter=a>1\n</function>", "not closed"),
        ("<function=f>\n<parameter=a>1</parameter>\nand then\n</function>", "Unexpected text"),
        ("<function=f>\n<parameter=a>1</parameter> trailing words", "Unexpected text"),
    ],
)
def test_format_errors_say_what_is_wrong(text, says):
    with pytest.raises(FormatError, match=says):
        parse_text(text)


def test_the_first_blocks_error_is_reported_when_none_parses():
    with pytest.raises(FormatError, match="given twice"):
        parse_text("<function=f><parameter=a>1</parameter><parameter=a>2</parameter></function> <function=>")


def test_render_text_is_canonical():
    action = Action("file_editor", {"command": "view", "path": "/testbed", "new_str": "a\nb"})
    assert render_text(action) == (
        "<function=file_editor>\n<parameter=command>view</parameter>\n"
        "<parameter=path>/testbed</parameter>\n<parameter=new_str>\na\nb\n</parameter>\n</function>"
    )
    assert render_text(Action("finish", {})) == "<function=finish>\n</function>"


ROUND_TRIP_VALUES = [
    "",
    " ",
    "\n",
    "\n\n",
    "x\n",
    "\nx",
    "    indented = 1\n        deeper\n",
    "a < b > c </function> <function=f> <parameter=k>",
    "\ttab\r\nwindows line\n",
    "ends with spaces   ",
    "ünïcödé ✓",
]


@pytest.mark.parametrize("value", ROUND_TRIP_VALUES)
def test_render_then_parse_is_the_identity(value):
    action = Action("file_editor", {"command": "create", "file_text": value, "path": value.strip()[:5]})
    assert parse_text(render_text(action)) == action


def test_round_trip_on_random_values():
    rng = random.Random(0)
    alphabet = ["a", "b", " ", "  ", "\n", "\t", "<", ">", "/", "=", "<parameter=x>", "</function>", "é"]
    for _ in range(500):
        params = {
            f"k{i}": "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
            for i in range(rng.randrange(0, 4))
        }
        action = Action(rng.choice(["file_editor", "search", "finish"]), params)
        assert parse_text("thought\n" + render_text(action)) == action


def test_render_refuses_a_value_holding_the_closing_tag():
    with pytest.raises(ValueError, match="no text form"):
        render_text(Action("file_editor", {"file_text": "x</parameter>y"}))


def test_parse_native_takes_the_first_call_and_stringifies_values():
    calls = [
        {"id": "call_1", "name": "file_editor",
         "arguments": {"command": "view", "path": "/testbed/a.py", "view_range": [1, 5], "insert_line": 3,
                       "new_str": None}},
        {"id": "call_2", "name": "finish", "arguments": {}},
    ]
    assert parse_native(calls) == Action(
        "file_editor",
        {"command": "view", "path": "/testbed/a.py", "view_range": "[1, 5]", "insert_line": "3"},
        call_id="call_1",
    )


@pytest.mark.parametrize(
    ("calls", "says"),
    [
        ([], "No tool call"),
        ([{"id": "c", "name": "", "arguments": {}}], "no function name"),
        ([{"id": "c", "name": "search", "arguments": {"__raw__": '{"search_term": "x"'}}], "not valid JSON"),
        ([{"id": "c", "name": "search", "arguments": ["x"]}], "must be a JSON object"),
    ],
)
def test_parse_native_format_errors(calls, says):
    with pytest.raises(FormatError, match=says):
        parse_native(calls)
