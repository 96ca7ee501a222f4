"""Layout as a person would check it: LibreOffice renders, PyMuPDF measures.

22 lines a page, 28 characters a line (26 on an indented first line),
margins 37/35/28/26 mm, "— N —" page numbers outside (odd right, even left)
with the dash line 7 mm under the text block.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pymupdf
import pytest

from tests.pdfmeasure import Line, Page, mm, read_pages
from service import render_report
from service.profile import PROFILE, TWIPS_PER_MM

P = PROFILE
TOP_MM = P.top_margin_twips / TWIPS_PER_MM  # 37
BOTTOM_EDGE_MM = (P.page_height_twips - P.bottom_margin_twips) / TWIPS_PER_MM  # 262
LEFT_MM = P.left_margin_twips / TWIPS_PER_MM  # 28
RIGHT_EDGE_MM = (P.page_width_twips - P.right_margin_twips) / TWIPS_PER_MM  # 184
PITCH_MM = P.line_pitch_twips / TWIPS_PER_MM  # 10.21
INDENT_MM = P.first_line_indent_twips / TWIPS_PER_MM
INSET_MM = P.page_number_inset_twips / TWIPS_PER_MM
CHAR_MM = P.body_char_width_twips / TWIPS_PER_MM

# Punctuation a line may not start with; LibreOffice (like Word) then moves a
# character down or lets the mark hang past the right edge.
NO_LINE_START = "，。、；：？！）》〉」』”’…—"
NO_LINE_END = "（《〈「『“‘"


def full_width(ch: str) -> bool:
    return ord(ch) >= 0x2E80 or ch in "“”‘’…—"


def body_lines(page: Page) -> list[Line]:
    return [l for l in page.lines if mm(l.baseline) <= BOTTOM_EDGE_MM + 0.5]


def footer_lines(page: Page) -> list[Line]:
    return [l for l in page.lines if mm(l.baseline) > BOTTOM_EDGE_MM + 0.5]


@pytest.fixture(scope="module")
def rendered(examples: dict[str, dict[str, Any]], pdf_of: Callable[[dict[str, bytes]], dict[str, Path]]) -> dict[str, list[Page]]:
    long = examples["town-renda-summary-long"]
    docs = {
        "long": render_report(long),
        "long-windows": render_report({**long, "options": {"font_set": "windows"}}),
        "long-word-numbering": render_report({**long, "options": {"numbering": "word"}}),
        "county": render_report(examples["county-gov-work-report"]),
        "duty": render_report(examples["school-duty-report"]),
        "short-centre-sealed": render_report(examples["short-summary"]),
    }
    return {name: read_pages(path) for name, path in pdf_of(docs).items()}


def test_the_long_example_is_eight_to_sixteen_pages(rendered: dict[str, list[Page]]) -> None:
    assert 8 <= len(rendered["long"]) <= 16


@pytest.mark.parametrize("name", ["long", "long-windows", "county", "duty"])
def test_every_full_page_has_22_lines(rendered: dict[str, list[Page]], name: str) -> None:
    pages = rendered[name]
    for page in pages[1:-1]:
        lines = body_lines(page)
        slots = round((lines[-1].baseline - lines[0].baseline) * 25.4 / 72 / PITCH_MM) + 1
        if len(lines) == P.lines_per_page - 1:
            # Keep-with-next moved a stand-alone heading to the next page.
            nxt = body_lines(pages[page.number])[0]
            assert nxt.chars[0].font != lines[0].chars[0].font or nxt.text[:2] in ("一、", "二、"), page.number
            continue
        assert len(lines) == P.lines_per_page, (name, page.number, [l.text for l in lines])
        assert slots == P.lines_per_page


@pytest.mark.parametrize("name", ["long", "long-windows", "county", "duty", "short-centre-sealed"])
def test_lines_sit_on_the_grid_and_fill_the_text_block(rendered: dict[str, list[Page]], name: str) -> None:
    for page in rendered[name]:
        lines = body_lines(page)
        first = mm(lines[0].baseline)
        assert TOP_MM < first < TOP_MM + PITCH_MM, (page.number, first)
        for line in lines:
            steps = (mm(line.baseline) - first) / PITCH_MM
            assert abs(steps - round(steps)) < 0.05, (page.number, line.text)
        if len(lines) == P.lines_per_page:
            assert BOTTOM_EDGE_MM - PITCH_MM < mm(lines[-1].baseline) <= BOTTOM_EDGE_MM


@pytest.mark.parametrize("name", ["long", "long-windows", "county", "duty"])
def test_28_characters_a_line_26_on_an_indented_first_line(rendered: dict[str, list[Page]], name: str) -> None:
    counted = 0
    lines = [l for page in rendered[name] for l in body_lines(page)]
    for line, nxt in zip(lines, lines[1:]):
        text = line.visible
        starts_left = abs(mm(line.x0) - LEFT_MM) < 0.5
        starts_indented = abs(mm(line.x0) - LEFT_MM - INDENT_MM) < 0.5
        continues = abs(mm(nxt.x0) - LEFT_MM) < 0.5  # next line is this paragraph's continuation
        if not (continues and (starts_left or starts_indented)) or not all(full_width(c) for c in text):
            continue
        inside = [c for c in line.chars if not c.c.isspace() and mm(c.x1) <= RIGHT_EDGE_MM + 0.3]
        expected = P.chars_per_line if starts_left else P.chars_per_line - P.indent_chars
        if len(inside) == expected - 1:
            # Line-breaking rules moved the last character down: a mark that may
            # not end this line or start the next, or a number kept whole.
            head = nxt.visible[:2]
            assert head[0] in NO_LINE_START + NO_LINE_END or head[0].isascii() or head[1:] in tuple(NO_LINE_START), line.text
            continue
        assert len(inside) == expected, (line.page, line.text)
        counted += 1
    assert counted > 20


@pytest.mark.parametrize("name", ["long", "county", "short-centre-sealed"])
def test_text_block_edges(rendered: dict[str, list[Page]], name: str) -> None:
    lines = [l for page in rendered[name] for l in body_lines(page)]
    left = min(mm(l.x0) for l in lines)
    assert abs(left - LEFT_MM) <= P.margin_tolerance_mm
    right = max(mm(c.x1) for l in lines for c in l.chars if c.c not in NO_LINE_START)
    assert abs(right - RIGHT_EDGE_MM) <= P.margin_tolerance_mm
    first_page_title = rendered[name][0].lines[0]
    assert abs(mm(first_page_title.top) - TOP_MM) < 4  # the title starts at the top of the text block


@pytest.mark.parametrize("name", ["long", "county", "duty"])
def test_page_numbers_outside(rendered: dict[str, list[Page]], name: str) -> None:
    for page in rendered[name]:
        (footer,) = footer_lines(page)
        assert footer.text == f"— {page.number} —"
        assert all(c.font.lower().find("serif") >= 0 and c.size == pytest.approx(14, abs=0.1) for c in footer.chars if not c.c.isspace())
        if page.number % 2:
            assert abs(mm(footer.x1) - (RIGHT_EDGE_MM - INSET_MM)) < 0.8, page.number
        else:
            assert abs(mm(footer.x0) - (LEFT_MM + INSET_MM)) < 0.8, page.number
        dash = next(c for c in footer.chars if c.c == "—")
        dash_mm = mm((dash.y0 + dash.y1) / 2)
        assert abs(dash_mm - (BOTTOM_EDGE_MM + 7)) < 1.0, dash_mm


def test_centred_page_numbers(rendered: dict[str, list[Page]]) -> None:
    for page in rendered["short-centre-sealed"]:
        (footer,) = footer_lines(page)
        assert footer.text == f"— {page.number} —"
        centre = mm((footer.x0 + footer.x1) / 2)
        assert abs(centre - (LEFT_MM + RIGHT_EDGE_MM) / 2) < 1.0


def test_native_numbering_looks_the_same_as_text_numbering(rendered: dict[str, list[Page]]) -> None:
    text = [l.visible for p in rendered["long"] for l in body_lines(p)]
    native = [l.visible for p in rendered["long-word-numbering"] for l in body_lines(p)]
    assert native == text


def test_sealed_signature_and_date(rendered: dict[str, list[Page]], examples: dict[str, dict[str, Any]]) -> None:
    lines = body_lines(rendered["short-centre-sealed"][-1])
    report = examples["short-summary"]
    sig = next(l for l in lines if l.visible == report["signature"].replace(" ", ""))
    date = lines[lines.index(sig) + 1]
    assert date.visible.endswith("日") and "年" in date.visible
    assert abs(mm(date.x1) - (RIGHT_EDGE_MM - 4 * CHAR_MM)) < 1.5  # right-indented four characters
    assert abs(mm((sig.x0 + sig.x1) / 2) - mm((date.x0 + date.x1) / 2)) < 1.5  # signature centred over the date


def test_unsealed_signature_and_date(rendered: dict[str, list[Page]], examples: dict[str, dict[str, Any]]) -> None:
    lines = body_lines(rendered["long"][-1])
    report = examples["town-renda-summary-long"]
    sig = next(l for l in lines if l.visible == report["signature"])
    date = lines[lines.index(sig) + 1]
    assert abs(mm(sig.x1) - (RIGHT_EDGE_MM - 2 * CHAR_MM)) < 1.0  # right-indented two characters
    assert abs(mm(date.x0) - (mm(sig.x0) + 2 * CHAR_MM)) < 1.0  # date starts two characters further right
    assert date.visible == "2025年12月5日"


def test_save_pages_for_a_person_to_look_at(rendered: dict[str, list[Page]], pdf_of: Callable[[dict[str, bytes]], dict[str, Path]], output_dir: Path) -> None:
    """Writes PNGs of the first pages under test-output/ (not committed)."""
    for name in ("long", "county", "short-centre-sealed"):
        pdf = pdf_of({name: b""})[name]
        with pymupdf.open(pdf) as doc:
            for i in range(min(2, len(doc))):
                out = output_dir / f"{name}-page{i + 1}.png"
                doc[i].get_pixmap(dpi=60).save(out)
                assert out.stat().st_size > 10_000
