"""textcase: split text into words, convert between cases and make URL slugs."""

from .cases import (
    CONVERTERS,
    SMALL_WORDS,
    camel_case,
    constant_case,
    convert,
    dot_case,
    kebab_case,
    pascal_case,
    sentence_case,
    snake_case,
    title_case,
)
from .slug import slugify, unique_slug
from .translit import transliterate
from .words import count_words, split_words

__all__ = [
    "CONVERTERS", "SMALL_WORDS", "camel_case", "constant_case", "convert", "count_words",
    "dot_case", "kebab_case", "pascal_case", "sentence_case", "slugify", "snake_case",
    "split_words", "title_case", "transliterate", "unique_slug",
]
__version__ = "0.3.1"
