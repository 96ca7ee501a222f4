"""Table items → table blocks: the grid resolved, column widths and cell
alignment chosen. Part of the layout (knows the genre, not the XML)."""
from __future__ import annotations

import re
from operator import add
from dataclasses import dataclass
from typing import NamedTuple, Sequence

from .model import Cell, Table as TableModel, cell_span
from .profile import PROFILE, Gbt9704Profile

# A cell that holds a figure: numbers, percentages, signs, units of counting.
# A note under a table ("注：……", "注1 ……", "资料来源：……"): where tables come
# from spreadsheets or Word files, such lines become the table's notes.
NOTE_LINE_RE = re.compile(r"^\s*(?:注\s*[:：0-9０-９]|(?:说明|备注|资料来源|数据来源)\s*[0-9０-９]*\s*[:：])")
_FIGURE_RE = re.compile(r"^\s*[-+−±~～]?[\d,，.．]+(?:[%‰]|[万亿千百]?元?|个百分点)?\s*$")


class TableCell(NamedTuple):
    # A named tuple, not a frozen dataclass: tables have thousands of cells
    # and a frozen dataclass is several times slower to build.
    text: str
    col: int  # first grid column
    colspan: int = 1
    rowspan: int = 1
    continued: bool = False  # covered by a rowspan from above (w:vMerge continue)
    align: str = "left"  # left | center


class TableRow(NamedTuple):
    """A row: its placed cells; or, for a plain row (strings only, no spans:
    most rows of most tables), just the texts and alignments, one per grid
    column, so thousands of cells need no object each."""

    cells: tuple[TableCell, ...]
    header: bool = False
    texts: tuple[str, ...] = ()
    aligns: tuple[str, ...] = ()

    def placed(self) -> tuple[TableCell, ...]:
        """The row's cells, whichever way it is kept."""
        if self.cells or not self.texts:
            return self.cells
        return tuple(TableCell(t, i, 1, 1, False, a) for i, (t, a) in enumerate(zip(self.texts, self.aligns)))

    @property
    def width(self) -> int:
        """Grid columns the row reaches."""
        return len(self.texts) if self.texts else max((c.col + c.colspan for c in self.cells), default=0)


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    rows: tuple[TableRow, ...]
    column_twips: tuple[int, ...]
    notes: tuple[str, ...] = ()
    landscape: bool = False
    dense: bool = False
    space_before_lines: int = 0
    keep_with_next: bool = False  # the last body block travels with the signature

    @property
    def width_twips(self) -> int:
        return sum(self.column_twips)


def is_figure(text: str) -> bool:
    return bool(_FIGURE_RE.match(text.strip())) if text.strip() else False


_ALIGNS = ("left", "center")  # by "is a figure"
# The same figure, found as whole cells in the cells of a table joined by NUL
# (which no report text holds): one pattern run per table, not one per cell.
_FIGURE_CELLS_RE = re.compile(r"(?:^|(?<=\0))\s*[-+−±~～]?[\d,，.．]+(?:[%‰]|[万亿千百]?元?|个百分点)?\s*(?=\0|$)")


def figure_cells(texts: Sequence[str]) -> list[bool]:
    """Which of ``texts`` are figures (as :func:`is_figure` says, for all at once)."""
    flags = [False] * len(texts)
    joined = "\0".join(texts)
    index = pos = 0
    for m in _FIGURE_CELLS_RE.finditer(joined):
        index += joined.count("\0", pos, m.start())
        pos = m.start()
        flags[index] = True
    return flags


def _plain_grid(rows: Sequence[Sequence[str]], header: bool, figures_centred: bool) -> list[TableRow]:
    """The common table: strings only, every row as wide (kept as texts, see TableRow)."""
    if header or not figures_centred:
        same = ("center" if header else "left",) * len(rows[0])
        return [TableRow((), header, tuple(r), same) for r in rows]
    width = len(rows[0])
    aligns = [_ALIGNS[f] for f in figure_cells([c for r in rows for c in r])]
    return [TableRow((), header, tuple(r), tuple(aligns[i * width : (i + 1) * width])) for i, r in enumerate(rows)]


def _resolve(rows: Sequence[Sequence[str | Cell]], header: bool, figures_centred: bool) -> list[TableRow]:
    """Place every cell on the grid; cells covered by a rowspan become continuations."""
    out: list[TableRow] = []
    carried: dict[int, tuple[int, int]] = {}  # column -> (rows left, colspan) of a rowspan above
    figure = _FIGURE_RE.match
    plain_rows = all([type(c) is str for r in rows for c in r])
    if plain_rows and rows and len({len(r) for r in rows}) == 1:
        return _plain_grid(rows, header, figures_centred)
    for row in rows:
        if plain_rows or (not carried and all([type(c) is str for c in row])):
            # The common row: plain strings, no spans (kept as texts, see TableRow).
            out += _plain_grid([row], header, figures_centred)  # type: ignore[list-item]
            continue
        placed: list[TableCell] = []
        col = 0
        starts = {c: span for c, (left, span) in carried.items() if left > 0} if carried else {}
        cells = list(row)
        k = 0
        while k < len(cells) or col in starts:
            if col in starts:
                placed.append(TableCell("", col, starts[col], continued=True))
                col += starts[col]
                continue
            cell = cells[k]
            k += 1
            if isinstance(cell, str):
                text, colspan, rowspan = cell, 1, 1
            else:
                text, colspan, rowspan = cell.text, cell.colspan, cell.rowspan
            centred = header or (figures_centred and figure(text) is not None)
            placed.append(TableCell(text, col, colspan, rowspan, False, "center" if centred else "left"))
            col += colspan
        if carried:
            carried = {c: (left - 1, span) for c, (left, span) in carried.items() if left - 1 > 0}
        # A cell that starts a rowspan in this row was counted once already.
        for cell in placed:
            if cell.rowspan > 1 and not cell.continued:
                carried[cell.col] = (cell.rowspan - 1, cell.colspan)
        out.append(TableRow(tuple(placed), header))
    return out


def _ems(text: str) -> float:
    """Width in ems, full-width characters 1, others ½ — from byte counts:
    a CJK character takes three bytes in UTF-8 and ASCII one, so
    (bytes + characters) / 4 is exact for any mix of the two."""
    return (len(text.encode("utf-8")) + len(text)) / 4


def _column_widths(grid: list[TableRow], columns: int, total: int, size_pt: float, p: Gbt9704Profile) -> tuple[int, ...]:
    """Share the width: first every column's short cells (序号, figures, units)
    on one line, then the rest by how much text each column holds."""
    em = size_pt * 20
    # Cell text is not condensed like body text, and a hair of slack keeps
    # a two-character 序号 from wrapping.
    pad = 2 * p.table_cell_margin_twips + round(0.3 * em)
    lo, unwrapped, hi = p.table_min_column_chars * em + pad, p.table_unwrapped_chars * em + pad, p.table_max_column_chars * em + pad
    longest = [0.0] * columns
    if all([len(r.texts) == columns for r in grid]) and "\n" not in "".join([t for r in grid for t in r.texts]):
        # Every row a plain row: a column at a time, at C speed.
        longest = [max(map(add, map(len, map(str.encode, col)), map(len, col))) / 4 for col in zip(*[r.texts for r in grid])]
        grid = []
    for row in grid:
        for cell in row.placed():
            if cell.colspan == 1 and not cell.continued:
                text = cell.text
                ems = max(map(_ems, text.split("\n"))) if "\n" in text else _ems(text)
                if ems > longest[cell.col]:
                    longest[cell.col] = ems
    floor = [max(lo, min(n * em + pad, unwrapped)) for n in longest]
    want = [max(lo, min(n * em + pad, hi)) for n in longest]
    if sum(floor) >= total:
        shares = [w / sum(floor) * total for w in floor]
    elif sum(want) <= total:
        # Everything fits on one line: the rest of the width goes round evenly by size.
        shares = [w + (total - sum(want)) * w / sum(want) for w in want]
    else:
        # Long text must wrap somewhere: the spare width goes to the columns
        # holding it, by how much more they hold, so as few lines wrap as can.
        extra = [w - f for w, f in zip(want, floor)]
        spare = total - sum(floor)
        shares = [f + spare * e / sum(extra) for f, e in zip(floor, extra)]
    widths = [int(w) for w in shares]
    widths[-1] += total - sum(widths)  # the rounding remainder, so the table is exactly as wide as the block
    return tuple(widths)


def table_block(table: TableModel, p: Gbt9704Profile = PROFILE) -> Table:
    body_rows = [r for r in table.rows if r]
    header_rows = [r for r in table.header if r]
    first = (header_rows or body_rows)[0]
    columns = sum(cell_span(c)[1] for c in first)
    # The header decides the width, but a first row shortened by rowspans
    # above cannot happen: rowspans never cross from header to body.
    grid = _resolve(header_rows, True, True) + _resolve(body_rows, False, True)
    columns = max(columns, max(r.width for r in grid))
    dense = columns >= p.table_dense_min_columns
    size = p.table_dense_cell_size_pt if dense else p.table_cell_size_pt
    total = p.landscape_text_width_twips if table.landscape else p.text_width_twips
    widths = _column_widths(grid, columns, total, size, p)
    notes = tuple(line.strip() for note in table.notes for line in note.replace("\r", "\n").split("\n") if line.strip())
    return Table(table.title.strip(), tuple(grid), widths, notes, table.landscape, dense)
