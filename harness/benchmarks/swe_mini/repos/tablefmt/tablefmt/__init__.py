"""Render rows of data as plain-text, Markdown or grid tables."""

from .cells import display_width
from .formats import FORMATS, Line, RowStyle, TableFormat
from .render import tabulate

__all__ = ["FORMATS", "Line", "RowStyle", "TableFormat", "display_width", "tabulate"]
__version__ = "0.4.0"
