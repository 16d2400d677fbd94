"""URL slugs: transliterate, spell out a few symbols, join the words with a separator."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from .translit import transliterate
from .words import APOSTROPHES

#: Symbols that carry meaning in a title and are spelled out rather than dropped.
SYMBOLS = {"&": "and", "%": "percent", "@": "at", "+": "plus"}

_NON_ALNUM = re.compile(r"[^A-Za-z0-9]+")


def slugify(
    text: str,
    sep: str = "-",
    *,
    max_length: int | None = None,
    lowercase: bool = True,
    stopwords: Iterable[str] = (),
    lang: str | None = None,
) -> str:
    """Make a URL-safe slug of ``text``: ``"Crème brûlée & tea"`` -> ``"creme-brulee-and-tea"``.

    ``stopwords`` are left out (compared case-insensitively), ``lang`` picks a
    transliteration table (see :func:`~textcase.translit.transliterate`) and
    ``max_length`` shortens the slug at a word boundary where there is one.
    """
    text = transliterate(text, lang)
    for mark in APOSTROPHES:
        text = text.replace(mark, "")
    for symbol, word in SYMBOLS.items():
        text = text.replace(symbol, f" {word} ")
    skip = {w.lower() for w in stopwords}
    words = [w for w in _NON_ALNUM.split(text) if w and w.lower() not in skip]
    if lowercase:
        words = [w.lower() for w in words]
    slug = sep.join(words)
    if max_length is not None:
        slug = _truncate(slug, sep, max_length)
    return slug


def _truncate(slug: str, sep: str, max_length: int) -> str:
    """Cut ``slug`` to at most ``max_length`` characters, at a separator if possible."""
    if max_length < 1:
        raise ValueError("max_length must be at least 1")
    if len(slug) <= max_length:
        return slug
    if slug[max_length : max_length + len(sep)] == sep:
        return slug[:max_length]
    head = slug[:max_length]
    cut = head.rfind(sep)
    return head[:cut] if cut > 0 else head


def unique_slug(text: str, taken: Collection[str], sep: str = "-", **options) -> str:
    """A slug of ``text`` that is not in ``taken``: ``post``, then ``post-2``, ``post-3``..."""
    base = slugify(text, sep, **options)
    if base not in taken:
        return base
    n = 2
    while f"{base}{sep}{n}" in taken:
        n += 1
    return f"{base}{sep}{n}"
