"""Transliteration of non-ASCII text to ASCII, for slugs and identifiers."""

from __future__ import annotations

import unicodedata

#: Letters that Unicode decomposition does not reduce to ASCII.
BASE_TABLE = {
    "ß": "ss", "ẞ": "SS",
    "æ": "ae", "Æ": "AE",
    "œ": "oe", "Œ": "OE",
    "ø": "o", "Ø": "O",
    "ł": "l", "Ł": "L",
    "đ": "d", "Đ": "D",
    "ð": "d", "Ð": "D",
    "þ": "th", "Þ": "TH",
    "ı": "i",
}

#: Conventions of particular languages, applied on top of :data:`BASE_TABLE`.
LANGUAGE_TABLES = {
    "de": {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"},
    "da": {"å": "aa", "Å": "Aa"},
    "nb": {"å": "aa", "Å": "Aa"},
}


def transliterate(text: str, lang: str | None = None) -> str:
    """Replace non-ASCII characters of ``text`` by ASCII look-alikes.

    Accents are dropped (``é`` -> ``e``); ``lang`` selects a language's own
    conventions (``lang="de"``: ``ü`` -> ``ue``). Characters without an ASCII
    form, such as CJK ideographs, are removed.
    """
    table = dict(BASE_TABLE)
    if lang is not None:
        try:
            table.update(LANGUAGE_TABLES[lang.lower()])
        except KeyError:
            raise ValueError(f"no transliteration table for language {lang!r}") from None
    out = []
    for char in text:
        if char in table:
            out.append(table[char])
        elif char.isascii():
            out.append(char)
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            out.append("".join(c for c in decomposed if c.isascii()))
    return "".join(out)
