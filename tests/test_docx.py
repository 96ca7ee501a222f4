"""The written .docx, read back: styles, fonts of every run, page set-up, text."""
from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

import docx as python_docx
import pytest
from hypothesis import HealthCheck, given, settings

from tests.docxread import THEME_ATTR_RE, body_text, footer_texts, parts, xml
from service import render_report
from service.docx import base_template as T
from service.ooxml.reader import DocxFormatting, w
from service.layout import Signature, DateLine, layout_report
from service.model import validate_report
from service.profile import FONT_SETS, PROFILE, heading_rule, text_width_twips
from tests.strategies import input_strings, reports

OPTION_GRID = [
    dict(zip(("font_set", "page_numbers", "seal", "numbering", "bold_level3"), combo))
    for combo in itertools.product(["gb2312", "windows"], ["outside", "center", "none"], [False, True], ["text", "word"], [False, True])
]


def with_options(report: dict[str, Any], **options: Any) -> dict[str, Any]:
    return {**report, "options": {**report.get("options", {}), **options}}


def expected_role(style_id: str, run_index: int, run_count: int) -> tuple[str, float]:
    """(font role, size pt) a run must have, from its paragraph style."""
    p = PROFILE
    if style_id == T.S_TITLE:
        return "title", p.title_size_pt
    if style_id in (T.S_SUBTITLE, T.S_SPEAKER):
        return "heading2", p.body_size_pt
    if style_id in T.S_HEADING:
        return heading_rule(T.S_HEADING.index(style_id) + 1).font_role, p.body_size_pt
    if style_id in T.S_RUN_IN:
        level = T.S_RUN_IN.index(style_id)
        return (heading_rule(level + 1).font_role if run_index == 0 else "body"), p.body_size_pt
    return "body", p.body_size_pt


def assert_fonts_match_profile(data: bytes, font_set: str) -> int:
    fonts = FONT_SETS[font_set]
    fmt = DocxFormatting(data)
    checked = 0
    for para in fmt.paragraphs():
        for i, run in enumerate(para.runs):
            role, size = expected_role(para.format.style_id or "", i, len(para.runs))
            where = f"paragraph {para.index} ({para.format.style_id}) run {i} {run.text[:15]!r}"
            assert run.format.east_asia_font == fonts.role_font(role), where
            assert run.format.size_pt == size, where
            assert not run.format.theme_fonts, where
            checked += 1
    return checked


def test_examples_render_and_reopen_with_python_docx(examples: dict[str, dict[str, Any]]) -> None:
    for name, report in examples.items():
        data = render_report(report)
        doc = python_docx.Document(io.BytesIO(data))
        title = next(p for p in doc.paragraphs if p.style.style_id == T.S_TITLE)
        assert title.text.replace("\n", "") == report["title"].replace("\n", ""), name
        assert len(doc.paragraphs) > 10, name


@pytest.mark.parametrize("opts", OPTION_GRID, ids=lambda o: "-".join(str(v) for v in o.values()))
def test_every_run_has_the_profile_font_and_size(examples: dict[str, dict[str, Any]], opts: dict[str, Any]) -> None:
    data = render_report(with_options(examples["town-renda-summary-long"], **opts))
    assert assert_fonts_match_profile(data, opts["font_set"]) > 100


@pytest.mark.parametrize("opts", OPTION_GRID[:12], ids=lambda o: "-".join(str(v) for v in o.values()))
def test_no_theme_fonts_or_colours_anywhere(examples: dict[str, dict[str, Any]], opts: dict[str, Any]) -> None:
    data = render_report(with_options(examples["county-gov-work-report"], **opts))
    for name, content in parts(data).items():
        if name.endswith(".xml") and "theme" not in name:
            assert not THEME_ATTR_RE.search(content), name


def test_styles_are_those_of_the_profile() -> None:
    data = render_report({"title": "标题", "preamble": ["正文"]})
    fmt = DocxFormatting(data)
    styles = xml(data, "word/styles.xml")
    body = styles.find(f".//{w('style')}[@{w('styleId')}='{T.S_BODY}']")
    ppr = body.find(w("pPr"))
    spacing = ppr.find(w("spacing"))
    assert spacing.get(w("line")) == str(PROFILE.line_pitch_twips) == "579"
    assert spacing.get(w("lineRule")) == "exact"
    assert ppr.find(w("ind")).get(w("firstLine")) == str(PROFILE.first_line_indent_twips)
    assert ppr.find(w("widowControl")).get(w("val")) == "0"
    assert body.find(f"{w('rPr')}/{w('spacing')}").get(w("val")) == "-5"
    for level in range(4):
        st = styles.find(f".//{w('style')}[@{w('styleId')}='{T.S_HEADING[level]}']")
        assert st.find(f"{w('pPr')}/{w('outlineLvl')}").get(w("val")) == str(level)
        assert st.find(f"{w('name')}").get(w("val")) == f"heading {level + 1}"
    # No bold unless asked for (bold_level3, or lead sentences in bold body type); no colour but the red issuer's mark.
    bold = [b.getparent().getparent().get(w("styleId")) for b in styles.iter(w("b"))]
    assert bold == [T.C_LEAD["bold"]]
    coloured = [c.getparent().getparent() for c in styles.iter(w("color"))]
    assert [st.get(w("styleId")) for st in coloured] == [T.S_ISSUER_MARK]
    assert coloured[0].find(f"{w('rPr')}/{w('color')}").get(w("val")) == PROFILE.red_color_hex
    assert fmt.style_name(T.S_BODY) == "公文正文"


def test_bold_level3_option() -> None:
    data = render_report({"title": "标题", "sections": [{"heading": "一", "sections": [{"heading": "二", "sections": [{"heading": "三"}]}]}], "options": {"bold_level3": True}})
    fmt = DocxFormatting(data)
    bold = {p.format.style_id: any(r.format.bold for r in p.runs) for p in fmt.paragraphs()}
    assert bold == {T.S_TITLE: False, "Heading1": False, "Heading2": False, "Heading3": True}


def test_section_properties_match_the_profile() -> None:
    data = render_report({"title": "标题", "preamble": ["正文"]})
    sect = DocxFormatting(data).section_properties()
    pg_sz, pg_mar = sect.find(w("pgSz")), sect.find(w("pgMar"))
    assert (pg_sz.get(w("w")), pg_sz.get(w("h"))) == ("11906", "16838")
    assert {k: pg_mar.get(w(k)) for k in ("top", "bottom", "left", "right")} == {
        "top": "2098", "bottom": "1984", "left": "1587", "right": "1474"}
    grid = sect.find(w("docGrid"))
    assert grid.get(w("type")) in (None, "default")  # no character grid (LibreOffice halves it)
    assert grid.get(w("linePitch")) == "579"


@pytest.mark.parametrize("mode, refs, even_odd", [
    ("outside", {"default": "footer1.xml", "even": "footer2.xml"}, True),
    ("center", {"default": "footer3.xml"}, False),
    ("none", {}, False),
])
def test_page_number_footers(mode: str, refs: dict[str, str], even_odd: bool) -> None:
    data = render_report({"title": "标题", "preamble": ["正文"], "options": {"page_numbers": mode}})
    sect = DocxFormatting(data).section_properties()
    rels = xml(data, "word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    r_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    found = {ref.get(w("type")): targets[ref.get(r_id)] for ref in sect.findall(w("footerReference"))}
    assert found == refs
    settings_el = xml(data, "word/settings.xml")
    assert (settings_el.find(w("evenAndOddHeaders")) is not None) == even_odd
    footers = footer_texts(data)
    for target in refs.values():
        assert footers["word/" + target] == "— 1 —"  # cached value of the PAGE field
    footer_doc = xml(data, "word/footer1.xml")
    assert " PAGE " in "".join(t.text for t in footer_doc.iter(w("instrText")))
    fmt = DocxFormatting(data)
    ppr = footer_doc.find(f"{w('p')}/{w('pPr')}")
    assert ppr.find(w("jc")).get(w("val")) == "right"
    assert ppr.find(w("ind")).get(w("right")) == str(PROFILE.page_number_inset_twips) == "280"
    footer2 = xml(data, "word/footer2.xml").find(f"{w('p')}/{w('pPr')}")
    assert footer2.find(w("jc")).get(w("val")) == "left"
    assert footer2.find(w("ind")).get(w("left")) == "280"
    for run in footer_doc.iter(w("r")):
        rf = fmt.run_format(footer_doc.find(w("p")), run)
        assert rf.east_asia_font == "宋体" and rf.fonts["ascii"] == "宋体" and rf.size_pt == 14


def test_native_word_numbering() -> None:
    report = {"title": "标题", "sections": [
        {"heading": "甲", "sections": [{"heading": "乙", "run_in": True, "paragraphs": ["正文"], "sections": [{"heading": "丙", "sections": [{"heading": "丁"}]}]}]},
        {"heading": "戊"}],
        "options": {"numbering": "word"}}
    data = render_report(report)
    fmt = DocxFormatting(data)
    heads = [(p.format.num_id, p.format.num_level, p.text) for p in fmt.paragraphs() if p.format.outline_level is not None]
    # A run-in heading without its own ending mark gets 。 before its body.
    assert heads == [(1, 0, "甲"), (1, 1, "乙。正文"), (1, 2, "丙"), (1, 3, "丁"), (1, 0, "戊")]
    num = xml(data, "word/numbering.xml")
    lvls = num.findall(f".//{w('lvl')}")
    assert [(l.find(w("numFmt")).get(w("val")), l.find(w("lvlText")).get(w("val")), l.find(w("suff")).get(w("val"))) for l in lvls] == [
        ("chineseCounting", "%1、", "nothing"), ("chineseCounting", "（%2）", "nothing"),
        ("decimal", "%3.", "nothing"), ("decimal", "（%4）", "nothing")]


def test_text_numbering_restarts_under_each_parent() -> None:
    report = {"title": "标题", "sections": [
        {"heading": "A", "sections": [{"heading": "A1"}, {"heading": "A2", "sections": [{"heading": "x"}, {"heading": "y"}]}]},
        {"heading": "B", "sections": [{"heading": "B1", "sections": [{"heading": "z", "sections": [{"heading": "p"}, {"heading": "q"}]}]}]},
    ] + [{"heading": f"S{i}"} for i in range(3, 12)]}
    lines = body_text(render_report(report)).split("\n")[1:]
    assert lines[:10] == ["一、A", "（一）A1", "（二）A2", "1.x", "2.y", "二、B", "（一）B1", "1.z", "（1）p", "（2）q"]
    assert lines[-2:] == ["十、S10", "十一、S11"]


def test_run_in_heading_is_one_paragraph_in_two_fonts() -> None:
    data = render_report({"title": "标题", "sections": [{"heading": "总体", "sections": [
        {"heading": "以发展为目标，促经济转型升级。", "run_in": True, "paragraphs": ["镇人大紧紧围绕全镇发展大局。", "第二段。"]}]}]})
    paras = list(DocxFormatting(data).paragraphs())
    run_in = next(p for p in paras if p.format.style_id == "GwRunIn2")
    assert run_in.text == "（一）以发展为目标，促经济转型升级。镇人大紧紧围绕全镇发展大局。"
    assert [r.format.east_asia_font for r in run_in.runs] == ["楷体_GB2312", "仿宋_GB2312"]
    assert run_in.format.outline_level == 1
    assert paras[paras.index(run_in) + 1].text == "第二段。"


def test_title_recipient_and_paragraph_breaks() -> None:
    data = render_report({"title": "第一行\n第二行", "recipient": "县人大常委会", "preamble": ["甲\n乙\r\n　　丙"]})
    paras = list(DocxFormatting(data).paragraphs())
    assert paras[0].text == "第一行\n第二行"
    assert paras[1].text == "县人大常委会：" and paras[1].format.first_line_twips == 0 and paras[1].format.jc == "left"
    assert [p.text for p in paras[2:]] == ["甲", "乙", "丙"]


def test_long_titles_break_into_a_trapezoid_at_a_word_boundary() -> None:
    from service.layout import title_lines

    lines = title_lines("青山县人民政府关于2025年度安全生产工作情况的报告")
    assert len(lines) == 2 and len(lines[0]) <= len(lines[1])
    assert "".join(lines) == "青山县人民政府关于2025年度安全生产工作情况的报告"
    assert not (lines[0][-1].isdigit() and lines[1][0].isdigit())
    assert title_lines("2025年工作总结") == ("2025年工作总结",)


def _sig_date(report: dict[str, Any]) -> tuple[Signature, DateLine]:
    blocks = layout_report(validate_report(report))
    sig = next(b for b in blocks if isinstance(b, Signature))
    date = next(b for b in blocks if isinstance(b, DateLine))
    return sig, date


def test_unsealed_date_starts_two_characters_right_of_the_signature() -> None:
    p = PROFILE
    sig, date = _sig_date({"title": "t", "preamble": ["x"], "signature": "青山镇人民代表大会主席团", "date": "2025-12-05"})
    assert sig.right_twips == p.chars_twips(2)
    sig_start = p.text_width_twips - sig.right_twips - text_width_twips(sig.text)
    assert date.left_twips == sig_start + p.chars_twips(2)
    assert date.text == "2025年12月5日"


def test_a_date_longer_than_the_signature_takes_the_right_indent() -> None:
    p = PROFILE
    sig, date = _sig_date({"title": "t", "preamble": ["x"], "signature": "张三", "date": "2025-12-25"})
    date_start = p.text_width_twips - p.chars_twips(2) - text_width_twips(date.text)
    assert date.left_twips == date_start
    sig_start = p.text_width_twips - sig.right_twips - text_width_twips(sig.text)
    assert sig_start == date_start - p.chars_twips(2)


def test_sealed_date_is_right_indented_four_and_signature_centred_over_it() -> None:
    p = PROFILE
    sig, date = _sig_date({"title": "t", "preamble": ["x"], "signature": "青山镇人民政府", "date": "2025-12-05", "options": {"seal": True}})
    assert date.right_twips == p.chars_twips(4)
    sig_centre = p.text_width_twips - sig.right_twips - text_width_twips(sig.text) / 2
    date_centre = p.text_width_twips - date.right_twips - text_width_twips(date.text) / 2
    assert abs(sig_centre - date_centre) <= 1


def test_attachment_note() -> None:
    data = render_report({"title": "t", "preamble": ["x"], "attachments": ["甲表", "乙表"]})
    paras = [p for p in DocxFormatting(data).paragraphs() if p.format.style_id == T.S_ATTACHMENT]
    assert [p.text for p in paras] == ["附件：1.甲表", "2.乙表"]
    first, second = (p.format for p in paras)
    # Both names start at the same place; "附件" starts two characters in.
    assert first.left_twips == second.left_twips
    assert first.left_twips - first.hanging_twips == PROFILE.first_line_indent_twips
    assert first.before_twips == PROFILE.line_pitch_twips


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports)
def test_any_valid_report_keeps_every_character(report: dict[str, Any]) -> None:
    data = render_report(report)
    python_docx.Document(io.BytesIO(data))  # opens
    text = body_text(data)
    flat = text.replace("\n", "")
    for piece in input_strings(report):
        assert piece.replace("\n", "") in flat, piece


def test_document_properties_and_settings() -> None:
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    data = render_report({"title": "2025年青山镇\n工作总结", "preamble": ["x"], "signature": "青山镇人民政府"})
    doc = python_docx.Document(io.BytesIO(data))
    core = doc.core_properties
    assert core.title == "2025年青山镇 工作总结"
    assert core.author == "青山镇人民政府" and core.last_modified_by == "青山镇人民政府"
    assert before - dt.timedelta(seconds=1) <= core.created.replace(tzinfo=dt.timezone.utc) <= dt.datetime.now(dt.timezone.utc)
    assert core.modified == core.created
    app = parts(data)["docProps/app.xml"].decode()
    assert "<Company>青山镇人民政府</Company>" in app
    all_props = (parts(data)["docProps/core.xml"] + parts(data)["docProps/app.xml"]).decode().lower()
    assert "python-docx" not in all_props and "python" not in all_props
    settings_el = xml(data, "word/settings.xml")
    compat = {s.get(w("name")): s.get(w("val")) for s in settings_el.iter(w("compatSetting"))}
    assert compat["compatibilityMode"] == "15"
    assert settings_el.find(w("themeFontLang")).get(w("eastAsia")) == "zh-CN"
    lang = xml(data, "word/styles.xml").find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('lang')}")
    assert lang.get(w("eastAsia")) == "zh-CN"
    assert settings_el.find(w("characterSpacingControl")).get(w("val")) == "doNotCompress"


def test_same_input_gives_the_same_document_apart_from_its_timestamp() -> None:
    from service.engine import write_docx

    report = validate_report({"title": "t", "preamble": ["x"]})
    when = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    assert write_docx(report, now=when) == write_docx(report, now=when)
