"""The GB/T 9704 checker: its contract, its refusals, the effective formatting
it relies on, and its verdict on every document the engine can produce.

Broken documents (one fault each) and a hand-typed document are in
test_lint_broken.py; agreement with LibreOffice's rendering in test_lint_pdf.py.
"""
from __future__ import annotations

import io
import itertools
import zipfile
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.test_lint_samples import REPORT, engine_docx, hand_docx, open_docx, save, with_part, zip_of
from service import render_report
from service.ooxml.reader import DocxFormatting, ListCounter, NumberingDefinitions, format_number
from service.docx.xml import W_NS
from service.lint import MAX_UNCOMPRESSED_BYTES, RULES, Finding, LintFailed, LintReport, lint_docx
from service.lint.patterns import LABEL_TRAILING_MARKS
from service.templates import template_kinds
from tests.strategies import reports

W_DECL = f'xmlns:w="{W_NS}"'


def document_xml(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document {W_DECL}><w:body>{body}</w:body></w:document>'


# ---------------------------------------------------------------------------
# The contract


def test_findings_have_exactly_the_contract_shape() -> None:
    data = engine_docx(page_numbers="none")
    report = lint_docx(data)
    assert isinstance(report, LintReport) and report.ok is True
    (finding,) = report.findings
    assert finding.as_dict() == {
        "rule": "pagenum.missing",
        "severity": "warning",
        "message": finding.message,
        "location": {"paragraph": None, "text": ""},
    }
    assert set(report.as_dict()) == {"ok", "findings"}


def test_ok_means_no_error_finding() -> None:
    doc = open_docx(hand_docx())
    doc.sections[0].top_margin = doc.sections[0].top_margin * 2
    report = lint_docx(save(doc))
    assert report.ok is False
    assert [f.rule for f in report.errors()] == ["page.margins"]
    assert report.findings[0].as_dict()["severity"] == "error"


def test_rules_are_registered_once_with_a_valid_severity_and_a_chinese_name() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert all(r.severity in ("error", "warning", "info") for r in RULES)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in r.name) for r in RULES)
    assert all(r.id.count(".") == 1 and r.id == r.id.lower() for r in RULES)


def test_finding_as_dict_copies_the_location() -> None:
    f = Finding("x.y", "info", "说明", {"paragraph": 3, "text": "片段"})
    assert f.as_dict()["location"] == {"paragraph": 3, "text": "片段"}


# ---------------------------------------------------------------------------
# Input that is not a readable .docx


@pytest.mark.parametrize(
    "data,words",
    [
        (b"", "zip"),
        (b"hello, this is plain text", "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".doc"),
        (zip_of({"readme.txt": "not word"}), "word/document.xml"),
        (zip_of({"word/document.xml": "<w:document"}), "XML"),
        (zip_of({"word/document.xml": '<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body/></w:document>'}), "Strict"),
        (zip_of({"word/document.xml": "<html><body/></html>"}), "w:body"),
    ],
    ids=["empty", "text", "old-doc", "no-document", "bad-xml", "strict", "not-word"],
)
def test_unreadable_input_raises_lint_failed_in_chinese(data: bytes, words: str) -> None:
    with pytest.raises(LintFailed) as exc:
        lint_docx(data)
    assert isinstance(exc.value, ValueError)
    assert words in str(exc.value)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc.value))


def test_a_zip_bomb_is_refused_before_anything_is_decompressed(monkeypatch: pytest.MonkeyPatch) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", document_xml(""))
        zf.writestr("word/media/padding.xml", b"\0" * (MAX_UNCOMPRESSED_BYTES + 1), compresslevel=1)
    bomb = buf.getvalue()
    assert len(bomb) < MAX_UNCOMPRESSED_BYTES // 100  # small on the wire, huge unpacked

    def no_reading(*args: Any, **kwargs: Any) -> bytes:
        raise AssertionError("read a part of a zip bomb")

    monkeypatch.setattr(zipfile.ZipFile, "read", no_reading)
    with pytest.raises(LintFailed, match="50 MB"):
        lint_docx(bomb)


def test_images_are_not_decompressed(monkeypatch: pytest.MonkeyPatch) -> None:
    data = with_part(engine_docx(), "word/media/image1.png", b"\x89PNG" + b"\0" * 1000)
    read: list[str] = []
    original = zipfile.ZipFile.read

    def spy(self: zipfile.ZipFile, name: Any, pwd: bytes | None = None) -> bytes:
        read.append(getattr(name, "filename", name))
        return original(self, name, pwd)

    monkeypatch.setattr(zipfile.ZipFile, "read", spy)
    assert lint_docx(data).ok
    assert "word/media/image1.png" not in read and "word/document.xml" in read


def test_external_entities_are_not_resolved(tmp_path: Any) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    body = '<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>'
    xml = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file://{secret}">]>'
           f'<w:document {W_DECL}><w:body>{body}</w:body></w:document>')
    try:
        report = lint_docx(zip_of({"word/document.xml": xml}))
    except LintFailed:
        return  # refusing is fine too
    assert all("TOPSECRET" not in f.message + f.location["text"] for f in report.findings)
    assert "TOPSECRET" not in "".join(p.text for p in DocxFormatting(zip_of({"word/document.xml": xml})).paragraphs())


def test_a_minimal_document_is_checked_without_crashing() -> None:
    data = zip_of({"word/document.xml": document_xml('<w:p><w:r><w:t>只有一段文字</w:t></w:r></w:p>')})
    report = lint_docx(data)
    assert not report.ok
    rules = {f.rule for f in report.findings}
    assert "lint.internal" not in rules
    assert {"page.size", "page.margins"} <= rules  # no w:sectPr: nothing set up


# ---------------------------------------------------------------------------
# Effective formatting: what the checker builds on


def test_list_labels_render_like_word() -> None:
    assert [format_number(n, "chineseCounting") for n in (1, 10, 11, 20, 21)] == ["一", "十", "十一", "二十", "二十一"]
    assert format_number(3, "decimalFullWidth") == "３"
    assert format_number(2, "decimalEnclosedCircle") == "②"
    assert format_number(4, "upperRoman") == "IV" and format_number(28, "upperLetter") == "BB"
    assert format_number(3, "ideographTraditional") == "丙"
    assert format_number(12, "chineseLegalSimplified") == "拾贰"


def _numbering(xml_levels: str, nums: str = '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>') -> NumberingDefinitions:
    root = etree.fromstring(f'<w:numbering {W_DECL}><w:abstractNum w:abstractNumId="0">{xml_levels}</w:abstractNum>{nums}</w:numbering>')
    return NumberingDefinitions(root, {})


LEVELS = (
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/><w:lvlRestart w:val="0"/></w:lvl>'
)


def test_list_levels_restart_under_their_parent_unless_told_not_to() -> None:
    counter = ListCounter(_numbering(LEVELS))
    seq = [0, 1, 1, 2, 0, 1, 2]
    labels = [counter.next_label(1, ilvl)[0] for ilvl in seq]  # type: ignore[index]
    # Level 2 restarts under a new level 1; level 3 has w:lvlRestart="0" and keeps counting.
    assert labels == ["一、", "（一）", "（二）", "1.", "二、", "（一）", "2."]


def test_list_instances_share_counters_unless_one_restarts() -> None:
    nums = ('<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>'
            '<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>')
    counter = ListCounter(_numbering(LEVELS, nums))
    labels = [counter.next_label(num, 0)[0] for num in (1, 2, 3, 3)]  # type: ignore[index]
    assert labels == ["一、", "二、", "一、", "二、"]


def test_first_line_chars_and_text_boxes() -> None:
    body = (
        '<w:p><w:pPr><w:ind w:firstLine="0" w:firstLineChars="200"/></w:pPr>'
        '<w:r><w:t>正文</w:t></w:r>'
        '<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent>'
        '<w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>'
    )
    paras = list(DocxFormatting(zip_of({"word/document.xml": document_xml(body)})).paragraphs())
    assert [p.text for p in paras] == ["正文", "文本框"]  # the text box's text is not counted twice
    assert paras[0].format.first_line_chars == 200 and not paras[0].in_textbox
    assert paras[1].in_textbox


def test_parts_are_found_through_relationships() -> None:
    data = engine_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["word/main.xml"] = parts.pop("word/document.xml")
    parts["word/_rels/main.xml.rels"] = parts.pop("word/_rels/document.xml.rels")
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b"word/document.xml", b"word/main.xml")
    moved = zip_of(parts)  # type: ignore[arg-type]
    fmt = DocxFormatting(moved)
    assert fmt.document_part == "word/main.xml" and fmt.styles is not None
    assert lint_docx(moved).findings == lint_docx(data).findings


def test_theme_font_names_resolve() -> None:
    fmt = DocxFormatting(hand_docx())
    assert fmt.theme_font("minorHAnsi")  # python-docx's default theme names its fonts
    assert fmt.theme_font("nonsense") is None or isinstance(fmt.theme_font("nonsense"), str)


# ---------------------------------------------------------------------------
# Every document the engine produces passes


OPTION_GRID = [
    dict(zip(("font_set", "page_numbers", "seal", "numbering", "bold_level3"), combo))
    for combo in itertools.product(["gb2312", "windows"], ["outside", "center", "none"], [False, True], ["text", "word"], [False, True])
]
EXPECTED_REMARKS = {"outside": set(), "center": {"pagenum.centered"}, "none": {"pagenum.missing"}}


@pytest.mark.parametrize("kind", list(template_kinds()))
def test_every_template_kind_with_every_option_passes(kind: str) -> None:
    scaffold = template_kinds()[kind].scaffold
    for opts in OPTION_GRID:
        report = lint_docx(render_report({**scaffold, "options": opts}))
        assert report.ok, (kind, opts, [f.as_dict() for f in report.errors()])
        # Nothing but the remark the page-number option itself asks for.
        assert {f.rule for f in report.findings} == EXPECTED_REMARKS[opts["page_numbers"]], (kind, opts)


def test_the_examples_pass_without_any_finding_but_their_page_number_choice(examples: dict[str, dict[str, Any]]) -> None:
    for name, report_data in examples.items():
        report = lint_docx(render_report(report_data))
        mode = report_data.get("options", {}).get("page_numbers", "outside")
        assert {f.rule for f in report.findings} == EXPECTED_REMARKS[mode], (name, [f.as_dict() for f in report.findings])


def _no_heading_starts_with_a_separator(report: dict[str, Any]) -> dict[str, Any]:
    """Keep random headings from starting with 、，. etc.

    A heading whose own text starts with such a mark is printed after its
    label as "（一）、…", which the checker rightly reports (heading.punctuation):
    the text is the user's and is kept as typed. (A typed label with a stray
    mark, "（一）、总体", is stripped whole by the model.)
    """
    def walk(sections: list[dict[str, Any]]) -> None:
        for sec in sections:
            if sec["heading"].strip()[:1] in LABEL_TRAILING_MARKS:
                sec["heading"] = "事" + sec["heading"]
            walk(sec["sections"])

    walk(report["sections"])
    return report


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(reports.map(_no_heading_starts_with_a_separator))
def test_random_reports_pass(report_data: dict[str, Any]) -> None:
    report = lint_docx(render_report(report_data))
    assert report.ok, [f.as_dict() for f in report.errors()]
    assert "lint.internal" not in {f.rule for f in report.findings}


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(reports.map(_no_heading_starts_with_a_separator), st.booleans())
def test_random_reports_under_a_red_header_pass(report_data: dict[str, Any], with_record: bool) -> None:
    """The shared strategy has no 版头/版记: pour random content into the red-header kind."""
    scaffold = template_kinds()["red-header-report"].scaffold
    data = {**report_data, "template": "red-header-report", "header": scaffold["header"]}
    if with_record:
        data["record"] = scaffold["record"]
    report = lint_docx(render_report(data))
    assert report.ok, [f.as_dict() for f in report.errors()]


def test_the_report_sample_is_what_the_other_tests_assume() -> None:
    # test_lint_broken.py breaks the 三、/（三）/1. headings of this report.
    assert len(REPORT["sections"]) == 4 and len(REPORT["sections"][0]["sections"]) == 3


def test_roles_from_style_names_and_outline_levels() -> None:
    """A file that is not ours: headings marked only by their style (or outline level), no labels."""
    from docx.shared import Pt

    from tests.test_lint_samples import hand_document
    from service.lint.roles import read_document
    from service.lint.package import read_docx

    doc = hand_document(lines=[])
    doc.add_paragraph("关于某某工作的报告", style="Title")
    doc.add_paragraph("总体情况", style="Heading 1")
    doc.add_paragraph("具体做法", style="Heading 2")
    outlined = doc.add_paragraph("存在问题")
    outlined._p.get_or_add_pPr().append(
        etree.fromstring(f'<w:outlineLvl {W_DECL} w:val="0"/>')
    )
    doc.add_paragraph("正文一段。").runs[0].font.size = Pt(16)
    lint = read_document(read_docx(save(doc)))
    roles = [(p.role, p.level) for p in lint.paragraphs if p.text]
    assert roles == [("title", None), ("heading", 1), ("heading", 2), ("heading", 1), ("body", None)]
