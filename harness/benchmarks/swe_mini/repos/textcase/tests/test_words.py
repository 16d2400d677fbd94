import pytest

from textcase import count_words, split_words

SPLITS = {
    "hello world": ["hello", "world"],
    "helloWorld": ["hello", "World"],
    "parseHTTPResponse": ["parse", "HTTP", "Response"],
    "snake_case_name": ["snake", "case", "name"],
    "  padded  text  ": ["padded", "text"],
    "[draft] notes": ["draft", "notes"],
    "a-b c": ["a", "b", "c"],
    "don't stop": ["dont", "stop"],
    "ÄrgerÜber straße": ["Ärger", "Über", "straße"],
    "": [],
}


@pytest.mark.parametrize("text", list(SPLITS))
def test_split(text):
    assert split_words(text) == SPLITS[text]


def test_digits_split_by_default():
    assert split_words("parseHTTPResponse2xx") == ["parse", "HTTP", "Response", "2", "xx"]
    assert split_words("area51") == ["area", "51"]


def test_digits_attached_on_request():
    assert split_words("version2Beta", split_digits=False) == ["version2", "Beta"]
    assert split_words("HTTP2Server", split_digits=False) == ["HTTP2", "Server"]


def test_typographic_apostrophe():
    assert split_words("it\u2019s fine") == ["its", "fine"]


def test_count_words():
    assert count_words("parseHTTPResponse") == 3
    assert count_words("  ...  ") == 0
