"""Tables in the body: single-spaced cells, repeated header rows, within the text block."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from lxml import etree

from ...docx.effective import w
from ...profile import PROFILE, TWIPS_PER_PT, mm_to_twips
from ..document import RECORD, LintDocument, Para
from ..patterns import RECORD_RE
from ..findings import Issue, excerpt
from .common import pt
from .page import page_setup

P = PROFILE
# A cell line spacing at or above this (exact or at-least) is body spacing, not a table's.
CELL_LINE_MAX_TWIPS = 20 * TWIPS_PER_PT
# More body rows than this cannot fit one page at single spacing: the header must repeat.
ROWS_NEEDING_REPEAT = 15
WIDTH_TOLERANCE_TWIPS = mm_to_twips(1.0)


@dataclass
class BodyTable:
    element: etree._Element
    paragraphs: list[Para]  # its cells' paragraphs, in order

    @property
    def first(self) -> Para:
        return self.paragraphs[0]

    def rows(self) -> list[etree._Element]:
        return self.element.findall(w("tr"))

    def width_twips(self) -> int | None:
        grid = [int(c.get(w("w"), "0")) for c in self.element.iterfind(f"{w('tblGrid')}/{w('gridCol')}") if c.get(w("w"), "").isdigit()]
        if grid:
            return sum(grid)
        tbl_w = self.element.find(f"{w('tblPr')}/{w('tblW')}")
        if tbl_w is not None and tbl_w.get(w("type")) == "dxa" and tbl_w.get(w("w"), "").isdigit():
            return int(tbl_w.get(w("w")))
        return None


def body_tables(doc: LintDocument) -> list[BodyTable]:
    """Outermost tables of the body (not the 版记's table in its text box)."""
    if "body_tables" in doc.cache:
        return doc.cache["body_tables"]  # type: ignore[return-value]
    tables: dict[int, BodyTable] = {}
    for p in doc.paragraphs:
        if not p.info.in_table or p.info.in_textbox or p.info.element is None:
            continue
        outer = None
        for anc in p.info.element.iterancestors(w("tbl")):
            outer = anc
        if outer is None:
            continue
        tables.setdefault(id(outer), BodyTable(outer, [])).paragraphs.append(p)
    found = list(tables.values())
    doc.cache["body_tables"] = found
    return found


def _is_header(row: etree._Element) -> bool:
    flag = row.find(f"{w('trPr')}/{w('tblHeader')}")
    return flag is not None and flag.get(w("val"), "true") not in ("0", "false", "off")


def _is_record(table: BodyTable) -> bool:
    """A 版记 typed as a table: its lines sit on the body's grid by design."""
    return any(p.role == RECORD or RECORD_RE.search(p.text) for p in table.paragraphs)


def check_cell_spacing(doc: LintDocument) -> Iterator[Issue]:
    for table in body_tables(doc):
        if _is_record(table):
            continue
        wide = next(
            (p for p in table.paragraphs if p.text.strip() and p.info.format.line_rule in ("exact", "atLeast")
             and (p.info.format.line_twips or 0) >= CELL_LINE_MAX_TWIPS),
            None,
        )
        if wide is not None:
            line = pt((wide.info.format.line_twips or 0) / TWIPS_PER_PT)
            yield Issue(f"表格内的文字用了{'固定值' if wide.info.format.line_rule == 'exact' else '最小值'} {line} 磅行距，"
                        "每行会被撑得很高：表格内应为单倍行距（正文的固定行距只用于正文段落）。", wide.index, excerpt(wide.text))


def check_header_repeat(doc: LintDocument) -> Iterator[Issue]:
    for table in body_tables(doc):
        rows = table.rows()
        if len(rows) > ROWS_NEEDING_REPEAT and not _is_header(rows[0]):
            yield Issue(f"表格有 {len(rows)} 行，会跨页，但表头行没有设为“在各页顶端以标题行形式重复出现”"
                        "（表格属性→行），续页上将没有表头。", table.first.index, excerpt(table.first.text))


def _section_width(doc: LintDocument, paragraph: int) -> int | None:
    for section in doc.sections:
        if section.paragraph_index is None or section.paragraph_index >= paragraph:
            setup = page_setup(section)
            return setup.text_width if setup.width else None
    return None


def check_width(doc: LintDocument) -> Iterator[Issue]:
    for table in body_tables(doc):
        width, block = table.width_twips(), _section_width(doc, table.first.index)
        if width and block and width > block + WIDTH_TOLERANCE_TWIPS:
            yield Issue(f"表格宽 {width / 56.693:.0f} mm，超出版心宽度 {block / 56.693:.0f} mm：表格应在版心之内"
                        "（过宽的表格可缩小字号，或单独排在横向页面上）。", table.first.index, excerpt(table.first.text))
