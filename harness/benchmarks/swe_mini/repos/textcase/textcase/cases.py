"""Case conversions: camel, pascal, snake, kebab, constant, dot, sentence and title case."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .words import split_words

#: Words that title case leaves in lower case unless they open or close the title.
SMALL_WORDS = frozenset(
    "a an and as at but by en for if in nor of on or per the to v vs via".split()
)

_PUNCTUATION = "\"'()[]{}<>.,;:!?\u2018\u2019\u201c\u201d"


def _capitalized(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def _is_acronym(word: str) -> bool:
    """True for words of two or more letters, all of them capitals: ``NASA``, ``HTTP2``."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def camel_case(text: str) -> str:
    """``"parse HTTP response"`` -> ``"parseHttpResponse"``."""
    words = split_words(text)
    if not words:
        return ""
    return words[0].lower() + "".join(_capitalized(w) for w in words[1:])


def pascal_case(text: str) -> str:
    """``"parse HTTP response"`` -> ``"ParseHttpResponse"``."""
    return "".join(_capitalized(w) for w in split_words(text))


def snake_case(text: str) -> str:
    """``"parseHTTPResponse"`` -> ``"parse_http_response"``."""
    return "_".join(w.lower() for w in split_words(text))


def kebab_case(text: str) -> str:
    """``"parseHTTPResponse"`` -> ``"parse-http-response"``."""
    return "-".join(w.lower() for w in split_words(text))


def constant_case(text: str) -> str:
    """``"parseHTTPResponse"`` -> ``"PARSE_HTTP_RESPONSE"``."""
    return "_".join(w.upper() for w in split_words(text))


def dot_case(text: str) -> str:
    """``"parseHTTPResponse"`` -> ``"parse.http.response"``."""
    return ".".join(w.lower() for w in split_words(text))


def sentence_case(text: str) -> str:
    """``"parse_HTTP_response"`` -> ``"Parse HTTP response"``; acronyms keep their capitals."""
    words = [w if _is_acronym(w) else w.lower() for w in split_words(text)]
    if words:
        words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def title_case(text: str, small_words: Iterable[str] = SMALL_WORDS) -> str:
    """Capitalize each whitespace-separated word of ``text``, keeping its punctuation.

    Small words stay lower case unless they are first, last or follow a colon;
    acronyms and words with inner capitals (``iPhone``) are kept as written.
    """
    small = {w.lower() for w in small_words}
    tokens = text.split()
    out = []
    for i, token in enumerate(tokens):
        bare = token.strip(_PUNCTUATION).lower()
        inner = 0 < i < len(tokens) - 1 and not tokens[i - 1].endswith(":")
        if inner and bare in small:
            out.append(token.lower())
        elif _is_acronym(token) or any(c.isupper() for c in token[1:]):
            out.append(token)
        else:
            out.append("-".join(_capitalize_first_letter(part) for part in token.split("-")))
    return " ".join(out)


def _capitalize_first_letter(token: str) -> str:
    """Upper-case the first letter of ``token``, skipping any leading punctuation."""
    for i, char in enumerate(token):
        if char.isalpha():
            return token[:i] + char.upper() + token[i + 1 :]
    return token


CONVERTERS: dict[str, Callable[[str], str]] = {
    "camel": camel_case,
    "pascal": pascal_case,
    "snake": snake_case,
    "kebab": kebab_case,
    "constant": constant_case,
    "dot": dot_case,
    "sentence": sentence_case,
    "title": title_case,
}


def convert(text: str, case: str) -> str:
    """Convert ``text`` to the case named ``case`` (``"snake"``, ``"kebab-case"``, ``"CamelCase"``...)."""
    key = case.lower().replace("-", "_")
    if key.endswith("_case"):
        key = key[: -len("_case")]
    elif key.endswith("case") and key[:-4] in CONVERTERS:
        key = key[:-4]
    try:
        converter = CONVERTERS[key]
    except KeyError:
        names = ", ".join(sorted(CONVERTERS))
        raise ValueError(f"unknown case {case!r}; expected one of {names}") from None
    return converter(text)
