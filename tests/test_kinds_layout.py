"""Each template kind rendered and measured: 版头, 版记, subtitle and speaker lines."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pymupdf
import pytest

from tests.pdfmeasure import mm, read_pages
from service import render_report
from service.profile import PROFILE, TWIPS_PER_MM
from service.templates import template_kinds

P = PROFILE
TOP_MM = P.top_margin_twips / TWIPS_PER_MM
BOTTOM_EDGE_MM = (P.page_height_twips - P.bottom_margin_twips) / TWIPS_PER_MM
LEFT_MM = P.left_margin_twips / TWIPS_PER_MM
RIGHT_EDGE_MM = (P.page_width_twips - P.right_margin_twips) / TWIPS_PER_MM
CENTRE_MM = (LEFT_MM + RIGHT_EDGE_MM) / 2


@pytest.fixture(scope="module")
def pdfs(examples: dict[str, dict[str, Any]], pdf_of: Callable[[dict[str, bytes]], dict[str, Path]]) -> dict[str, Path]:
    docs = {f"scaffold-{k}": render_report(kind.scaffold) for k, kind in template_kinds().items()}
    docs["red"] = render_report(examples["red-header-report"])
    signer = {**examples["red-header-report"], "header": {**examples["red-header-report"]["header"], "signer": "王五", "copy_number": "000123", "secrecy": "内部", "urgency": "特急"}}
    docs["red-signer"] = render_report(signer)
    docs["county"] = render_report(examples["county-gov-work-report"])
    docs["duty"] = render_report(examples["school-duty-report"])
    return pdf_of(docs)


def rules(pdf: Path, page: int) -> list[tuple[float, float, float, float, tuple[float, ...]]]:
    with pymupdf.open(pdf) as doc:
        found = {(round(mm(d["rect"].x0), 1), round(mm(d["rect"].y0), 1), round(mm(d["rect"].x1), 1), d.get("width") or 0, tuple(d.get("color") or ())) for d in doc[page].get_drawings()}
    return sorted(found, key=lambda r: r[1])


def centred(line: Any) -> bool:
    return abs(mm((line.x0 + line.x1) / 2) - CENTRE_MM) < 1.5


@pytest.mark.parametrize("name", ["red", "red-signer", "scaffold-red-header-report"])
def test_red_header(pdfs: dict[str, Path], examples: dict[str, dict[str, Any]], name: str) -> None:
    first = read_pages(pdfs[name])[0]
    mark = next(l for l in first.lines if l.chars[0].size == pytest.approx(P.issuer_mark_size_pt, abs=0.5))
    assert abs(mm(mark.top) - (TOP_MM + P.issuer_mark_offset_mm)) < 1.0  # 35 mm below the text block's top
    assert centred(mark)
    red = [r for r in rules(pdfs[name], 0) if r[4] and r[4][0] > 0.9 and r[4][1] < 0.1]
    assert red, "no red rule"
    x0, y, x1, width, _ = red[0]
    assert abs(x0 - LEFT_MM) < 0.5 and abs(x1 - RIGHT_EDGE_MM) < 0.5  # as wide as the text block
    number = next(l for l in first.lines if "〔" in l.text)
    gap = y - mm(max(c.y1 for c in number.chars))
    assert abs(gap - P.red_rule_gap_mm) < 1.0, gap
    title = next(l for l in first.lines if l.chars[0].size == pytest.approx(P.title_size_pt, abs=0.5))
    assert mm(title.top) > y + 1.5 * P.line_pitch_twips / TWIPS_PER_MM  # two lines under the rule


def test_signer_and_header_lines(pdfs: dict[str, Path]) -> None:
    first = read_pages(pdfs["red-signer"])[0]
    texts = [l.visible for l in first.lines]
    assert texts[:3] == ["000123", "内部", "特急"]
    assert all(abs(mm(l.x0) - LEFT_MM) < 0.5 for l in first.lines[:3])  # flush left
    number = next(l for l in first.lines if "〔" in l.text)
    assert number.visible.endswith("签发人：王五")
    assert abs(mm(number.x0) - (LEFT_MM + P.chars_twips(1) / TWIPS_PER_MM)) < 0.8  # one character in
    assert abs(mm(number.x1) - (RIGHT_EDGE_MM - P.chars_twips(1) / TWIPS_PER_MM)) < 0.8


@pytest.mark.parametrize("name", ["red", "red-signer", "scaffold-red-header-report"])
def test_record_sits_on_the_bottom_of_the_last_page(pdfs: dict[str, Path], name: str) -> None:
    pages = read_pages(pdfs[name])
    last = len(pages) - 1
    found = rules(pdfs[name], last)
    assert len(found) == 3
    assert [round(r[3], 2) for r in found] == [1.0, 0.75, 1.0]  # thick, thin, thick
    assert abs(found[-1][1] - BOTTOM_EDGE_MM) < 0.5  # last rule on the text block's bottom edge
    assert all(abs(r[0] - LEFT_MM) < 0.5 and abs(r[2] - RIGHT_EDGE_MM) < 0.5 for r in found)
    body = [l for l in pages[last].lines if mm(l.baseline) < BOTTOM_EDGE_MM]
    cc = next(l for l in body if l.visible.startswith("抄送："))
    printed = next(l for l in body if l.visible.endswith("印发"))
    assert found[0][1] < mm(cc.top) < found[1][1] < mm(printed.top) < found[2][1]
    indent = P.record_indent_twips / TWIPS_PER_MM
    assert abs(mm(cc.x0) - (LEFT_MM + indent)) < 0.5
    assert abs(mm(printed.x1) - (RIGHT_EDGE_MM - indent)) < 0.8
    # The signature is never alone on a page: body text stands above it.
    sig_page = next(p for p in pages if any(l.visible.startswith("20") and l.visible.endswith("日") and l.chars[0].size == 16 for l in p.lines))
    assert any(l.chars[0].size == 16 and len(l.visible) > 4 for l in sig_page.lines[:1])


@pytest.mark.parametrize("name", ["county", "scaffold-work-report"])
def test_work_report_title_block(pdfs: dict[str, Path], examples: dict[str, dict[str, Any]], name: str) -> None:
    first = read_pages(pdfs[name])[0]
    title, *rest = first.lines
    assert title.chars[0].size == pytest.approx(P.title_size_pt, abs=0.5) and centred(title)
    notes = [l for l in rest[:4] if centred(l) and l.chars[0].size == pytest.approx(16, abs=0.5)]
    assert notes[0].visible.startswith("——")  # subtitle, centred, under the title
    assert any("UKai" in c.font for c in notes[0].chars)  # 楷体 (stand-in)
    salutation = next(l for l in rest if l.visible == "各位代表：")
    assert abs(mm(salutation.x0) - LEFT_MM) < 0.5  # flush left


def test_duty_report_name_under_the_title(pdfs: dict[str, Path], examples: dict[str, dict[str, Any]]) -> None:
    first = read_pages(pdfs["duty"])[0]
    speaker = examples["school-duty-report"]["speaker"].replace(" ", "").replace("\u3000", "")
    line = next(l for l in first.lines[:4] if l.visible == speaker)
    assert centred(line)
    last = read_pages(pdfs["duty"])[-1]
    assert any(l.visible == examples["school-duty-report"]["signature"] for l in last.lines)
