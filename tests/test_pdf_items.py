"""Tables, lead sentences, attachment pages and landscape tables as printed:
LibreOffice renders, PyMuPDF measures (as tests/test_pdf_layout.py does)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pymupdf
import pytest

from tests.itemsdata import LEAD, items_report, wide_table
from tests.pdfmeasure import Line, Page, mm, read_pages
from service import render_report
from service.profile import PROFILE, TWIPS_PER_MM

P = PROFILE
TOP_MM = P.top_margin_twips / TWIPS_PER_MM
LEFT_MM = P.left_margin_twips / TWIPS_PER_MM
RIGHT_EDGE_MM = (P.page_width_twips - P.right_margin_twips) / TWIPS_PER_MM
BOTTOM_EDGE_MM = (P.page_height_twips - P.bottom_margin_twips) / TWIPS_PER_MM
PITCH_MM = P.line_pitch_twips / TWIPS_PER_MM
CENTRE_MM = (LEFT_MM + RIGHT_EDGE_MM) / 2
INSET_MM = P.page_number_inset_twips / TWIPS_PER_MM

RED = {"template": "red-header-report", "header": {"issuer": "XX县人民政府", "doc_number": "X政发〔2023〕5号"},
       "record": {"cc": ["县委办公室", "县人大常委会办公室"], "printer": "XX县人民政府办公室", "print_date": "2023-12-06"}}
# A landscape table long enough for two landscape pages, after a page and a half of text
# so that one landscape page is even and the next odd.
LANDSCAPE = items_report(
    sections=[{"heading": "分月情况", "paragraphs": ["各乡镇分月完成情况如下。" * 8] * 12 + [wide_table(rows=40)] + ["以上数据截至十一月底。"]}],
    attachments=[],
)


@pytest.fixture(scope="module")
def pdfs(pdf_of: Callable[[dict[str, bytes]], dict[str, Path]]) -> dict[str, Path]:
    docs = {
        "items": render_report(items_report()),
        "items-word": render_report(items_report(options={"numbering": "word"})),
        "items-red": render_report(items_report(**RED)),
        "landscape": render_report(LANDSCAPE),
        "landscape-end": render_report({"title": "附表", "preamble": ["各乡镇分月完成情况见下表。", wide_table()]}),
    }
    return pdf_of(docs)


@pytest.fixture(scope="module")
def pages(pdfs: dict[str, Path]) -> dict[str, list[Page]]:
    return {name: read_pages(path) for name, path in pdfs.items()}


def body(page: Page) -> list[Line]:
    return [l for l in page.lines if mm(l.baseline) <= BOTTOM_EDGE_MM + 0.5]


def footer(page: Page) -> str:
    return "".join(l.visible for l in page.lines if mm(l.baseline) > BOTTOM_EDGE_MM + 0.5)


def pages_with(pages: list[Page], text: str) -> list[Page]:
    return [p for p in pages if any(text in l.visible for l in p.lines)]


def test_a_45_row_table_repeats_its_header_on_the_next_page(pages: dict[str, list[Page]]) -> None:
    doc = pages["items"]
    first = pages_with(doc, "第1号民生实事")[0]
    last = pages_with(doc, "第45号民生实事")[0]
    assert last.number > first.number, "the table should run onto a second page"
    for page in doc[first.number : last.number]:  # every page the table runs onto
        top = body(page)[:3]
        assert any("序号" in l.visible and "责任单位" in l.visible for l in top), (page.number, [l.text for l in top])
    # Every body row is printed once: rows never split, nothing dropped.
    for i in range(1, 46):
        assert len(pages_with(doc, f"第{i}号民生实事")) == 1, i


def test_table_cells_are_single_spaced_in_14_pt(pages: dict[str, list[Page]]) -> None:
    page = pages_with(pages["items"], "第7号民生实事")[0]
    rows = [l for l in body(page) if "号民生实事" in l.visible]
    cell_lines = [l for l in body(page) if l.chars and abs(l.chars[0].size - P.table_cell_size_pt) < 0.1]
    assert rows and len(cell_lines) > len(rows)
    assert all(abs(c.size - P.table_cell_size_pt) < 0.1 for l in rows for c in l.chars if not c.c.isspace())
    # A wrapped cell's second line follows at single spacing, far closer than the body's 28.95 pt.
    # (Cells side by side share a printed line: "建设" wrapped from 项目名称, "局" from 责任单位.)
    wrapped = next(l for l in body(page) if l.visible.startswith("建设"))
    above = max((l for l in cell_lines if l.baseline < wrapped.baseline), key=lambda l: l.baseline)
    gap_pt = wrapped.baseline - above.baseline
    # Single spacing is the font's own line height (about 1.45 em for the CJK stand-ins).
    assert gap_pt < 1.5 * P.table_cell_size_pt, gap_pt
    # The table lies within the text block.
    assert all(LEFT_MM - 0.5 <= mm(l.x0) and mm(l.x1) <= RIGHT_EDGE_MM + 0.5 for l in rows)


def test_the_table_title_is_centred_above_and_the_note_below(pages: dict[str, list[Page]]) -> None:
    doc = pages["items"]
    title = next(l for p in doc for l in p.lines if l.visible.startswith("表1"))
    assert abs(mm((title.x0 + title.x1) / 2) - CENTRE_MM) < 1.5
    assert "Sans" in title.chars[0].font  # 黑体's stand-in
    note = next(l for p in doc for l in p.lines if l.visible.startswith("注："))
    last_row = next(l for p in doc for l in p.lines if "第45号" in l.visible)
    assert note.page == last_row.page and note.baseline > last_row.baseline
    assert abs(note.chars[0].size - P.table_note_size_pt) < 0.1


def _stroked(pdf: Path, page_no: int) -> str:
    """Text LibreOffice emboldens by stroking (synthetic bold of the body font)."""
    with pymupdf.open(pdf) as doc:
        return "".join(chr(c[0]) for t in doc[page_no - 1].get_texttrace() if t["type"] == 1 for c in t["chars"])


def test_lead_sentences_are_bold_within_28_character_lines(pages: dict[str, list[Page]], pdfs: dict[str, Path]) -> None:
    doc = pages["items"]
    first = doc[0]
    lead_lines = [l for l in first.lines if l.visible.startswith(LEAD["lead"])]
    assert lead_lines
    stroked = _stroked(pdfs["items"], 1)
    assert LEAD["lead"] in stroked
    assert "据统计" not in stroked  # the rest of the paragraph is in body type
    line = lead_lines[0]
    following = first.lines[first.lines.index(line) + 1]
    assert len(line.visible) == P.chars_per_line - P.indent_chars  # one paragraph, the usual first line
    assert len(following.visible) == P.chars_per_line
    assert {c.size for c in line.chars} == {P.body_size_pt}


@pytest.mark.parametrize("name", ["items", "items-word", "items-red"])
def test_each_attachment_starts_a_page_with_its_label_and_title_on_line_3(pages: dict[str, list[Page]], name: str) -> None:
    doc = pages[name]
    # Where a page's first line of 16 pt text sits: the title page's body starts on line 3.
    first_page = body(pages["items"][0])
    first_line_mm = mm(next(l for l in first_page if l.chars[0].size == P.body_size_pt).baseline) - 2 * PITCH_MM
    for label, title in (("附件1", "2023年民生实事项目实施情况"), ("附件3", "分月完成情况")):
        page = pages_with(doc, title)[-1]
        lines = body(page)
        assert lines[0].visible == label, (name, page.number, lines[0].text)
        assert abs(mm(lines[0].x0) - LEFT_MM) < 0.5
        assert "Sans" in lines[0].chars[0].font  # 黑体
        assert abs(mm(lines[0].baseline) - first_line_mm) < 1.0
        head = lines[1]
        assert head.visible == title
        assert abs(mm(head.baseline) - (first_line_mm + 2 * PITCH_MM)) < 1.0  # line 3
        assert abs(mm((head.x0 + head.x1) / 2) - CENTRE_MM) < 1.5
        assert {round(c.size) for c in head.chars if not c.c.isspace()} == {round(P.title_size_pt)}
        # Its body restarts the numbering at 一、.
        heading = next(l for l in lines[2:] if l.visible[:2] in ("一、", "二、"))
        assert heading.visible.startswith("一、")
    # Page numbers continue through the attachments.
    numbers = [footer(p) for p in doc]
    assert numbers == [f"—{n}—" for n in range(1, len(doc) + 1)]


def test_the_record_is_on_the_last_page_after_the_attachments(pages: dict[str, list[Page]]) -> None:
    doc = pages["items-red"]
    with_record = pages_with(doc, "抄送：")
    assert [p.number for p in with_record] == [len(doc)]
    last = doc[-1]
    assert any("统计口径" in l.visible for l in last.lines)  # the last attachment's text
    cc = next(l for l in last.lines if "抄送" in l.visible)
    assert mm(cc.baseline) > BOTTOM_EDGE_MM - 3 * PITCH_MM


def _rotated_numbers(pdf: Path) -> dict[int, tuple[str, pymupdf.Rect, tuple[float, float]]]:
    out = {}
    with pymupdf.open(pdf) as doc:
        for page in doc:
            if page.rect.width <= page.rect.height:
                continue
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    text = "".join(s["text"] for s in line["spans"]).replace(" ", "")
                    if text.startswith("—") and text.endswith("—"):
                        out[page.number + 1] = (text, pymupdf.Rect(line["bbox"]), line["dir"])
    return out


def test_a_landscape_table_page_keeps_its_page_number_where_gbt9704_puts_it(pages: dict[str, list[Page]], pdfs: dict[str, Path]) -> None:
    doc = pages["landscape"]
    landscape = [p.number for p in doc if p.width_pt > p.height_pt]
    assert len(landscape) >= 2, "the table should fill two landscape pages"
    numbers = _rotated_numbers(pdfs["landscape"])
    assert sorted(numbers) == landscape
    for n in landscape:
        text, box, direction = numbers[n]
        assert text == f"—{n}—"
        # Held upright, the landscape page's left edge is the sheet's foot: the number
        # runs down that edge, its dash line as far from the text block as on portrait pages.
        assert direction == (0.0, 1.0), direction
        assert abs(mm((box.x0 + box.x1) / 2) - (P.bottom_margin_twips / TWIPS_PER_MM - P.page_number_dash_below_text_mm)) < 1.0
        if n % 2:  # odd: the sheet's right, one character in from the text block's edge
            assert abs(mm(box.y1) - (RIGHT_EDGE_MM - INSET_MM)) < 1.0, mm(box.y1)
        else:  # even: the sheet's left
            assert abs(mm(box.y0) - (LEFT_MM + INSET_MM)) < 1.0, mm(box.y0)
    # The header row repeats on the second landscape page, and portrait pages keep their numbers.
    second = doc[landscape[1] - 1]
    assert any("乡镇" in l.visible and "12月" in l.visible for l in second.lines[:6])
    after = doc[landscape[-1]]
    assert after.width_pt < after.height_pt and footer(after) == f"—{after.number}—"


def test_a_body_ending_with_a_landscape_table_has_no_blank_page_after_it(pages: dict[str, list[Page]]) -> None:
    doc = pages["landscape-end"]
    assert [p.width_pt > p.height_pt for p in doc] == [False, True]
    assert any("第8镇" in l.visible for l in doc[-1].lines)
