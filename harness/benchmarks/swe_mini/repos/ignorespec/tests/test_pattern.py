from ignorespec import parse_line


def matches(line, path, is_dir=False):
    pattern = parse_line(line)
    assert pattern is not None, line
    return pattern.match(path, is_dir)


def test_blank_lines_and_comments_hold_no_pattern():
    assert parse_line("") is None
    assert parse_line("   ") is None
    assert parse_line("# build output") is None
    assert parse_line("\n") is None


def test_escaped_hash_is_a_pattern():
    pattern = parse_line("\\#notes#")
    assert pattern is not None
    assert pattern.match("#notes#")
    assert not pattern.match("notes#")


def test_escaped_bang_is_literal_not_negation():
    pattern = parse_line("\\!important.txt")
    assert not pattern.negated
    assert pattern.match("!important.txt")
    assert not pattern.match("important.txt")


def test_negation_flag():
    pattern = parse_line("!keep.log")
    assert pattern.negated
    assert pattern.match("keep.log")
    assert pattern.raw == "!keep.log"


def test_unescaped_trailing_spaces_are_dropped():
    pattern = parse_line("notes.txt   ")
    assert pattern.raw == "notes.txt"
    assert pattern.match("notes.txt")
    assert not pattern.match("notes.txt ")


def test_escaped_trailing_space_is_kept():
    pattern = parse_line("notes\\ ")
    assert pattern.match("notes ")
    assert not pattern.match("notes")
    assert parse_line("a\\  ").match("a ")


def test_directory_only_pattern():
    assert matches("logs/", "logs", is_dir=True)
    assert matches("logs/", "var/logs", is_dir=True)
    assert not matches("logs/", "logs")


def test_pattern_without_slash_matches_at_any_depth():
    assert matches("*.log", "debug.log")
    assert matches("*.log", "a/b/debug.log")
    assert matches("tmp", "src/tmp", is_dir=True)


def test_leading_slash_anchors_pattern():
    assert matches("/todo.txt", "todo.txt")
    assert not matches("/todo.txt", "docs/todo.txt")


def test_middle_slash_anchors_pattern():
    assert matches("doc/frotz", "doc/frotz")
    assert not matches("doc/frotz", "a/doc/frotz")
    assert matches("doc/*.html", "doc/index.html")
    assert not matches("doc/*.html", "site/doc/index.html")


def test_star_does_not_cross_directories():
    assert matches("/*.py", "setup.py")
    assert not matches("/*.py", "src/setup.py")
    assert not matches("doc/*.txt", "doc/sub/a.txt")


def test_question_mark_matches_one_character():
    assert matches("file?.txt", "file1.txt")
    assert not matches("file?.txt", "file.txt")
    assert not matches("file?.txt", "file12.txt")


def test_question_mark_does_not_match_slash():
    assert not matches("a?b", "a/b")
    assert not matches("/src?main.c", "src/main.c")
    assert matches("/src?main.c", "src_main.c")


def test_character_class_with_range():
    assert matches("[a-c].txt", "b.txt")
    assert not matches("[a-c].txt", "d.txt")
    assert matches("img[0-9][0-9].png", "img42.png")


def test_negated_character_class():
    assert matches("[!a]x", "bx")
    assert matches("[^a]x", "bx")
    assert not matches("[!a]x", "ax")
    assert not matches("/a[!x]b", "a/b")


def test_unclosed_bracket_is_literal():
    assert matches("[abc", "[abc")
    assert not matches("[abc", "a")


def test_regex_metacharacters_are_literal():
    assert matches("a+b.(txt)", "a+b.(txt)")
    assert not matches("a+b.(txt)", "aab.(txt)")
    assert not matches("file.txt", "file_txt")


def test_trailing_double_star_matches_everything_inside():
    assert matches("abc/**", "abc/x")
    assert matches("abc/**", "abc/x/y/z")
    assert not matches("abc/**", "abc", is_dir=True)
    assert not matches("abc/**", "xabc/x")


def test_leading_double_star_matches_at_any_depth():
    assert matches("**/foo", "foo")
    assert matches("**/foo", "a/b/foo")
    assert matches("**/foo/bar", "foo/bar")
    assert matches("**/foo/bar", "x/foo/bar")


def test_middle_double_star_matches_zero_or_more_directories():
    assert matches("a/**/b", "a/b")
    assert matches("a/**/b", "a/x/b")
    assert matches("a/**/b", "a/x/y/b")
    assert not matches("a/**/b", "a/xb")


def test_double_star_inside_a_name_acts_like_star():
    assert matches("/foo**bar", "fooxbar")
    assert not matches("/foo**bar", "foo/bar")
