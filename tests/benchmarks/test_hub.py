"""Hub and local-file benchmarks: each adapter on hand-written rows, LocalFile, offline errors."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from pathlib import Path

import datasets
import huggingface_hub
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from swebench.harness.constants import END_TEST_OUTPUT, START_TEST_OUTPUT, TEST_EXIT_CODE_VAR
from swebench.harness.grading import get_logs_eval
from swebench.harness.utils import make_test_spec

from harness import registry
from harness.benchmarks import get_benchmark
from harness.benchmarks.hub import (
    R2E_EVAL_SCRIPT,
    R2E_GYM,
    R2E_SUMMARY_AWK,
    SWE_GYM,
    SWE_SMITH,
    SWEBENCH_LITE,
    SWEBENCH_VERIFIED,
    HubBenchmark,
    LocalFile,
    r2e_fix_patch,
)
from harness.errors import BadInput, HarnessError
from harness.patches import reverse_patch
from harness.records import Instance

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    """No network, and an empty Hugging Face cache, for every test here."""
    cache = tmp_path / "hf"
    env = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "HF_HOME": str(cache)}
    env |= {"HF_DATASETS_CACHE": str(cache / "datasets"), "HF_HUB_CACHE": str(cache / "hub")}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # datasets and huggingface_hub read those variables once, at import: set their copies too
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", True)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", cache / "datasets")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(cache / "hub"))


def fixture_rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (FIXTURES / name).read_text().splitlines()]


@pytest.fixture(params=["jsonl", "parquet"])
def rows_via(request, tmp_path):
    """The fixture rows as read back from a .jsonl or from a .parquet written from them."""

    def read(name: str) -> list[dict]:
        rows = fixture_rows(name)
        if request.param == "jsonl":
            return rows
        pq.write_table(pa.Table.from_pylist(rows), tmp_path / "rows.parquet")
        return pq.read_table(tmp_path / "rows.parquet").to_pylist()

    return read


def by_id(instances: list[Instance]) -> dict[str, Instance]:
    return {i.instance_id: i for i in instances}


def assert_official_spec(instance: Instance) -> None:
    """The instance passes swebench's make_test_spec, and its script brackets the test output."""
    spec = make_test_spec(instance.to_swebench())
    script = spec.eval_script
    assert script.startswith("#!/bin/bash\nset -uxo pipefail\n")
    start, end = script.index(f": '{START_TEST_OUTPUT}'"), script.index(f": '{END_TEST_OUTPUT}'")
    assert start < script.index(f"{TEST_EXIT_CODE_VAR}=$?") < end
    assert spec.FAIL_TO_PASS == list(instance.FAIL_TO_PASS)


def test_swebench_classic_rows_get_derived_5x_fields(rows_via):
    instances = by_id(SWEBENCH_VERIFIED.from_rows(rows_via("swebench.jsonl")))
    django, astropy = instances["django__django-11099"], instances["astropy__astropy-12907"]

    assert django.image == "swebench/sweb.eval.x86_64.django_1776_django-11099:latest"
    assert astropy.image == "swebench/sweb.eval.x86_64.astropy_1776_astropy-12907:latest"
    assert (django.log_parser, astropy.log_parser) == ("parse_log_django", "parse_log_pytest_v2")
    assert django.eval_type == astropy.eval_type == "pass_and_fail"
    assert django.FAIL_TO_PASS == (
        "test_ascii_validator (auth_tests.test_validators.UsernameValidatorsTests)",
        "test_unicode_validator (auth_tests.test_validators.UsernameValidatorsTests)",
    )
    assert astropy.PASS_TO_PASS == (
        "astropy/modeling/tests/test_separable.py::test_coord_matrix",
        "astropy/modeling/tests/test_separable.py::test_cdot",
    )
    assert (django.split, django.benchmark, django.version) == ("test", "swebench-verified", "3.0")

    base = django.base_commit
    lines = django.eval_script.splitlines()
    assert lines[2:5] == [
        "source /opt/miniconda3/bin/activate", "conda activate testbed", "cd /testbed"
    ]
    assert lines.count(f"git checkout {base} -- tests/auth_tests/test_validators.py") == 2
    assert (
        "./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1 "
        "auth_tests.test_validators" in lines
    )
    script = astropy.eval_script
    assert script.count("rm -f astropy/modeling/tests/data/separable_nested.json") == 2
    assert "\npytest -rA astropy/modeling/tests/test_separable.py\n" in script  # no .json
    for instance in (django, astropy):
        assert instance.test_patch.splitlines()[0] in instance.eval_script
        assert_official_spec(instance)


def test_swebench_rows_in_the_5x_schema_keep_their_fields():
    row = fixture_rows("swebench.jsonl")[0] | {
        "image": "registry.local/django-11099:v2",
        "eval_script": f"#!/bin/bash\n: '{START_TEST_OUTPUT}'\nrun\n: '{END_TEST_OUTPUT}'\n",
        "log_parser": "parse_log_pytest",
        "eval_type": "fail_only",
    }
    [instance] = SWEBENCH_LITE.from_rows([row])
    assert (instance.image, instance.eval_script) == (row["image"], row["eval_script"])
    assert (instance.log_parser, instance.eval_type) == ("parse_log_pytest", "fail_only")
    assert instance.benchmark == "swebench-lite"


def test_swegym_rows_use_swegym_images_and_test_commands(rows_via):
    instances = by_id(SWE_GYM.from_rows(rows_via("swegym.jsonl")))
    monai, mypy = instances["Project-MONAI__MONAI-3715"], instances["python__mypy-11567"]

    assert monai.image == "xingyaoww/sweb.eval.x86_64.project-monai_s_monai-3715:latest"
    assert mypy.image == "xingyaoww/sweb.eval.x86_64.python_s_mypy-11567:latest"
    assert monai.log_parser == mypy.log_parser == "parse_log_pytest"
    assert monai.FAIL_TO_PASS == ("tests/test_print_info.py::TestPrintInfo::test_print_info",)
    assert (monai.split, monai.benchmark) == ("train", "swe-gym")
    assert "\npytest -rA tests/test_print_info.py\n" in monai.eval_script
    assert (
        "\npytest -n0 -rA -k 'testDataclassFieldWithKwOnly or testDataclassKwOnlyDefault'\n"
        in mypy.eval_script
    )
    for instance in (monai, mypy):
        assert "conda activate testbed\ncd /testbed\n" in instance.eval_script
        assert_official_spec(instance)


def test_swesmith_rows_use_image_name_and_reverse_the_bug_patch(rows_via):
    raw = {row["instance_id"]: row for row in fixture_rows("swesmith.jsonl")}
    instances = by_id(SWE_SMITH.from_rows(rows_via("swesmith.jsonl")))
    oauth = instances["oauthlib__oauthlib.1fd52536.combine_file__09vlzwgc"]

    assert oauth.image == "swebench/swesmith.x86_64.oauthlib_1776_oauthlib.1fd52536"
    assert oauth.repo == "swesmith/oauthlib__oauthlib.1fd52536"
    assert oauth.base_commit == raw[oauth.instance_id]["base_commit"]
    assert oauth.log_parser == "parse_log_pytest"
    assert oauth.PASS_TO_PASS == ("tests/test_common.py::ParameterTests::test_extract_params_dict",)
    assert oauth.patch == reverse_patch(raw[oauth.instance_id]["patch"])
    assert "+        fra = add_params_to_qs(fra, params)\n" in oauth.patch  # the fix, not the bug
    assert oauth.test_patch == ""
    files = "tests/oauth2/rfc6749/test_parameters.py tests/test_common.py"
    assert f"\ngit checkout HEAD~1 -- {files}\n" in oauth.eval_script  # the "Bug Patch" commit
    test_line = f"pytest --disable-warnings --color=no --tb=no --verbose -rA {files}"
    assert f": '{START_TEST_OUTPUT}'\n{test_line}\n: '{END_TEST_OUTPUT}'" in oauth.eval_script
    for instance in instances.values():
        assert_official_spec(instance)


def test_r2e_rows_map_expected_outputs_to_fail_to_pass(rows_via):
    instances = R2E_GYM.from_rows(rows_via("r2e_gym.jsonl"))
    aiohttp, pandas = instances
    new = "f0d74880deec8fcd982bce639c93c5e130d41198"

    assert aiohttp.instance_id == f"aiohttp__{new}"
    assert aiohttp.image == f"namanjain12/aiohttp_final:{new}"
    assert aiohttp.base_commit == "9c3e5b2a77c14f1d0b6e8a2f4c6d8e0a1b3c5d7e"
    assert aiohttp.problem_statement.strip().startswith("Title: ClientSession.close()")
    assert pandas.problem_statement == "Series repr shows nan as None for object dtype"
    assert aiohttp.FAIL_TO_PASS == (
        "TestClientSession.test_close",
        "TestClientSession.test_reraise",
        "test_plain",
    )
    assert (aiohttp.PASS_TO_PASS, aiohttp.patch, aiohttp.test_patch) == ((), "", "")
    assert (aiohttp.log_parser, aiohttp.workdir, aiohttp.benchmark) == (
        "parse_log_pytest", "/testbed", "r2e-gym",
    )
    assert "\nbash run_tests.sh > /tmp/r2e_test_output.txt 2>&1; rc=$?\n" in aiohttp.eval_script
    for instance in instances:
        assert_official_spec(instance)


def r2e_hunk(old: tuple[int, int], new: tuple[int, int], lines: list[tuple[str, str]],
             section: str = "") -> dict:
    return {"descriptor": {"old_range": {"start": old[0], "length": old[1]},
                           "new_range": {"start": new[0], "length": new[1]}, "section": section},
            "line_group": {"all_lines": [{"content": c, "type": t} for t, c in lines]}}


def r2e_file(path: str, hunks: list[dict], old_content: str = "x") -> dict:
    return {"old_file_content": old_content, "new_file_content": "y", "header": {"file": {"path": path}},
            "hunks": hunks}


def test_r2e_gold_patch_is_rendered_from_the_parsed_commits_source_files():
    """Test files (R2E-Gym's rule) are left out; a new file comes from /dev/null."""
    commit = {"file_diffs": [
        r2e_file("pkg/core.py", [r2e_hunk((3, 3), (3, 3), [
            ("context", "a"), ("deleted", "b = 1"), ("added", "b = 2"), ("context", "")], "def f():")]),
        r2e_file("tests/test_core.py", [r2e_hunk((1, 1), (1, 2), [("context", "x"), ("added", "y")])]),
        r2e_file("pkg/test_helpers.py", [r2e_hunk((1, 1), (1, 1), [("deleted", "p"), ("added", "q")])]),
        r2e_file("pkg/new.py", [r2e_hunk((0, 0), (1, 1), [("added", "NEW = 1")])], old_content=""),
    ]}
    assert r2e_fix_patch(commit) == (
        "diff --git a/pkg/core.py b/pkg/core.py\n--- a/pkg/core.py\n+++ b/pkg/core.py\n"
        "@@ -3,3 +3,3 @@ def f():\n a\n-b = 1\n+b = 2\n \n"
        "diff --git a/pkg/new.py b/pkg/new.py\nnew file mode 100644\n--- /dev/null\n+++ b/pkg/new.py\n"
        "@@ -0,0 +1,1 @@\n+NEW = 1\n")
    assert r2e_fix_patch({"file_diffs": []}) == ""
    with pytest.raises(BadInput, match="not R2E-Gym's ParsedCommit"):
        r2e_fix_patch({"file_diffs": [{"header": {}}]})


R2E_PYTEST_OUTPUT = """\
============================= test session starts ==============================
collected 4 items

r2e_tests/test_1.py ...F                                                 [100%]

=========================== short test summary info ============================
PASSED r2e_tests/test_1.py::TestClientSession::test_close
PASSED r2e_tests/test_1.py::TestClientSession::test_reraise
PASSED r2e_tests/test_1.py::test_plain
FAILED r2e_tests/test_1.py::TestClientSession::test_bad - AssertionError: boom
========================= 1 failed, 3 passed in 0.12s ==========================
"""


def test_r2e_summary_is_graded_by_swebench_under_r2e_names(tmp_path):
    output = tmp_path / "out.txt"
    output.write_text(R2E_PYTEST_OUTPUT)
    awk = subprocess.run(
        ["bash", "-c", f"{R2E_SUMMARY_AWK} {output}"], capture_output=True, text=True, check=True
    )
    assert awk.stdout.splitlines() == [
        "PASSED TestClientSession.test_close",
        "PASSED TestClientSession.test_reraise",
        "PASSED test_plain",
        "FAILED TestClientSession.test_bad",
    ]
    [instance] = R2E_GYM.from_rows(fixture_rows("r2e_gym.jsonl")[:1])
    log = tmp_path / "test_output.txt"
    log.write_text(
        f"{START_TEST_OUTPUT}\n{R2E_PYTEST_OUTPUT}{awk.stdout}{END_TEST_OUTPUT}\n"
        ">>>>> Test Exit Code: 1\n"
    )
    status, found = get_logs_eval(make_test_spec(instance.to_swebench()), str(log))
    assert found
    assert {name: status[name] for name in instance.FAIL_TO_PASS} == dict.fromkeys(
        instance.FAIL_TO_PASS, "PASSED"
    )
    assert status["TestClientSession.test_bad"] == "FAILED"


def test_the_r2e_eval_script_writes_its_markers_and_results_to_one_stream(tmp_path):
    """`docker exec` relays stderr and stdout in no fixed order: bash's traced end marker must not
    travel apart from the summary it follows, or the grader never sees the summary."""
    testbed = tmp_path / "testbed"
    testbed.mkdir()
    (testbed / "run_tests.sh").write_text(f"cat <<'EOF'\n{R2E_PYTEST_OUTPUT}EOF\nexit 1\n")
    script = R2E_EVAL_SCRIPT.replace("/tmp/r2e", f"{tmp_path}/r2e").replace("/testbed", str(testbed))
    run = subprocess.run(["bash", "-c", script], capture_output=True, text=True)
    assert (run.returncode, run.stderr) == (0, "+ exec\n")  # the redirect's own trace, then nothing
    [instance] = R2E_GYM.from_rows(fixture_rows("r2e_gym.jsonl")[:1])
    log = tmp_path / "test_output.txt"
    log.write_text(run.stdout + ">>>>> Test Exit Code: 1\n")
    status, found = get_logs_eval(make_test_spec(instance.to_swebench()), str(log))
    assert found and all(status[name] == "PASSED" for name in instance.FAIL_TO_PASS)


def git(repo: Path, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], input=stdin, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_reverse_patch_undoes_edits_creations_and_deletions(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "a.py").write_text("one = 1\ntwo = 2\nthree = 3\n")
    (repo / "gone.py").write_text("keep = True\n")
    git(repo, "add", ".")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base")
    (repo / "a.py").write_text("one = 1\ntwo = 22\nthree = 3\n")
    (repo / "new.py").write_text("added = True")  # no newline at end of file
    (repo / "gone.py").unlink()
    git(repo, "add", "-A")
    bug = git(repo, "diff", "--cached")
    git(repo, "reset", "-q", "--hard")

    git(repo, "apply", "-", stdin=bug)
    git(repo, "apply", "--check", "-", stdin=reverse_patch(bug))
    git(repo, "apply", "-", stdin=reverse_patch(bug))
    assert git(repo, "status", "--porcelain") == ""


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".parquet"])
def test_local_file_reads_each_format(tmp_path, suffix):
    rows = fixture_rows("swebench.jsonl")
    path = tmp_path / f"bench{suffix}"
    if suffix == ".jsonl":
        path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    elif suffix == ".json":
        path.write_text(json.dumps(rows))
    else:
        pq.write_table(pa.Table.from_pylist(rows), path)

    bench = get_benchmark(str(path))
    assert isinstance(bench, LocalFile) and bench.name == str(path)
    instances = bench.load()
    assert [i.instance_id for i in instances] == ["django__django-11099", "astropy__astropy-12907"]
    assert all(i.benchmark == str(path) and i.split == "test" for i in instances)
    from_hub = SWEBENCH_VERIFIED.from_rows(rows)[0]
    assert replace(instances[0], benchmark=from_hub.benchmark) == from_hub
    assert instances[0].image == "swebench/sweb.eval.x86_64.django_1776_django-11099:latest"


def test_local_file_filters_on_its_split_column_and_selects_ids(tmp_path):
    first, second = fixture_rows("swebench.jsonl")
    path = tmp_path / "bench.jsonl"
    rows = [first | {"split": "dev"}, second | {"split": "test"}]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))

    [dev] = LocalFile(str(path)).load(split="dev")
    assert (dev.instance_id, dev.split) == ("django__django-11099", "dev")
    assert len(LocalFile(str(path)).load()) == 2
    picked = LocalFile(str(path)).load(instance_ids=["astropy__astropy-12907"])
    assert [i.instance_id for i in picked] == ["astropy__astropy-12907"]


def test_unknown_instance_ids_are_an_error_listing_them(tmp_path):
    path = tmp_path / "bench.jsonl"
    path.write_text((FIXTURES / "swebench.jsonl").read_text())
    with pytest.raises(BadInput, match=r"unknown instance ids in .*bench\.jsonl: nope, also-nope"):
        LocalFile(str(path)).load(instance_ids=["django__django-11099", "nope", "also-nope"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"base_commit": None}, r"row 2 \(astropy__astropy-12907\): .*field 'base_commit'"),
        ({"FAIL_TO_PASS": 3}, r"row 2 \(astropy__astropy-12907\): field 'FAIL_TO_PASS' is not"),
        ({"PASS_TO_PASS": "[oops"}, r"row 2 .*field 'PASS_TO_PASS' is not valid JSON"),
        ({"log_parser": "parse_log_nope"}, r"row 2 .*log_parser 'parse_log_nope'"),
        ({"instance_id": "django__django-11099"}, r"row 2 .*duplicate instance_id"),
    ],
)
def test_a_malformed_row_names_the_row_and_the_field(tmp_path, change, message):
    first, second = fixture_rows("swebench.jsonl")
    second = {k: v for k, v in (second | change).items() if v is not None}
    path = tmp_path / "bench.jsonl"
    path.write_text(json.dumps(first) + "\n" + json.dumps(second) + "\n")
    with pytest.raises(BadInput, match=message):
        LocalFile(str(path)).load()


def test_malformed_rows_of_other_adapters_name_the_field():
    [row] = fixture_rows("r2e_gym.jsonl")[:1]
    del row["docker_image"]
    with pytest.raises(BadInput, match=r"r2e-gym: row 1 .*missing required field 'docker_image'"):
        R2E_GYM.from_rows([row])
    [row] = fixture_rows("swesmith.jsonl")[:1]
    with pytest.raises(BadInput, match=r"swe-smith: row 1 .*missing required field 'image_name'"):
        SWE_SMITH.from_rows([{k: v for k, v in row.items() if k != "image_name"}])


def test_an_unreadable_local_file_is_bad_input(tmp_path):
    path = tmp_path / "bench.json"
    path.write_text('{"not": "a list"}')
    with pytest.raises(BadInput, match="must hold a list of rows"):
        LocalFile(str(path)).load()
    path.write_text("[1, 2]")
    with pytest.raises(BadInput, match="row 1 is not an object"):
        LocalFile(str(path)).load()


@pytest.mark.parametrize("bench", [SWEBENCH_VERIFIED, R2E_GYM], ids=lambda b: b.name)
def test_an_uncached_dataset_offline_is_one_line_saying_how_to_fetch_it(bench: HubBenchmark):
    with pytest.raises(HarnessError) as caught:
        bench.load()
    message = str(caught.value)
    assert not isinstance(caught.value, BadInput)
    assert "\n" not in message
    assert f"dataset {bench.dataset} (split {bench.split}) is not in the local" in message
    assert "Hugging Face cache" in message
    assert f"load_dataset('{bench.dataset}', split='{bench.split}')" in message
    assert "local .jsonl/.json/.parquet file" in message


def test_registered_names_resolve_to_the_hub_benchmarks():
    expected = {
        "swebench-verified": ("SWE-bench/SWE-bench_Verified", "test"),
        "swebench-lite": ("SWE-bench/SWE-bench_Lite", "test"),
        "swe-gym": ("SWE-Gym/SWE-Gym", "train"),
        "swe-smith": ("SWE-bench/SWE-smith", "train"),
        "r2e-gym": ("R2E-Gym/R2E-Gym-Subset", "train"),
    }
    for name, (dataset, split) in expected.items():
        bench = get_benchmark(name)
        assert bench is registry.load("benchmark", name)
        assert (bench.name, bench.dataset, bench.split) == (name, dataset, split)
