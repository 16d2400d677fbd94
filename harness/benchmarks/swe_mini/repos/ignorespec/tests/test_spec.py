from pathlib import PurePosixPath

import pytest

from ignorespec import IgnoreSpec


def test_from_text_skips_comments_and_blank_lines():
    spec = IgnoreSpec.from_lines("# comment\n\n*.pyc\n__pycache__/\n")
    assert len(spec) == 2
    assert [p.raw for p in spec] == ["*.pyc", "__pycache__/"]


def test_last_matching_pattern_wins():
    spec = IgnoreSpec.from_lines(["*.log", "!keep.log"])
    assert spec.is_ignored("debug.log")
    assert not spec.is_ignored("keep.log")
    assert not spec.is_ignored("logs/keep.log")

    reordered = IgnoreSpec.from_lines(["!keep.log", "*.log"])
    assert reordered.is_ignored("keep.log")


def test_unmatched_path_is_not_ignored():
    spec = IgnoreSpec.from_lines(["*.log"])
    assert spec.match("main.py") is None
    assert not spec.is_ignored("main.py")


def test_files_inside_ignored_directory_are_ignored():
    spec = IgnoreSpec.from_lines(["build/"])
    assert spec.is_ignored("build", is_dir=True)
    assert spec.is_ignored("build/lib/module.o")
    assert spec.is_ignored("pkg/build/x.txt")
    assert not spec.is_ignored("build")


def test_cannot_reinclude_file_in_excluded_directory():
    spec = IgnoreSpec.from_lines(["build/", "!build/keep.txt"])
    assert spec.is_ignored("build/keep.txt")
    assert spec.match("build/keep.txt").raw == "build/"


def test_reincluding_directory_does_not_reinclude_its_files():
    spec = IgnoreSpec.from_lines(["*", "!src/"])
    assert not spec.is_ignored("src", is_dir=True)
    assert spec.is_ignored("src/main.py")


def test_reincluded_directory_with_anchored_star():
    spec = IgnoreSpec.from_lines(["/*", "!/src/"])
    assert spec.is_ignored("README.md")
    assert spec.is_ignored("docs/index.md")
    assert not spec.is_ignored("src/main.py")


def test_trailing_double_star_allows_reinclusion():
    spec = IgnoreSpec.from_lines(["vendor/**", "!vendor/README"])
    assert spec.is_ignored("vendor/lib.js")
    assert not spec.is_ignored("vendor/README")


def test_paths_are_normalized():
    spec = IgnoreSpec.from_lines(["/out/", "*.tmp"])
    assert spec.is_ignored("./out/")
    assert spec.is_ignored("out//file")
    assert spec.is_ignored(PurePosixPath("a/b.tmp"))
    assert not spec.is_ignored("out")


def test_invalid_paths_are_rejected():
    spec = IgnoreSpec.from_lines(["*.tmp"])
    with pytest.raises(ValueError):
        spec.is_ignored("/etc/passwd")
    with pytest.raises(ValueError):
        spec.is_ignored("../x.tmp")
    with pytest.raises(ValueError):
        spec.is_ignored(".")


def test_filter_keeps_order_of_non_ignored_paths():
    spec = IgnoreSpec.from_lines(["*.o", "dist/"])
    paths = ["main.c", "main.o", "dist/", "dist/app", "lib/util.c"]
    assert list(spec.filter(paths)) == ["main.c", "lib/util.c"]


def test_match_reports_source_line():
    spec = IgnoreSpec.from_lines(
        "# objects\n*.o\n\n!keep.o\n", source="src/.gitignore"
    )
    pattern = spec.match("lib/keep.o")
    assert pattern.negated
    assert (pattern.source, pattern.lineno) == ("src/.gitignore", 4)
    assert spec.match("a.o").lineno == 2


def test_from_file_records_path_and_line(tmp_path):
    ignore = tmp_path / ".gitignore"
    ignore.write_text("\n# nothing\n*.swp\n", encoding="utf-8")
    pattern = IgnoreSpec.from_file(ignore).match(".main.c.swp")
    assert pattern.source == str(ignore)
    assert pattern.lineno == 3


def test_ignore_case_option():
    spec = IgnoreSpec.from_lines(["*.JPG", "/Build/", "[a-c]x"], ignore_case=True)
    assert spec.is_ignored("photo.jpg")
    assert spec.is_ignored("PHOTO.Jpg")
    assert spec.is_ignored("build/out.bin")
    assert spec.is_ignored("Bx")


def test_ignore_case_from_file(tmp_path):
    ignore = tmp_path / ".gitignore"
    ignore.write_text("Thumbs.db\n", encoding="utf-8")
    assert IgnoreSpec.from_file(ignore, ignore_case=True).is_ignored("thumbs.DB")
    assert not IgnoreSpec.from_file(ignore).is_ignored("thumbs.DB")


def test_matching_is_case_sensitive_by_default():
    spec = IgnoreSpec.from_lines(["*.JPG"])
    assert spec.is_ignored("photo.JPG")
    assert not spec.is_ignored("photo.jpg")
