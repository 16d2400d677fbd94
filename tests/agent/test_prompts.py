"""Prompt templates: both action formats render, the text system prompt documents every tool of
TOOL_SPECS and the call format, the instance prompt reads only public fields, a user's folder
overrides a template."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.agent.actions import Action, FormatError, parse_text
from harness.agent.prompts import Prompts
from harness.agent.tools import TOOL_SPECS, Observation
from harness.benchmarks.swe_mini import SWE_MINI
from harness.errors import BadInput


@pytest.fixture(scope="module")
def instance():
    return SWE_MINI.load("test", ["swe-mini__cronex-2"])[0].public_view()


def test_text_system_prompt_documents_every_tool_and_the_format():
    message = Prompts("text").system(TOOL_SPECS)
    content = message["content"]
    assert message["role"] == "system"
    for n, spec in enumerate(TOOL_SPECS, 1):
        function = spec["function"]
        assert f"–– BEGIN FUNCTION #{n}: {function['name']} ––" in content
        assert function["description"] in content
        for name, param in function["parameters"]["properties"].items():
            required = "required" if name in function["parameters"]["required"] else "optional"
            assert f"{name} ({param['type']}, {required})\n  " in content
            assert param["description"] in content
    assert "Allowed values: [view, create, str_replace, insert, undo_edit]" in content
    example = content[content.index("For example") :].split("\n\n")[1]
    assert parse_text(example) == Action("file_editor", {"command": "view", "path": "/testbed"})


def test_native_system_prompt_leaves_the_format_to_the_tools_argument():
    content = Prompts("native").system(TOOL_SPECS)["content"]
    assert "<function=" not in content and "BEGIN FUNCTION" not in content and "tool call" in content


@pytest.mark.parametrize("action_format", ["text", "native"])
def test_instance_prompt_carries_the_issue_and_the_workdir(instance, action_format):
    message = Prompts(action_format).instance(instance)
    assert message["role"] == "user"
    assert instance.problem_statement.strip() in message["content"]
    assert "/testbed directory" in message["content"] and "non-test files" in message["content"]
    assert "`finish`" in message["content"] and "reproduce" in message["content"]


def test_observations_are_user_messages_in_text_and_tool_messages_natively():
    obs = Observation("     1\tx = 1\n")
    assert Prompts("text").observation(Action("file_editor", {}), obs) == {
        "role": "user", "content": "Execution output of [file_editor]:\n     1\tx = 1\n",
    }
    assert Prompts("native").observation(Action("search", {}, call_id="call_7"), obs) == {
        "role": "tool", "tool_call_id": "call_7", "name": "search", "content": "     1\tx = 1\n",
    }
    with pytest.raises(ValueError, match="call id"):
        Prompts("native").observation(Action("search", {}), obs)


@pytest.mark.parametrize(("action_format", "says"), [("text", "<function=NAME>"), ("native", "JSON object")])
def test_format_error_shows_the_error_and_the_expected_format(action_format, says):
    message = Prompts(action_format).format_error(FormatError("No function call found."))
    assert message["role"] == "user"
    assert message["content"].startswith("ERROR: No function call found.\n") and says in message["content"]


def test_a_template_dir_overrides_some_templates_and_keeps_the_rest(tmp_path: Path, instance):
    (tmp_path / "instance.jinja").write_text("Fix {{ repo }} in {{ workdir }}: {{ problem_statement[2:8] }}")
    prompts = Prompts("text", template_dir=tmp_path)
    assert prompts.instance(instance)["content"] == 'Fix swe-mini/cronex in /testbed: "Frida'
    assert "BEGIN FUNCTION #1" in prompts.system(TOOL_SPECS)["content"]


def test_templates_are_strict_and_hidden_fields_stay_hidden(tmp_path: Path, instance):
    (tmp_path / "instance.jinja").write_text("{{ patch }}")
    with pytest.raises(Exception, match="'patch' is undefined"):
        Prompts(template_dir=tmp_path).instance(instance)
    with pytest.raises(PermissionError):
        instance.patch  # noqa: B018


def test_bad_settings_are_bad_input(tmp_path: Path):
    with pytest.raises(BadInput, match="action format"):
        Prompts("json")
    with pytest.raises(BadInput, match="does not exist"):
        Prompts(template_dir=tmp_path / "missing")
