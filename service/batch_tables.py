"""Tables in spreadsheet batches: one worksheet per table.

A CSV or XLSX row cannot hold a table. In an .xlsx workbook the first sheet
holds the reports, one a row; a table goes on a sheet of its own, and a line
``【表格：表1 主要指标】`` in the row's text (正文, 开头 or 结尾) puts the sheet
named "表1 主要指标" there: its first row is the table's header (repeated on
every page), the rows under it are the body, rows starting with "注：" after
the table are its notes, and the sheet's name is the table's title. A clerk
fills this in with Excel or WPS alone; a program can send JSON instead.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from .model import ErrorDetail
from .tables import NOTE_LINE_RE

MARKER_RE = re.compile(r"^\s*[【\[]\s*表格\s*[:：]\s*(?P<name>[^】\]]+?)\s*[】\]]\s*$")
MAX_TABLE_SHEET_ROWS = 2_000
MAX_TABLE_SHEET_COLUMNS = 40
MAX_TABLE_SHEETS = 100  # sheets after the first, one table each

Sheet = list[list[str]]


def sheet_table(name: str, rows: Iterable[Iterable[str]]) -> dict[str, Any]:
    """A worksheet's cells → the contract's table object."""
    grid: Sheet = []
    for row in rows:
        cells = [c.strip() if isinstance(c, str) else "" for c in row][:MAX_TABLE_SHEET_COLUMNS]
        if any(cells):
            grid.append(cells)
        if len(grid) > MAX_TABLE_SHEET_ROWS:
            break
    notes: list[str] = []
    while grid and NOTE_LINE_RE.match(grid[-1][0]) and not any(grid[-1][1:]):
        notes.insert(0, grid.pop()[0])
    width = max((max((i + 1 for i, c in enumerate(r) if c), default=0) for r in grid), default=0)
    # Blank trailing cells are empty cells, not a shorter row.
    grid = [(r + [""] * width)[:width] for r in grid]
    return {"title": name.strip(), "header": grid[:1], "rows": grid[1:], "notes": notes}


def _walk_lists(item: dict[str, Any], pointer: str) -> Iterable[tuple[list[Any], str]]:
    for key in ("preamble", "closing"):
        if isinstance(item.get(key), list):
            yield item[key], f"{pointer}/{key}"
    stack = [(s, f"{pointer}/sections/{i}") for i, s in enumerate(item.get("sections") or []) if isinstance(s, dict)]
    while stack:
        section, where = stack.pop()
        if isinstance(section.get("paragraphs"), list):
            yield section["paragraphs"], f"{where}/paragraphs"
        stack += [(s, f"{where}/sections/{i}") for i, s in enumerate(section.get("sections") or []) if isinstance(s, dict)]


def place_tables(items: list[dict[str, Any]], sheets: dict[str, Sheet] | None) -> list[ErrorDetail]:
    """Replace every 【表格：名称】 line by the table on the sheet of that name.

    ``sheets`` is None for CSV input, which cannot carry tables: a marker
    there is an error rather than a line printed as it is.
    """
    problems: list[ErrorDetail] = []
    for index, item in enumerate(items):
        for paragraphs, where in _walk_lists(item, f"/{index}"):
            for i, text in enumerate(paragraphs):
                m = MARKER_RE.match(text) if isinstance(text, str) else None
                if not m:
                    continue
                name = m["name"]
                if sheets is None:
                    problems.append(ErrorDetail(f"{where}/{i}", f"CSV 文件不能带表格“{name}”：请改用 .xlsx，把表格放在名为“{name}”的工作表中", "table_in_csv"))
                elif name not in sheets:
                    known = "、".join(sheets) or "（只有报告所在的第一个工作表）"
                    problems.append(ErrorDetail(f"{where}/{i}", f"找不到名为“{name}”的工作表（工作簿中的表格工作表：{known}）", "unknown_table_sheet"))
                else:
                    table = sheet_table(name, sheets[name])
                    if not table["header"]:
                        problems.append(ErrorDetail(f"{where}/{i}", f"工作表“{name}”是空的", "empty_table_sheet"))
                        continue
                    paragraphs[i] = {"table": table}
    return problems
