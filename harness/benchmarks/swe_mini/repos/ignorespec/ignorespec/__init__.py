"""gitignore-style path matching.

>>> from ignorespec import IgnoreSpec
>>> spec = IgnoreSpec.from_lines(["*.log", "!keep.log", "build/"])
>>> spec.is_ignored("logs/debug.log")
True
>>> spec.is_ignored("build/out.txt")
True
"""

from .pattern import Pattern, parse_line, translate
from .spec import IgnoreSpec
from .walk import walk

__all__ = ["IgnoreSpec", "Pattern", "parse_line", "translate", "walk"]
__version__ = "0.4.0"
