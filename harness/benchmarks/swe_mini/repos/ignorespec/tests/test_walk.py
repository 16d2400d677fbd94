from ignorespec import IgnoreSpec, walk


def make_tree(root, files):
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def test_walk_without_ignore_file_yields_all_files_sorted(tmp_path):
    make_tree(tmp_path, {"b.txt": "", "a/z.txt": "", "a/c.txt": ""})
    assert list(walk(tmp_path)) == ["a/c.txt", "a/z.txt", "b.txt"]


def test_walk_applies_root_ignore_file(tmp_path):
    make_tree(
        tmp_path,
        {
            ".gitignore": "*.pyc\nbuild/\n!keep.pyc\n",
            "main.py": "",
            "main.pyc": "",
            "keep.pyc": "",
            "build/out.bin": "",
            "pkg/mod.py": "",
            "pkg/mod.pyc": "",
        },
    )
    assert list(walk(tmp_path)) == [".gitignore", "keep.pyc", "main.py", "pkg/mod.py"]


def test_walk_skips_git_directory(tmp_path):
    make_tree(tmp_path, {".git/HEAD": "ref", ".git/config": "", "src/a.c": ""})
    assert list(walk(tmp_path)) == ["src/a.c"]


def test_walk_directory_pattern_does_not_hide_files_with_same_name(tmp_path):
    make_tree(tmp_path, {".gitignore": "cache/\n", "cache/x": "", "src/cache": ""})
    assert list(walk(tmp_path)) == [".gitignore", "src/cache"]


def test_walk_extra_patterns_have_lowest_precedence(tmp_path):
    make_tree(
        tmp_path,
        {".gitignore": "!important.tmp\n", "a.tmp": "", "important.tmp": "", "b.c": ""},
    )
    extra = IgnoreSpec.from_lines(["*.tmp", ".gitignore"])
    assert list(walk(tmp_path, extra=extra)) == ["b.c", "important.tmp"]


def test_walk_custom_ignore_file_name(tmp_path):
    make_tree(tmp_path, {".ignore": "*.md\n", ".gitignore": "*.c\n", "a.md": "", "a.c": ""})
    assert list(walk(tmp_path, ignore_file=".ignore")) == [".gitignore", ".ignore", "a.c"]


def test_walk_nested_ignore_file_applies_below_its_directory(tmp_path):
    make_tree(
        tmp_path,
        {
            "docs/.gitignore": "*.html\n",
            "docs/index.html": "",
            "docs/index.md": "",
            "site/index.html": "",
        },
    )
    assert list(walk(tmp_path)) == ["docs/.gitignore", "docs/index.md", "site/index.html"]


def test_walk_nested_anchored_patterns_are_relative_to_their_directory(tmp_path):
    make_tree(
        tmp_path,
        {
            "pkg/.gitignore": "/gen/\nsub/*.out\n",
            "pkg/gen/a.py": "",
            "pkg/lib/gen/b.py": "",
            "pkg/sub/x.out": "",
            "gen/c.py": "",
        },
    )
    assert list(walk(tmp_path)) == [
        "gen/c.py",
        "pkg/.gitignore",
        "pkg/lib/gen/b.py",
    ]


def test_walk_deeper_ignore_file_overrides_shallower(tmp_path):
    make_tree(
        tmp_path,
        {
            ".gitignore": "*.log\n",
            "app.log": "",
            "logs/.gitignore": "!*.log\nold.log\n",
            "logs/new.log": "",
            "logs/old.log": "",
        },
    )
    assert list(walk(tmp_path)) == [".gitignore", "logs/.gitignore", "logs/new.log"]
