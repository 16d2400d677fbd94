"""The Toolbox over a fake sandbox (a host folder): every file_editor command, search, execute_bash,
finish, truncation, undo chains, error observations and sandbox failures."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fakes import FakeSandbox

from harness.agent.actions import Action
from harness.agent.tools import TOOL_SPECS, SandboxFailure, Toolbox, truncate
from harness.errors import BadInput

SOURCE = "def f(x):\n    if x:\n        return 1\n    return 2\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "pkg" / "sub").mkdir(parents=True)
    (root / "pkg" / "sub" / "deep").mkdir()
    (root / "pkg" / "sub" / "deep" / "hidden_by_depth.py").write_text("x = 1\n")
    (root / "pkg" / "mod.py").write_text(SOURCE)
    (root / "pkg" / "sub" / "util.py").write_text("import mod\nmod.f(1)\n")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("return 1\n")
    (root / ".hidden").write_text("return 1\n")
    (root / "blob.bin").write_bytes(b"return 1\x00\x01")
    (root / "README.md").write_text("# repo\n")
    return root


@pytest.fixture
def box(repo: Path) -> Toolbox:
    return Toolbox(FakeSandbox(repo), workdir=str(repo), command_timeout=10)


def edit(command: str, path: str | Path, **params: str) -> Action:
    return Action("file_editor", {"command": command, "path": str(path), **params})


# ---------------------------------------------------------------------- file_editor view


def test_view_file_is_cat_n(box, repo):
    obs = box.run(edit("view", repo / "pkg/mod.py"))
    assert obs.text == (
        f"Here's the result of running `cat -n` on {repo}/pkg/mod.py:\n"
        "     1\tdef f(x):\n     2\t    if x:\n     3\t        return 1\n     4\t    return 2"
    )
    assert not obs.finished and obs.seconds > 0


@pytest.mark.parametrize(
    ("view_range", "numbers"),
    [("[2, 3]", [2, 3]), ("[3, -1]", [3, 4]), ("[4, 4]", [4]), ("[2, 99]", [2, 3, 4]), ("2 3", [2, 3])],
)
def test_view_range_is_inclusive(box, view_range, numbers):
    text = box.run(edit("view", "pkg/mod.py", view_range=view_range)).text
    assert [int(line.split("\t")[0]) for line in text.splitlines()[1:]] == numbers


@pytest.mark.parametrize("view_range", ["[0, 2]", "[5, 6]", "[3, 2]", "[1]", "lines 1 to 2", "[1, 2, 3]"])
def test_bad_view_range_is_an_error_observation(box, view_range):
    assert box.run(edit("view", "pkg/mod.py", view_range=view_range)).text.startswith("ERROR:")


def test_view_directory_lists_non_hidden_entries_two_levels_deep(box, repo):
    lines = box.run(edit("view", repo)).text.splitlines()
    assert lines[0] == f"Files and directories up to 2 levels deep in {repo}, hidden ones excluded:"
    assert lines[1:] == [
        f"{repo}/{name}"
        for name in ("README.md", "blob.bin", "pkg/", "pkg/mod.py", "pkg/sub/")
    ]


def test_view_of_an_empty_file_and_missing_paths(box, repo):
    (repo / "empty.py").write_text("")
    assert box.run(edit("view", "empty.py")).text.endswith("(empty file)")
    missing = box.run(edit("view", "nope.py")).text
    assert missing == f"ERROR: The path {repo}/nope.py does not exist. Please provide a valid path."


def test_relative_paths_resolve_in_workdir_and_may_not_leave_it(box, repo):
    text = box.run(edit("view", "pkg/../pkg/mod.py")).text
    assert text.startswith(f"Here's the result of running `cat -n` on {repo}/pkg/mod.py:")
    assert "leads outside" in box.run(edit("view", "../outside.py")).text


# ---------------------------------------------------------------------- create, str_replace, insert, undo


def test_create_writes_a_new_file_and_refuses_an_existing_one(box, repo):
    obs = box.run(edit("create", "new/dir/a.py", file_text="  x = 1\n"))
    assert obs.text == f"File created successfully at: {repo}/new/dir/a.py"
    assert (repo / "new/dir/a.py").read_text() == "  x = 1\n"
    again = box.run(edit("create", "new/dir/a.py", file_text="y"))
    assert again.text.startswith("ERROR: File already exists")
    assert (repo / "new/dir/a.py").read_text() == "  x = 1\n"
    assert box.run(edit("create", "pkg", file_text="y")).text.startswith("ERROR: File already exists")
    assert box.run(edit("create", "b.py")).text == "ERROR: Parameter 'file_text' is required for `create`."


def test_str_replace_edits_once_and_shows_a_numbered_snippet(box, repo):
    obs = box.run(edit("str_replace", "pkg/mod.py", old_str="    return 1\n", new_str="    return 10\n"))
    assert (repo / "pkg/mod.py").read_text() == SOURCE.replace("return 1\n", "return 10\n")
    assert obs.text.startswith(f"The file {repo}/pkg/mod.py has been edited.")
    assert "     3\t        return 10\n     4\t    return 2\n" in obs.text
    assert obs.text.endswith("Edit the file again if necessary.")


def test_str_replace_without_new_str_deletes(box, repo):
    box.run(edit("str_replace", "pkg/mod.py", old_str="    if x:\n        return 1\n"))
    assert (repo / "pkg/mod.py").read_text() == "def f(x):\n    return 2\n"


def test_str_replace_needs_a_unique_verbatim_old_str(box, repo):
    missing = box.run(edit("str_replace", "pkg/mod.py", old_str="return 3", new_str="x"))
    mod = f"{repo}/pkg/mod.py"
    assert missing.text == f"ERROR: No replacement was performed: old_str does not occur verbatim in {mod}."
    twice = box.run(edit("str_replace", "pkg/mod.py", old_str="return", new_str="yield"))
    assert twice.text.startswith("ERROR: No replacement was performed: old_str occurs 2 times")
    assert "lines 3, 4" in twice.text
    empty = box.run(edit("str_replace", "pkg/mod.py", old_str="", new_str="x"))
    assert empty.text == "ERROR: old_str must not be empty."
    assert box.run(edit("str_replace", "nope.py", old_str="a")).text.startswith("ERROR: The path")
    assert box.run(edit("str_replace", "pkg", old_str="a")).text.startswith("ERROR: The path")
    assert (repo / "pkg/mod.py").read_text() == SOURCE


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        ("0", "# top\ndef f(x):\n    if x:\n        return 1\n    return 2\n"),
        ("2", "def f(x):\n    if x:\n# top\n        return 1\n    return 2\n"),
        ("4", "def f(x):\n    if x:\n        return 1\n    return 2\n# top\n"),
    ],
)
def test_insert_after_a_line(box, repo, after, expected):
    obs = box.run(edit("insert", "pkg/mod.py", insert_line=after, new_str="# top"))
    assert (repo / "pkg/mod.py").read_text() == expected
    assert f"{int(after) + 1:6}\t# top" in obs.text


def test_insert_at_the_end_of_a_file_without_final_newline(box, repo):
    (repo / "x.py").write_text("a\nb")
    box.run(edit("insert", "x.py", insert_line="2", new_str="c\nd\n"))
    assert (repo / "x.py").read_text() == "a\nb\nc\nd\n"


@pytest.mark.parametrize(("after", "says"), [("5", "out of range"), ("-1", "of range"), ("2x", "integer")])
def test_insert_line_must_be_in_range(box, after, says):
    text = box.run(edit("insert", "pkg/mod.py", insert_line=after, new_str="x")).text
    assert text.startswith("ERROR:") and says in text


def test_undo_steps_back_through_the_history_of_a_path(box, repo):
    target = repo / "new.py"
    box.run(edit("create", target, file_text="one\n"))
    box.run(edit("str_replace", target, old_str="one", new_str="two"))
    box.run(edit("insert", target, insert_line="1", new_str="three"))
    assert target.read_text() == "two\nthree\n"
    assert box.run(edit("undo_edit", target)).text == f"Last edit to {target} undone successfully."
    assert target.read_text() == "two\n"
    box.run(edit("undo_edit", "new.py"))  # the same path, given relative
    assert target.read_text() == "one\n"
    assert "removed" in box.run(edit("undo_edit", target)).text
    assert not target.exists()
    assert box.run(edit("undo_edit", target)).text == f"ERROR: No edit history found for {target}."


def test_undo_is_per_path(box, repo):
    box.run(edit("str_replace", "pkg/mod.py", old_str="return 2", new_str="return 3"))
    (repo / "README.md").write_text("changed by bash\n")
    assert box.run(edit("undo_edit", "README.md")).text.startswith("ERROR: No edit history")
    box.run(edit("undo_edit", "pkg/mod.py"))
    assert (repo / "pkg/mod.py").read_text() == SOURCE


def test_edits_through_a_symlink_change_its_target(box, repo):
    (repo / "link.py").symlink_to(repo / "pkg/mod.py")
    box.run(edit("str_replace", "link.py", old_str="return 2", new_str="return 3"))
    assert (repo / "link.py").is_symlink() and "return 3" in (repo / "pkg/mod.py").read_text()


# ---------------------------------------------------------------------- search


def test_search_a_directory_groups_hits_by_file(box, repo):
    (repo / "pkg" / "b.py").write_text("x = 1  # return 1\n")
    obs = box.run(Action("search", {"search_term": "return 1"}))
    assert obs.text == (  # .git/config and the binary blob.bin are skipped, other dotfiles are not
        f'Found 3 matches for "return 1" in {repo} (3 files):\n'
        f"{repo}/.hidden:1:return 1\n"
        f"{repo}/pkg/b.py:1:x = 1  # return 1\n"
        f"{repo}/pkg/mod.py:3:        return 1"
    )


def test_search_a_file_is_a_fixed_string_search(box, repo):
    obs = box.run(Action("search", {"search_term": "f(", "path": "pkg/sub/util.py"}))
    util = f"{repo}/pkg/sub/util.py"
    assert obs.text == f'Found 1 match for "f(" in {util}:\n{util}:2:mod.f(1)'
    nothing = box.run(Action("search", {"search_term": "r.turn", "path": "pkg"}))
    assert nothing.text == f'No matches found for "r.turn" in {repo}/pkg.'


def test_search_asks_to_narrow_past_100_files(box, repo):
    many = repo / "many"
    many.mkdir()
    for i in range(101):
        (many / f"f{i}.py").write_text("needle\n")
    narrow = f'More than 100 files matched "needle" in {many}. Please narrow the search.'
    assert box.run(Action("search", {"search_term": "needle", "path": "many"})).text == narrow
    (many / "f100.py").unlink()
    text = box.run(Action("search", {"search_term": "needle", "path": "many"})).text
    assert text.startswith(f'Found 100 matches for "needle" in {many} (100 files):\n')


def test_search_errors(box):
    assert box.run(Action("search", {"search_term": "x", "path": "nope"})).text.startswith("ERROR: The path")
    assert box.run(Action("search", {"search_term": ""})).text == "ERROR: search_term must not be empty."


# ---------------------------------------------------------------------- execute_bash, finish, dispatch


def test_execute_bash_runs_in_workdir_and_reports_the_exit_code(box, repo):
    def bash(command: str) -> str:
        return box.run(Action("execute_bash", {"command": command})).text

    assert bash("pwd") == f"{repo}\n[Exit code: 0]"
    assert bash("echo oops >&2; exit 3") == "oops\n[Exit code: 3]"
    assert bash("true") == "(no output)\n[Exit code: 0]"


def test_execute_bash_timeout_kills_and_the_agent_goes_on(repo):
    box = Toolbox(FakeSandbox(repo), workdir=str(repo), command_timeout=1)
    start = time.monotonic()
    obs = box.run(Action("execute_bash", {"command": "echo started; sleep 30"}))
    assert time.monotonic() - start < 10 and not obs.finished
    assert obs.text == "started\n[Command timed out after 1 s and was killed.]"
    assert box.run(Action("execute_bash", {"command": "echo after"})).text == "after\n[Exit code: 0]"


def test_finish_ends_and_tolerates_r2e_style_parameters(box):
    assert box.run(Action("finish", {})).finished
    obs = box.run(Action("finish", {"command": "submit", "result": "done"}))
    assert obs.finished and obs.text == "Finished."


@pytest.mark.parametrize(
    ("action", "says"),
    [
        (Action("ls", {}), "Unknown tool 'ls'. Available: file_editor, search, execute_bash, finish."),
        (Action("execute_bash", {}), "Missing required parameter 'command' for execute_bash."),
        (Action("file_editor", {"command": "view"}), "Missing required parameter 'path' for file_editor."),
        (Action("file_editor", {"command": "rm", "path": "/x"}), "Invalid command 'rm' for file_editor"),
        (Action("execute_bash", {"command": "ls", "cmd": "ls"}), "Unknown parameter(s) cmd for execute_bash"),
        (Action("file_editor", {"command": "view", "path": " "}), "path must not be empty."),
    ],
)
def test_tool_level_mistakes_are_error_observations(box, action, says):
    obs = box.run(action)
    assert obs.text.startswith(f"ERROR: {says}") and not obs.finished


def test_tool_specs_are_openai_function_schemas():
    names = [spec["function"]["name"] for spec in TOOL_SPECS]
    assert names == ["file_editor", "search", "execute_bash", "finish"]
    for spec in TOOL_SPECS:
        params = spec["function"]["parameters"]
        assert spec["type"] == "function" and params["type"] == "object"
        assert set(params["required"]) <= set(params["properties"])
        assert all(p["description"] for p in params["properties"].values())


# ---------------------------------------------------------------------- truncation, sandbox failures


def test_truncate_keeps_head_and_tail_within_the_limit():
    assert truncate("short", 10) == "short"
    text = "".join(f"{i:05d}\n" for i in range(2000))  # 12000 characters
    marker = "\n[... 11038 characters truncated ...]\n"  # 1000 - 38 characters kept
    assert truncate(text, 1000) == text[:481] + marker + text[-481:]
    assert len(truncate(text, 10)) <= len(marker)


def test_observations_are_truncated(repo):
    box = Toolbox(FakeSandbox(repo), workdir=str(repo), observation_limit=300)
    obs = box.run(Action("execute_bash", {"command": "seq 1 10000"}))
    assert len(obs.text) <= 300 and "characters truncated ...]" in obs.text
    assert obs.text.startswith("1\n2\n") and obs.text.endswith("10000\n[Exit code: 0]")


@pytest.mark.parametrize(
    ("fail", "action"),
    [
        ("execute", Action("execute_bash", {"command": "ls"})),
        ("execute", edit("view", "pkg/mod.py")),
        ("read_file", edit("view", "pkg/mod.py")),
        ("write_file", edit("create", "new.py", file_text="x")),
        ("write_file", edit("str_replace", "pkg/mod.py", old_str="return 2", new_str="return 3")),
    ],
)
def test_a_failing_sandbox_raises_sandbox_failure(repo, fail, action):
    box = Toolbox(FakeSandbox(repo, fail=(fail,)), workdir=str(repo))
    with pytest.raises(SandboxFailure) as info:
        box.run(action)
    assert str(info.value) == f"sandbox {fail} failed: RuntimeError: container gone during {fail}"


def test_a_path_the_sandbox_refuses_is_an_error_observation(repo, monkeypatch):
    sandbox = FakeSandbox(repo)

    def refuse(path: str) -> str:
        raise BadInput(f"the local sandbox can only touch /testbed and /tmp, not {path}")

    monkeypatch.setattr(sandbox, "read_file", refuse)
    obs = Toolbox(sandbox, workdir=str(repo)).run(edit("view", "pkg/mod.py"))
    assert obs.text.startswith("ERROR: read_file") and "can only touch" in obs.text
