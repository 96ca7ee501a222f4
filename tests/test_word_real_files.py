"""Real Word and WPS documents (issue 21): each class of mistake the checker
and the .docx importer made on other people's files, rebuilt as a small
fixture, plus the scored development corpus in ../shared (skipped without it).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from tests.support import ROOT, SHARED_DIR
from tests.test_ooxml_reader import _package

from service.importer import import_docx
from service.lint import lint_docx
from service.ooxml import vocab

W_NS = vocab.W_NS
NS = (
    f'xmlns:w="{W_NS}" xmlns:r="{vocab.R_NS}" xmlns:mc="{vocab.MC_NS}" xmlns:wp="{vocab.WP_NS}" '
    f'xmlns:v="{vocab.V_NS}" xmlns:a="{vocab.A_NS}"'
)
BODY = "全镇上下围绕年度目标任务，坚持项目为王，扎实推进重点工作，全年共实施重点项目二十个，完成投资五亿元。"
A4 = '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/>'


def run(text: str, east: str = "仿宋_GB2312", size: int = 32, ascii_font: str | None = None, extra: str = "") -> str:
    ascii_attr = f' w:ascii="{ascii_font}" w:hAnsi="{ascii_font}"' if ascii_font else ""
    return (f'<w:r><w:rPr><w:rFonts w:eastAsia="{east}"{ascii_attr}/>{extra}<w:sz w:val="{size}"/></w:rPr>'
            f'<w:t xml:space="preserve">{text}</w:t></w:r>')


def para(text: str, ppr: str = "", **kw: object) -> str:
    return f"<w:p><w:pPr>{ppr}</w:pPr>{run(text, **kw)}</w:p>"  # type: ignore[arg-type]


def body_para(text: str = BODY) -> str:
    return para(text, '<w:spacing w:line="579" w:lineRule="exact"/><w:ind w:firstLineChars="200"/><w:jc w:val="both"/>')


def document(body: str, sect: str = "") -> str:
    return f"<w:document {NS}><w:body>{body}<w:sectPr>{sect}{A4}</w:sectPr></w:body></w:document>"


def docx(body: str, sect: str = "", footer: str | None = None, extra_parts: dict[str, str] | None = None) -> bytes:
    """A package with a document and, optionally, one footer (rIdF) and more parts."""
    import io
    import zipfile

    data = _package(document(body, sect))
    if footer is None and not extra_parts:
        return data
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name in src.namelist():
            content = src.read(name)
            if name == "word/_rels/document.xml.rels":
                rels = ""
                if footer is not None:
                    rels += f'<Relationship Id="rIdF" Type="{vocab.RT_FOOTER}" Target="footer1.xml"/>'
                for part in extra_parts or {}:
                    kind = part.split("/")[-1].removesuffix(".xml")
                    rels += f'<Relationship Id="rId{kind}" Type="{vocab.REL_BASE}{kind}" Target="{kind}.xml"/>'
                content = content.replace(b"</Relationships>", rels.encode() + b"</Relationships>")
            zf.writestr(name, content)
        if footer is not None:
            zf.writestr("word/footer1.xml", f"<w:ftr {NS}>{footer}</w:ftr>")
        for part, xml in (extra_parts or {}).items():
            zf.writestr(part, xml)
    return out.getvalue()


FOOTER_REF = '<w:footerReference w:type="default" r:id="rIdF"/>'


def rules(data: bytes) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in lint_docx(data).findings:
        out.setdefault(f.rule, []).append(f)
    return out


# -- page numbers ------------------------------------------------------------------


def _page_field_one_run(ascii_font: str) -> str:
    rpr = f'<w:rPr><w:rFonts w:ascii="{ascii_font}" w:hAnsi="{ascii_font}" w:eastAsia="仿宋_GB2312"/><w:sz w:val="28"/></w:rPr>'
    return (f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r>{rpr}<w:t xml:space="preserve">— </w:t></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/><w:instrText>PAGE</w:instrText><w:fldChar w:fldCharType="separate"/>'
            f'<w:t>1</w:t><w:fldChar w:fldCharType="end"/></w:r><w:r>{rpr}<w:t xml:space="preserve"> —</w:t></w:r></w:p>')


def test_a_page_field_in_one_run_is_a_page_number_judged_by_its_ascii_font() -> None:
    # Begin, instruction, result and end in one run; the digits drawn in the
    # ASCII font (宋体) while the East Asian slot says 仿宋.
    ok = rules(docx(body_para(), FOOTER_REF, _page_field_one_run("宋体")))
    assert "pagenum.missing" not in ok and "pagenum.font" not in ok and "pagenum.form" not in ok
    wrong = rules(docx(body_para(), FOOTER_REF, _page_field_one_run("Times New Roman")))
    assert "Times New Roman" in wrong["pagenum.font"][0].message


def test_a_page_number_in_a_text_box_is_read_once_with_its_vml_copy() -> None:
    box = _page_field_one_run("宋体").replace('<w:jc w:val="center"/>', "")
    drawing = (f'<w:drawing><wp:anchor><wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>'
               f'<a:graphic><a:graphicData><w:txbxContent>{box}</w:txbxContent></a:graphicData></a:graphic></wp:anchor></w:drawing>')
    vml = f'<w:pict><v:shape style="mso-position-horizontal:center"><v:textbox><w:txbxContent>{box}</w:txbxContent></v:textbox></v:shape></w:pict>'
    footer = (f'<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps">{drawing}</mc:Choice>'
              f'<mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent></w:r></w:p>')
    found = rules(docx(body_para(), FOOTER_REF, footer))
    assert "pagenum.form" not in found, found.get("pagenum.form")[0].message  # not "— 1 —— 1 —"
    assert "pagenum.placement" not in found  # the box is centred, not on the left
    assert "pagenum.centered" in found


def test_a_first_page_without_a_number_is_found() -> None:
    found = rules(docx(body_para(), FOOTER_REF + "<w:titlePg/>", _page_field_one_run("宋体")))
    assert "pagenum.first-page" in found


# -- the grid ----------------------------------------------------------------------


def test_a_word_correct_grid_is_no_error_and_an_unsigned_char_space_is_read_signed() -> None:
    grid = '<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="4294966447"/>'  # = -849
    report = lint_docx(docx(body_para() * 3, FOOTER_REF + grid, _page_field_one_run("宋体")))
    assert not [f for f in report.findings if f.rule.startswith("layout.") and f.severity != "info"]
    assert not any("4294966" in f.message for f in report.findings)
    assert any(f.rule == "layout.libreoffice-grid" and f.severity == "info" for f in report.findings)


# -- red-header documents ------------------------------------------------------------


def _red_header_template() -> bytes:
    red = '<w:color w:val="FF0000"/>'
    issuer = para("XXXX人民政府文件", '<w:jc w:val="distribute"/>', east="方正小标宋简体", size=114, extra=red)
    box = f"<w:p><w:r><w:drawing><wp:anchor><a:graphic><a:graphicData><w:txbxContent>{issuer}</w:txbxContent></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p>"
    return docx(
        box
        + "<w:p/>" * 5
        + para("XX发〔20XX〕XX号", '<w:jc w:val="center"/>')
        + para("★", '<w:jc w:val="center"/>', extra=red)
        + para("[此处输入文件标题]", '<w:jc w:val="center"/>', east="方正小标宋简体", size=44)
        + para("[此处输入主送机关]：")
        + body_para("[此处输入正文内容]")
        + para("XXXX人民政府", '<w:jc w:val="right"/><w:ind w:right="1280"/>')
        + para("20XX年XX月XX日", '<w:jc w:val="right"/><w:ind w:right="1280"/>'),
        FOOTER_REF,
        _page_field_one_run("宋体"),
    )


def test_a_red_header_template_is_read_part_by_part() -> None:
    found = rules(_red_header_template())
    assert not any(f.location["text"].startswith("XX发") for r in ("title.font", "title.size") for f in found.get(r, []))
    assert "font.color" not in found  # the red 发文机关标志 and ★ are red by design
    assert "body.indent" not in found  # recipient, signature and date lines are not indented
    assert not any("此处输入文件标题" in f.location["text"] for f in found.get("body.font", []) + found.get("body.size", []))
    report = import_docx(_red_header_template()).reports[0]
    assert report["title"] == "[此处输入文件标题]"
    assert not report["sections"]  # placeholders and the 发文字号 are not headings


# -- closing lines and the title --------------------------------------------------


def test_closing_lines_placed_at_the_margins_are_found() -> None:
    body = (para("关于开展检查工作的通知", '<w:jc w:val="center"/>', east="方正小标宋简体", size=44)
            + para("各部门：") + body_para()
            + para("附件：检查清单")
            + para("办公室", '<w:jc w:val="right"/>') + para("2026年5月30日"))
    found = rules(docx(body, FOOTER_REF, _page_field_one_run("宋体")))
    assert "signature.placement" in found and "date.placement" in found and "attachment.placement" in found
    assert "body.indent" not in found


def test_a_title_broken_inside_a_word_and_a_title_font_that_only_contains_song() -> None:
    title = ('<w:p><w:pPr><w:jc w:val="center"/></w:pPr>' + run("关于开展“我的刀盾”传", east="华文中宋", size=44)
             + '<w:r><w:br/></w:r>' + run("播素材整理工作的通知", east="华文中宋", size=44) + "</w:p>")
    found = rules(docx(title + body_para(), FOOTER_REF, _page_field_one_run("宋体")))
    assert "title.line-break" in found
    assert "华文中宋" in found["title.font"][0].message


def test_ascii_quotes_in_chinese_text_and_right_aligned_body_are_found() -> None:
    found = rules(docx(body_para('会议强调"三个坚持"的要求，' + BODY)
                       + para(BODY, '<w:spacing w:line="579" w:lineRule="exact"/><w:jc w:val="right"/>'),
                       FOOTER_REF, _page_field_one_run("宋体")))
    assert "text.half-width-punctuation" in found
    assert "body.alignment" in found


# -- the importer ------------------------------------------------------------------


def _styles(*styles: str) -> str:
    return f'<w:styles xmlns:w="{W_NS}">{"".join(styles)}</w:styles>'


def _style(sid: str, name: str, ppr: str = "") -> str:
    return f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/><w:pPr>{ppr}</w:pPr></w:style>'


def test_the_importer_reads_title_style_heading_styles_and_footnotes() -> None:
    styles = _styles(_style("Title", "Title"), _style("H2", "heading 2", '<w:outlineLvl w:val="1"/>'),
                     _style("H3", "heading 3", '<w:outlineLvl w:val="2"/>'))
    notes = (f'<w:footnotes xmlns:w="{W_NS}"><w:footnote w:type="separator" w:id="-1"><w:p/></w:footnote>'
             f'<w:footnote w:id="1"><w:p><w:r><w:t>数据来自统计局年报。</w:t></w:r></w:p></w:footnote></w:footnotes>')
    body = (
        '<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>测试文段</w:t></w:r></w:p>'
        '<w:p><w:r><w:t>诸葛亮</w:t></w:r></w:p>'
        '<w:p><w:pPr><w:pStyle w:val="H2"/></w:pPr><w:r><w:t>主要工作</w:t></w:r></w:p>'
        f'<w:p><w:r><w:t>{BODY}</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>'
        '<w:p><w:pPr><w:pStyle w:val="H3"/></w:pPr><w:r><w:t>抓项目建设</w:t></w:r></w:p>'
        f'<w:p><w:r><w:t>{BODY}</w:t></w:r></w:p>'
        '<w:p><w:r><w:t>[发文单位]</w:t></w:r></w:p>'
        '<w:p><w:r><w:t>（此页无正文）</w:t></w:r></w:p>'
    )
    data = docx(body, extra_parts={"word/styles.xml": styles, "word/footnotes.xml": notes})
    result = import_docx(data)
    report = result.reports[0]
    assert report["title"] == "测试文段"
    outline = [(s["heading"], [c["heading"] for c in s["sections"]]) for s in report["sections"]]
    assert outline == [("主要工作", ["抓项目建设"])]
    assert "数据来自统计局年报。" in json.dumps(report, ensure_ascii=False)


def test_a_centred_line_much_larger_than_the_body_is_the_title() -> None:
    body = para("以赛促学，严记校规", '<w:jc w:val="center"/>', size=44) + body_para() + body_para()
    assert import_docx(docx(body)).reports[0]["title"] == "以赛促学，严记校规"


# -- the development corpus ----------------------------------------------------------

CORPUS = SHARED_DIR / "docx-corpus"
needs_corpus = pytest.mark.skipif(not (CORPUS / "score.py").is_file(), reason=f"{CORPUS} is not available")
SUMMARY_RE = re.compile(
    r"false alarms (?P<fa>\d+) \(on conformant files (?P<conf>\d+)\), deviations found (?P<found>\d+)/(?P<dev>\d+); "
    r"import titles (?P<titles>\d+)/(?P<files>\d+), outline F1 (?P<f1>[\d.]+), footnotes kept (?P<kept>\d+)/(?P<notes>\d+), refused (?P<refused>\d+)"
)


@pytest.mark.slow
@needs_corpus
def test_the_docx_corpus_reaches_the_targets() -> None:
    # hang guard only: 40 runs of the CLI
    done = subprocess.run([sys.executable, str(CORPUS / "score.py"), "--python", sys.executable],
                          cwd=ROOT, capture_output=True, text=True, timeout=1200, env={**os.environ, "BARS_VERBOSE": ""})
    m = SUMMARY_RE.search(done.stdout.strip().splitlines()[-1])
    assert m, done.stdout[-2000:] + done.stderr[-2000:]
    n = {k: float(v) for k, v in m.groupdict().items()}
    assert n["fa"] == 0 and n["conf"] == 0, done.stdout[-3000:]
    assert n["found"] >= 0.9 * n["dev"]
    assert n["titles"] >= 0.9 * n["files"]
    assert n["f1"] >= 0.90
    assert n["kept"] == n["notes"] and n["refused"] == 0


def test_text_pasted_into_word_unformatted_keeps_the_text_importers_headings() -> None:
    # No heading is set apart by type: the unlabelled part heading is the text importer's call.
    plain = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in (
        "青山镇2023年工作总结", "2023年工作回顾", BODY, "一、抓项目", BODY, "2024年工作安排", BODY, "一、稳增长", BODY))
    report = import_docx(docx(plain)).reports[0]
    assert [s["heading"] for s in report["sections"]] == ["2023年工作回顾", "2024年工作安排"]


def test_a_centred_bold_first_line_is_the_title() -> None:
    body = para("以赛促学，严记校规 | 知识竞赛圆满落幕", '<w:jc w:val="center"/>', size=24, extra="<w:b/>") + body_para() + body_para()
    assert import_docx(docx(body)).reports[0]["title"] == "以赛促学，严记校规 | 知识竞赛圆满落幕"


def test_a_title_broken_between_two_words_is_not_reported() -> None:
    title = ('<w:p><w:pPr><w:jc w:val="center"/></w:pPr>' + run("关于进一步加强安全生产领域专项", east="方正小标宋简体", size=44)
             + '<w:r><w:br/></w:r>' + run("整治工作的通知", east="方正小标宋简体", size=44) + "</w:p>")
    assert "title.line-break" not in rules(docx(title + body_para(), FOOTER_REF, _page_field_one_run("宋体")))
