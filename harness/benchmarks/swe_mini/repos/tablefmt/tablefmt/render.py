"""The :func:`tabulate` entry point."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Iterable, Optional, Sequence, Union

from .cells import (
    align_decimal,
    column_type,
    display_width,
    format_cell,
    pad,
    truncate,
    wrap,
)
from .formats import FORMATS, TableFormat, assemble

ALIGNMENTS = ("left", "right", "center", "decimal")
OVERFLOWS = ("wrap", "truncate")


def _normalize(
    rows: Iterable[Any], headers: Any
) -> tuple[Optional[list[Any]], list[list[Any]]]:
    """Turn the input into an optional header list and a list of row lists.

    Rows are either sequences or mappings. For mappings the columns are the
    keys in order of first appearance; ``headers="keys"`` shows the keys
    themselves and a mapping of key to label renames them.
    """
    rows = list(rows)
    if rows and all(isinstance(row, Mapping) for row in rows):
        keys: list[Any] = []
        for row in rows:
            for key in row:
                if key not in keys:
                    keys.append(key)
        data = [[row.get(key) for key in keys] for row in rows]
        if headers == "keys":
            headers = keys
        elif isinstance(headers, Mapping):
            headers = [headers.get(key, key) for key in keys]
    else:
        data = [list(row) for row in rows]
        if headers == "firstrow":
            headers, data = (data[0], data[1:]) if data else ([], [])
        elif headers == "keys":
            headers = list(range(max((len(row) for row in data), default=0)))
    if isinstance(headers, str):
        raise ValueError(f"invalid headers {headers!r}")
    return (list(headers) if headers else None), data


def _per_column(option: Any, ncols: int, name: str) -> list[Any]:
    """Expand a scalar or a sequence option to one entry per column."""
    if option is None or isinstance(option, (int, str)):
        return [option] * ncols
    values = list(option)
    if len(values) > ncols:
        raise ValueError(f"{name} has {len(values)} entries for {ncols} columns")
    return values + [None] * (ncols - len(values))


def tabulate(
    rows: Iterable[Any],
    headers: Union[Sequence[Any], Mapping[Any, Any], str] = (),
    tablefmt: Union[str, TableFormat] = "simple",
    *,
    floatfmt: str = "g",
    intfmt: str = "",
    numalign: str = "decimal",
    stralign: str = "left",
    colalign: Optional[Sequence[Optional[str]]] = None,
    missingval: str = "",
    maxcolwidths: Union[int, Sequence[Optional[int]], None] = None,
    overflow: str = "wrap",
) -> str:
    """Render ``rows`` as a text table.

    ``tablefmt`` is one of ``plain``, ``simple``, ``markdown`` and ``grid``
    or a :class:`TableFormat`. Numeric columns are formatted with
    ``floatfmt``/``intfmt`` and aligned by ``numalign``, other columns by
    ``stralign``; ``colalign`` overrides both per column. ``None`` is shown
    as ``missingval``. Cells wider than ``maxcolwidths`` are wrapped or,
    with ``overflow="truncate"``, cut short with an ellipsis.
    """
    if isinstance(tablefmt, str):
        if tablefmt not in FORMATS:
            choices = ", ".join(sorted(FORMATS))
            raise ValueError(
                f"unknown table format {tablefmt!r} (choose from {choices})"
            )
        fmt = FORMATS[tablefmt]
    else:
        fmt = tablefmt
    if overflow not in OVERFLOWS:
        raise ValueError(f"overflow must be one of {OVERFLOWS}, not {overflow!r}")
    clip = truncate if overflow == "truncate" else wrap

    header, data = _normalize(rows, headers)
    ncols = max([len(header or ())] + [len(row) for row in data])
    data = [row + [None] * (ncols - len(row)) for row in data]
    labels = None
    if header is not None:
        labels = [str(h) for h in header] + [""] * (ncols - len(header))

    limits = _per_column(maxcolwidths, ncols, "maxcolwidths")
    overrides = _per_column(colalign, ncols, "colalign")
    aligns, columns = [], []
    for index in range(ncols):
        values = [row[index] for row in data]
        ctype = column_type(values)
        align = overrides[index] or (stralign if ctype is str else numalign)
        if align not in ALIGNMENTS:
            raise ValueError(f"unknown alignment {align!r}")
        texts = [format_cell(v, ctype, floatfmt, intfmt, missingval) for v in values]
        if fmt.escape:
            texts = [fmt.escape(text) for text in texts]
        if limits[index]:
            texts = [clip(text, limits[index]) for text in texts]
        if align == "decimal":
            texts = align_decimal(texts)
        aligns.append(align)
        columns.append(texts)

    if labels is not None:
        if fmt.escape:
            labels = [fmt.escape(label) for label in labels]
        labels = [
            clip(label, limit) if limit else label
            for label, limit in zip(labels, limits)
        ]

    split_rows = [[text.split("\n") for text in row] for row in zip(*columns)]
    split_header = [label.split("\n") for label in labels] if labels is not None else None
    widths = [fmt.min_width] * ncols
    for row in split_rows + ([split_header] if split_header else []):
        for index, lines in enumerate(row):
            for line in lines:
                widths[index] = max(widths[index], display_width(line))

    def layout(cells: list[list[str]]) -> list[list[str]]:
        """Pad a row's cells into physical lines of equal count and width."""
        height = max((len(lines) for lines in cells), default=1)
        return [
            [
                pad(lines[i] if i < len(lines) else "", width, align)
                for lines, width, align in zip(cells, widths, aligns)
            ]
            for i in range(height)
        ]

    header_lines = layout(split_header) if split_header is not None else None
    body = [layout(row) for row in split_rows]
    return assemble(fmt, widths, aligns, header_lines, body)
