"""A report with tables, lead sentences and attachments poured into a unit's letterhead."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any, Callable

import pytest
from openxml_audit import FileFormat, OpenXmlValidator

from tests.itemsdata import items_report, wide_table
from tests.pdfmeasure import read_pages
from service.docx.effective import DocxFormatting
from service.model import validate_report
from service.unit_templates import pour
from tests.test_unit_templates import letterhead


def poured(**overrides: Any) -> bytes:
    report = items_report(closing=["附表如下。", wide_table(), "以上。"], **overrides)
    return pour(letterhead(), validate_report(report))


@pytest.mark.parametrize("options", [{}, {"numbering": "word"}, {"page_numbers": "center", "lead_style": "hei"}])
def test_tables_and_attachments_pour_into_a_letterhead_validly(options: dict[str, Any], tmp_path: Path) -> None:
    data = poured(options=options)
    path = tmp_path / "poured.docx"
    path.write_bytes(data)
    assert [str(e) for e in OpenXmlValidator(file_format=FileFormat.OFFICE_2019).validate(path).errors] == []
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    assert xml.count("<w:tbl>") >= 4 and "<w:tblHeader/>" in xml and "<w:pageBreakBefore/>" in xml
    assert 'w:orient="landscape"' in xml
    text = "".join(p.text for p in DocxFormatting(data).paragraphs())
    for piece in ("第45号民生实事项目建设", "2023年民生实事项目实施情况", "经济持续稳健发展。", "注：完成率"):
        assert piece in text


def test_native_numbering_of_attachments_maps_to_the_units_list_instances() -> None:
    data = poured(options={"numbering": "word"})
    parts = zipfile.ZipFile(io.BytesIO(data))
    xml = parts.read("word/document.xml").decode("utf-8")
    numbering = parts.read("word/numbering.xml").decode("utf-8")
    used = set(re.findall(r'<w:numId w:val="(\d+)"/>', xml))
    defined = set(re.findall(r'<w:num w:numId="(\d+)"', numbering))
    assert len(used) == 3 and used <= defined


def test_poured_attachments_start_new_pages_in_libreoffice(pdf_of: Callable[[dict[str, bytes]], dict[str, Path]]) -> None:
    pages = read_pages(pdf_of({"poured-items": poured(options={"numbering": "word"})})["poured-items"])
    # The unit's header line comes first on every page; the attachment label follows it.
    starts = [p for p in pages if any(l.visible.startswith("附件") and len(l.visible) <= 3 for l in p.lines[:2])]
    assert len(starts) == 2
    for page in starts:
        first_heading = next(l.visible for l in page.lines if l.visible[:2] in ("一、", "二、"))
        assert first_heading.startswith("一、"), (page.number, first_heading)
    assert any(p.width_pt > p.height_pt for p in pages)  # the landscape table's page


def test_a_body_ending_on_a_landscape_table_ends_in_a_landscape_section(tmp_path: Path) -> None:
    report = items_report(closing=["附表如下。", wide_table()], attachments=[], signature="", date=None)
    data = pour(letterhead(), validate_report(report))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    closing = xml[xml.rindex("<w:sectPr"):]
    assert 'w:orient="landscape"' in closing
    path = tmp_path / "poured.docx"
    path.write_bytes(data)
    assert [str(e) for e in OpenXmlValidator(file_format=FileFormat.OFFICE_2019).validate(path).errors] == []
