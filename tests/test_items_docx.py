"""Tables, lead sentences and attachment pages in the package: valid OOXML
(openxml-audit), 0 lint errors on the engine's own output, and the XML the
profile asks for."""
from __future__ import annotations

import io
import itertools
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openxml_audit import FileFormat, OpenXmlValidator

from tests.itemsdata import LEAD, items_report, wide_table
from service import render_report
from service.docx import base_template as T
from service.lint import lint_docx
from service.profile import PROFILE

VALIDATOR = OpenXmlValidator(file_format=FileFormat.OFFICE_2019)
RED = {"template": "red-header-report", "header": {"issuer": "XX县人民政府", "doc_number": "X政发〔2023〕5号"},
       "record": {"cc": ["县委办公室"], "printer": "XX县人民政府办公室", "print_date": "2023-12-06"}}
WITH_LANDSCAPE = {"closing": ["附表如下。", wide_table(), "以上。"]}
ENDING_LANDSCAPE = {"closing": ["附表如下。", wide_table()], "attachments": [], "signature": "", "date": None}

COMBOS = [
    {"options": {"numbering": num, "page_numbers": pn, "lead_style": lead, "font_set": fs}, **extra}
    for (num, pn, lead, fs), extra in itertools.product(
        [("text", "outside", "bold", "gb2312"), ("word", "center", "kai", "windows"), ("word", "none", "hei", "gb2312"),
         ("text", "center", "bold", "windows")],
        [{}, RED, WITH_LANDSCAPE, ENDING_LANDSCAPE],
    )
]


def document_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")


@pytest.mark.parametrize("overrides", COMBOS, ids=lambda o: "-".join(o["options"].values()) + ("-red" if "header" in o else "-landscape-end" if "signature" in o else "-landscape" if "closing" in o else ""))
def test_every_new_combination_is_valid_ooxml_and_lints_clean(overrides: dict[str, Any], tmp_path: Path) -> None:
    data = render_report(items_report(**overrides))
    path = tmp_path / "doc.docx"
    path.write_bytes(data)
    assert [str(e) for e in VALIDATOR.validate(path).errors] == []
    report = lint_docx(data)
    assert [(f.rule, f.message) for f in report.findings if f.severity == "error" or f.rule.startswith("lint.")] == []


def test_header_rows_repeat_and_no_row_splits() -> None:
    xml = document_xml(render_report(items_report()))
    rows = re.findall(r"<w:tr>.*?</w:tr>", xml)
    assert rows and all("<w:cantSplit/>" in r for r in rows)
    header = [r for r in rows if "<w:tblHeader/>" in r]
    assert len(header) == 1 + 2 + 2  # table 1, table 2 (two header rows) in the body and in attachment 1
    assert f'w:sz="{PROFILE.table_border_eighth_pt}"' in xml  # 0.5 pt borders
    assert '<w:gridSpan w:val="2"/>' in xml and '<w:vMerge w:val="restart"/>' in xml and "<w:vMerge/>" in xml


def test_tables_fit_the_text_block() -> None:
    xml = document_xml(render_report(items_report(**WITH_LANDSCAPE)))
    widths = [int(w) for w in re.findall(r'<w:tblW w:w="(\d+)" w:type="dxa"/>', xml)]
    portrait = [w for w in widths if w <= PROFILE.text_width_twips]
    assert widths and len(portrait) == len(widths) - 1
    assert max(widths) == PROFILE.landscape_text_width_twips
    for grid in re.findall(r"<w:tblGrid>(.*?)</w:tblGrid>", xml):
        assert sum(int(w) for w in re.findall(r'w:w="(\d+)"', grid)) in (PROFILE.text_width_twips, PROFILE.landscape_text_width_twips)


def test_cell_style_is_single_spaced_14_pt_without_indent() -> None:
    styles = zipfile.ZipFile(io.BytesIO(render_report(items_report()))).read("word/styles.xml").decode("utf-8")
    cell = re.search(rf'<w:style [^>]*w:styleId="{T.S_TABLE_CELL}".*?</w:style>', styles).group()
    assert 'w:line="240" w:lineRule="auto"' in cell and 'w:firstLine="0"' in cell
    assert f'<w:sz w:val="{PROFILE.table_cell_size_half_points}"/>' in cell


@pytest.mark.parametrize("style", ["bold", "kai", "hei"])
def test_a_lead_sentence_is_one_paragraph_with_a_lead_run(style: str) -> None:
    xml = document_xml(render_report({"title": "t", "preamble": [LEAD], "options": {"lead_style": style}}))
    paragraphs = re.findall(r"<w:p>.*?</w:p>", xml)
    lead = next(p for p in paragraphs if LEAD["lead"] in p)
    assert LEAD["text"] in lead
    assert f'<w:rStyle w:val="{T.C_LEAD[style]}"/>' in lead


def test_a_run_in_heading_may_open_with_a_lead_sentence() -> None:
    xml = document_xml(render_report({"title": "t", "sections": [{"heading": "抓发展。", "run_in": True, "paragraphs": [LEAD, "下一段。"]}]}))
    para = next(p for p in re.findall(r"<w:p>.*?</w:p>", xml) if "抓发展。" in p)
    assert LEAD["lead"] in para and LEAD["text"] in para and T.C_LEAD["bold"] in para


def test_native_numbering_restarts_in_each_attachment() -> None:
    data = render_report(items_report(options={"numbering": "word"}))
    xml = document_xml(data)
    ids = re.findall(r'<w:numId w:val="(\d+)"/>', xml)
    assert set(ids) == {str(T.HEADING_NUM_ID), str(T.HEADING_NUM_ID + 1), str(T.HEADING_NUM_ID + 3)}
    numbering = zipfile.ZipFile(io.BytesIO(data)).read("word/numbering.xml").decode("utf-8")
    assert f'<w:num w:numId="{T.HEADING_NUM_ID + 1}"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>' in numbering


def test_every_character_of_tables_and_attachments_reaches_the_document() -> None:
    odd = "&<>\"'😀𠀀"
    report = items_report()
    report["sections"][0]["paragraphs"].append({"table": {"title": odd, "rows": [[odd, {"text": odd + "\n第二行", "colspan": 1}]], "notes": [odd]}})
    report["attachments"][0]["name"] = "附件名" + odd
    from service.docx.effective import DocxFormatting

    text = "".join(p.text for p in DocxFormatting(render_report(report)).paragraphs())
    assert text.count(odd) >= 5 and "第二行" in text


def test_v1_string_attachments_print_only_the_note() -> None:
    xml = document_xml(render_report({"title": "t", "preamble": ["正文"], "attachments": ["甲表", "乙表"]}))
    assert "pageBreakBefore" not in xml and T.S_ATTACHMENT_LABEL not in xml


@pytest.mark.parametrize("notes", [[], ["注：……"]])
def test_a_table_ending_the_body_keeps_with_the_signature(notes: list[str]) -> None:
    table = {"table": {"header": [["甲", "乙"]], "rows": [["1", "2"]], "notes": notes}}
    xml = document_xml(render_report({"title": "t", "preamble": ["x"], "closing": [table], "signature": "某单位", "date": "2025-12-05"}))
    tail = xml[xml.rindex("<w:tr>"):xml.index("某单位")]
    assert "<w:keepNext/>" in tail
    if notes:
        note = xml[xml.rindex(f'<w:pStyle w:val="{T.S_TABLE_NOTE}"/>'):]
        assert note.startswith(f'<w:pStyle w:val="{T.S_TABLE_NOTE}"/><w:keepNext/>')


def test_the_v1_1_example_renders_valid_and_lints_without_any_finding(tmp_path: Path) -> None:
    import json

    example = Path(__file__).resolve().parent.parent / "examples" / "v1.1" / "tables-and-attachments.json"
    data = render_report(json.loads(example.read_text(encoding="utf-8")))
    path = tmp_path / "example.docx"
    path.write_bytes(data)
    assert [str(e) for e in VALIDATOR.validate(path).errors] == []
    assert [f.as_dict() for f in lint_docx(data).findings] == []


@given(st.lists(st.sampled_from(["12", " 12", "\u00a012", "１２", "-3", "+4%", "1,200", "12万元", "3个百分点", "．5",
                                  "", "第1项", "12 3", "1号", "约12", "12\n", "abc", "—", " "]), max_size=12))
def test_figures_found_across_a_table_are_the_cells_the_pattern_accepts(texts: list[str]) -> None:
    from service.tables import figure_cells, is_figure

    assert figure_cells(texts) == [is_figure(t) for t in texts]
