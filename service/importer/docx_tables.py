"""Tables of an imported .docx as table items (contract v1.1), not text.

The text importer sees each table as one marker paragraph; once the reports
are built, :func:`place_tables` puts the table where its marker ended up. A
caption just above it ("表1 主要指标") becomes the table's title and "注："
lines just below become its notes. A table the model cannot hold (too large,
a grid Word itself would not draw) is kept as text lines instead, row by row,
with a warning: nothing is dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from lxml import etree
from pydantic import ValidationError

from ..model import MAX_TABLE_COLUMNS, MAX_TABLE_ROWS, Table
from ..ooxml.reader import visible_text, w
from ..tables import NOTE_LINE_RE
from .result import ImportWarning

# Private-use characters fence the marker: no text a person writes holds
# them, and the importer's passes keep a sentence that ends in 。 as body text.
_FENCE = "\ue000"
_MARKER_RE = re.compile(f"{_FENCE}表格(\\d+)：文档中的第\\d+个表格。{_FENCE}")
CAPTION_RE = re.compile(r"^(?:续?表\s*[0-9０-９一二三四五六七八九十]+[-—.．]?[0-9０-９]*)(?:\s|[:：]|$)")
CAPTION_MAX_CHARS = 60


def marker(n: int) -> str:
    """The paragraph text that stands for table ``n`` until :func:`place_tables`."""
    return f"{_FENCE}表格{n}：文档中的第{n}个表格。{_FENCE}"


@dataclass(frozen=True, slots=True)
class DocxTable:
    """A table read from Word: the item's table when the model takes it, and its rows as text lines."""

    table: dict[str, Any] | None
    lines: tuple[str, ...]


def _on(el: etree._Element | None) -> bool:
    return el is not None and el.get(w("val"), "true") not in ("0", "false", "off")


def _cell_text(tc: etree._Element, notes: Mapping[tuple[str, str], str]) -> str:
    # Nested tables' paragraphs are part of the cell: their text stays in it.
    return "\n".join(t for p in tc.iter(w("p")) if (t := visible_text(p, notes).strip()))


def _span(tc: etree._Element) -> int:
    span = tc.find(f"{w('tcPr')}/{w('gridSpan')}")
    try:
        return max(1, int(span.get(w("val"), "1"))) if span is not None else 1
    except ValueError:
        return 1


def _vmerge(tc: etree._Element) -> str | None:
    """"restart", "continue" or None (no vertical merge)."""
    el = tc.find(f"{w('tcPr')}/{w('vMerge')}")
    if el is None:
        return None
    return "restart" if el.get(w("val")) == "restart" else "continue"


def _grid_before(tr: etree._Element) -> int:
    el = tr.find(f"{w('trPr')}/{w('gridBefore')}")
    try:
        return int(el.get(w("val"), "0")) if el is not None else 0
    except ValueError:
        return 0


def read_table(tbl: etree._Element, notes: Mapping[tuple[str, str], str]) -> DocxTable:
    """One ``w:tbl`` (its own rows; nested tables stay inside their cells)."""
    grid: list[list[dict[str, Any]]] = []  # rows of {"text", "colspan", "rowspan"}, merged-away cells left out
    lines: list[str] = []
    header_rows = 0
    open_rowspans: dict[int, dict[str, Any]] = {}  # grid column -> the cell a vMerge continues
    for r, tr in enumerate(tbl.findall(w("tr"))):
        if r == header_rows and _on(tr.find(f"{w('trPr')}/{w('tblHeader')}")):
            header_rows += 1
        row: list[dict[str, Any]] = [{"text": "", "colspan": 1, "rowspan": 1} for _ in range(_grid_before(tr))]
        col = len(row)
        texts: list[str] = []
        for tc in tr.findall(w("tc")):
            span, merge, text = _span(tc), _vmerge(tc), _cell_text(tc, notes)
            if text:
                texts.append(text.replace("\n", " "))
            if merge == "continue" and col in open_rowspans:
                open_rowspans[col]["rowspan"] += 1
                if text:  # Word hides a continued cell's text; keep it in the cell above, never drop it
                    open_rowspans[col]["text"] += "\n" + text
            else:
                cell = {"text": text, "colspan": span, "rowspan": 1}
                row.append(cell)
                if merge == "restart":
                    open_rowspans[col] = cell
                else:
                    open_rowspans.pop(col, None)
            col += span
        grid.append(row)
        lines.append("\u3000".join(texts))
    return DocxTable(_as_item(grid, header_rows), tuple(line for line in lines if line))


def _as_item(grid: list[list[dict[str, Any]]], header_rows: int) -> dict[str, Any] | None:
    """The contract's table object, or None when the model cannot hold this grid."""
    if not any(c["text"] for row in grid for c in row):
        return None
    if len(grid) > MAX_TABLE_ROWS or any(sum(c["colspan"] for c in row) > MAX_TABLE_COLUMNS for row in grid):
        return None
    # Word marks repeated header rows; without a mark a 公文's table still opens with its header.
    cut = header_rows or 1
    compact = [[_compact(c) for c in row] for row in grid]
    item = {"header": compact[:cut], "rows": compact[cut:]}
    try:
        Table.model_validate(item)
    except (ValidationError, ValueError):
        return None
    return item


def _compact(cell: dict[str, Any]) -> str | dict[str, Any]:
    """A plain string for an ordinary cell, as people write tables in JSON."""
    if cell["colspan"] == 1 and cell["rowspan"] == 1:
        return cell["text"]
    return cell


# ---------------------------------------------------------------------------
# After the text importer: markers → table items


def place_tables(reports: list[dict[str, Any]], tables: list[DocxTable], warnings: list[ImportWarning]) -> None:
    """Replace every table marker left in the reports by its table.

    A marker standing as a paragraph becomes the table item (its caption and
    notes drawn in); a marker anywhere else (inside a sentence the text
    importer joined, a heading, the signature) gives the table's rows as
    text there, so that nothing is lost.
    """
    as_text = 0
    for report in reports:
        for items in _paragraph_lists(report):
            as_text += _place_in(items, tables)
        as_text += _flatten_strings(report, tables)
    if as_text:
        warnings.append(ImportWarning(
            f"文档中有 {as_text} 个表格无法按表格导入（过大，或合并单元格不规则），已按行转为文字段落（单元格之间用全角空格隔开），请核对",
            None, "table_as_text"))
    if any(t.table is not None for t in tables) and len(tables) > as_text:
        warnings.append(ImportWarning(
            f"已导入 {len(tables) - as_text} 个表格（表头、合并单元格保留），请核对表题和表注", None, "tables_imported"))


def _paragraph_lists(node: Any) -> list[list[Any]]:
    """Every list of paragraph items in a report (preamble, closing, sections at any depth, attachment bodies)."""
    found: list[list[Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("preamble", "closing", "paragraphs") and isinstance(value, list):
                found.append(value)
            elif key in ("sections", "attachments") and isinstance(value, list):
                for child in value:
                    found += _paragraph_lists(child)
    return found


def _place_in(items: list[Any], tables: list[DocxTable]) -> int:
    as_text = 0
    i = 0
    while i < len(items):
        text = items[i]
        m = _MARKER_RE.search(text) if isinstance(text, str) else None
        if m is None:
            i += 1
            continue
        table = tables[int(m.group(1)) - 1]
        before, after = text[: m.start()].strip(), text[m.end():].strip()
        if table.table is None:
            as_text += 1
            replacement: list[Any] = list(table.lines)
        else:
            replacement = [{"table": dict(table.table)}]
        pieces = ([before] if before else []) + replacement + ([after] if after else [])
        items[i : i + 1] = pieces
        if table.table is not None:
            i = _caption_and_notes(items, i + (1 if before else 0)) + 1
        else:
            i += len(pieces)
    return as_text


def _caption_and_notes(items: list[Any], at: int) -> int:
    """Draw a caption just above and "注：" lines just below the table at
    ``items[at]`` into it; the table's index afterwards."""
    table = items[at]["table"]
    while at + 1 < len(items) and isinstance(items[at + 1], str) and NOTE_LINE_RE.match(items[at + 1]):
        table.setdefault("notes", []).append(items.pop(at + 1).strip())
    above = items[at - 1] if at > 0 else None
    if isinstance(above, str) and CAPTION_RE.match(above.strip()) and len(above.strip()) <= CAPTION_MAX_CHARS:
        table["title"] = items.pop(at - 1).strip()
        return at - 1
    return at


def _flatten_strings(node: Any, tables: list[DocxTable]) -> int:
    """Markers left in any other string (a heading, a title …) become the rows' text."""
    count = 0

    def fix(text: str) -> str:
        nonlocal count

        def rows(m: re.Match[str]) -> str:
            nonlocal count
            count += 1
            return " ".join(tables[int(m.group(1)) - 1].lines)

        return _MARKER_RE.sub(rows, text)

    def walk(value: Any, setter: Callable[[Any], None]) -> None:
        if isinstance(value, str):
            if _FENCE in value:
                setter(fix(value))
        elif isinstance(value, dict):
            for key, child in list(value.items()):
                walk(child, lambda v, k=key: value.__setitem__(k, v))
        elif isinstance(value, list):
            for k, child in enumerate(list(value)):
                walk(child, lambda v, k=k: value.__setitem__(k, v))

    walk(node, lambda v: None)
    return count
