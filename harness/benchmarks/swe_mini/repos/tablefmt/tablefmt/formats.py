"""Table formats: what the rules and rows of each output style look like."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional, Sequence


@dataclass(frozen=True)
class Line:
    """A horizontal rule: ``begin``, a ``fill`` run per column joined by ``sep``, ``end``."""

    begin: str
    fill: str
    sep: str
    end: str


@dataclass(frozen=True)
class RowStyle:
    """How the cells of one row are joined together."""

    begin: str
    sep: str
    end: str


@dataclass(frozen=True)
class TableFormat:
    """A complete output style.

    ``padding`` spaces are put on both sides of every cell. ``min_width``
    is the narrowest a column may be. When ``colons`` is set, the rule
    below the header marks each column's alignment with colons, as GitHub
    Markdown expects. ``escape``, if given, is applied to all cell text.
    """

    row: RowStyle
    top: Optional[Line] = None
    below_header: Optional[Line] = None
    between_rows: Optional[Line] = None
    bottom: Optional[Line] = None
    padding: int = 0
    min_width: int = 0
    colons: bool = False
    escape: Optional[Callable[[str], str]] = None


def _escape_pipes(text: str) -> str:
    return text.replace("|", "\\|")


_GRID_RULE = Line("+", "-", "+", "+")

FORMATS: dict[str, TableFormat] = {
    "plain": TableFormat(row=RowStyle("", "  ", "")),
    "simple": TableFormat(
        row=RowStyle("", "  ", ""),
        below_header=Line("", "-", "  ", ""),
    ),
    "markdown": TableFormat(
        row=RowStyle("|", "|", "|"),
        below_header=Line("|", "-", "|", "|"),
        padding=1,
        min_width=3,
        colons=True,
        escape=_escape_pipes,
    ),
    "grid": TableFormat(
        row=RowStyle("|", "|", "|"),
        top=_GRID_RULE,
        below_header=Line("+", "=", "+", "+"),
        between_rows=_GRID_RULE,
        bottom=_GRID_RULE,
        padding=1,
    ),
}


def _colon_segment(fill: str, width: int, align: str) -> str:
    """A rule segment with Markdown alignment colons."""
    if align == "center":
        return ":" + fill * (width - 2) + ":"
    if align in ("right", "decimal"):
        return fill * (width - 1) + ":"
    if align == "left":
        return ":" + fill * (width - 1)
    return fill * width


def draw_line(
    line: Line,
    widths: Sequence[int],
    aligns: Sequence[str],
    colons: bool = False,
) -> str:
    """Draw a horizontal rule for columns of the given (padded) widths."""
    if colons:
        segments = [_colon_segment(line.fill, w, a) for w, a in zip(widths, aligns)]
    else:
        segments = [line.fill * w for w in widths]
    return line.begin + line.sep.join(segments) + line.end


def draw_row(fmt: TableFormat, cells: Sequence[str]) -> str:
    """Join one physical line of already padded cells."""
    space = " " * fmt.padding
    inner = fmt.row.sep.join(space + cell + space for cell in cells)
    return fmt.row.begin + inner + fmt.row.end


def assemble(
    fmt: TableFormat,
    widths: Sequence[int],
    aligns: Sequence[str],
    header: Optional[list[list[str]]],
    rows: Sequence[list[list[str]]],
) -> str:
    """Put together a whole table.

    ``header`` and each entry of ``rows`` are lists of physical lines, each
    line being a list of cells already padded to ``widths``. ``header`` is
    ``None`` for a table without headers.
    """
    full = [width + 2 * fmt.padding for width in widths]
    out = []
    if fmt.top:
        out.append(draw_line(fmt.top, full, aligns))
    if header is not None:
        out.extend(draw_row(fmt, cells) for cells in header)
        if fmt.below_header:
            out.append(draw_line(fmt.below_header, full, aligns, fmt.colons))
    for index, row in enumerate(rows):
        if index and fmt.between_rows:
            out.append(draw_line(fmt.between_rows, full, aligns))
        out.extend(draw_row(fmt, cells) for cells in row)
    if fmt.bottom:
        out.append(draw_line(fmt.bottom, full, aligns))
    return "\n".join(out)
