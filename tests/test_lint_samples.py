"""Documents for the checker's tests (helpers only, no tests here): one report's content, written two ways.

- ``engine_docx()``: what our engine renders from :data:`REPORT`.
- ``hand_docx()``: the same content typed the way a careful clerk does it in
  Word (python-docx standing in for Word): the Normal style changed to
  仿宋_GB2312 16 pt with exact 28.95 pt spacing and 0.25 pt condensing,
  labels typed as text, headings and title set by direct formatting, page
  numbers built from a PAGE field in odd and even footers. ``native=True``
  numbers the headings with Word's multi-level list (numbering.xml) instead.

:class:`Clerk` holds the knobs the faulty hand-typed document turns.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any, Iterator

import docx as python_docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from service import numbering, render_report
from service.profile import FONT_SETS, PROFILE, TWIPS_PER_MM

P = PROFILE
GB = FONT_SETS["gb2312"]

REPORT: dict[str, Any] = {
    "template": "work-summary",
    "title": "青山镇人民代表大会主席团2022年工作总结",
    "recipient": "县人大常委会",
    "preamble": ["2022年，在县人大常委会的指导下，镇人大主席团认真履行法定职责，各项工作取得新的进展。现将有关情况报告如下。"],
    "sections": [
        {
            "heading": "坚持正确政治方向",
            "paragraphs": ["主席团始终坚持党的领导，把握正确政治方向，确保人大各项工作依法有序开展。"],
            "sections": [
                {"heading": "加强政治学习。", "run_in": True, "paragraphs": ["全年组织集中学习十二次，代表履职能力明显提高。"], "sections": []},
                {
                    "heading": "严格请示报告",
                    "paragraphs": ["重要事项和重大问题都及时向镇党委请示报告。"],
                    "sections": [
                        {
                            "heading": "完善工作制度",
                            "paragraphs": ["制定请示报告工作规则，明确请示报告的范围和程序。"],
                            "sections": [
                                {"heading": "明确事项范围", "paragraphs": ["凡属重大事项，一律先请示后办理。"], "sections": []},
                                {"heading": "规范办理程序", "paragraphs": ["请示报告一律书面提出，做到有据可查。"], "sections": []},
                            ],
                        },
                        {"heading": "抓好工作落实", "paragraphs": ["每季度检查一次制度执行情况。"], "sections": []},
                    ],
                },
                {"heading": "注重调查研究。", "run_in": True, "paragraphs": ["围绕全镇重点工作开展专题调研五次，形成调研报告三篇。"], "sections": []},
            ],
        },
        {"heading": "依法履行各项职权", "paragraphs": ["认真开展执法检查和专题视察，推动法律法规在本镇有效实施。"], "sections": []},
        {"heading": "密切联系人民群众", "paragraphs": ["组织代表进站履职四十八人次，收集意见建议六十二条。"], "sections": []},
        {"heading": "全面加强自身建设", "paragraphs": ["坚持依法办事、集体行使职权，不断提高工作水平。"], "sections": []},
    ],
    "closing": ["今后，主席团将继续努力，推动全镇人大工作再上新台阶。"],
    "signature": "青山镇人民代表大会主席团",
    "date": "2022-12-05",
}
DATE_TEXT = "2022年12月5日"


@dataclass(frozen=True)
class Line:
    """One paragraph of the typed document."""

    kind: str  # title, recipient, body, heading, signature, date, blank
    text: str
    level: int = 0
    label: str = ""  # typed in front of a heading (empty with native numbering)
    body: str = ""  # the rest of a run-in heading's paragraph


def _section_lines(sections: list[dict[str, Any]], level: int = 1) -> Iterator[Line]:
    for n, sec in enumerate(sections, start=1):
        paragraphs = list(sec["paragraphs"])
        body = paragraphs.pop(0) if sec.get("run_in") and paragraphs else ""
        yield Line("heading", sec["heading"], level, numbering.label(level, n), body)
        for text in paragraphs:
            yield Line("body", text)
        yield from _section_lines(sec["sections"], level + 1)


def report_lines(report: dict[str, Any] = REPORT) -> list[Line]:
    lines = [Line("title", report["title"]), Line("blank", ""), Line("recipient", report["recipient"] + "：")]
    lines += [Line("body", t) for t in report["preamble"]]
    lines += list(_section_lines(report["sections"]))
    lines += [Line("body", t) for t in report["closing"]]
    lines += [Line("blank", ""), Line("signature", report["signature"]), Line("date", DATE_TEXT)]
    return lines


BODY_TEXTS = {line.text for line in report_lines() if line.kind == "body"}


def engine_docx(**options: Any) -> bytes:
    return render_report({**REPORT, "options": options})


# ---------------------------------------------------------------------------
# Typing it by hand


@dataclass
class Clerk:
    """How the clerk set the document up (the defaults are right)."""

    margins_mm: tuple[float, float, float, float] = (37, 35, 28, 26)  # top, bottom, left, right
    line_spacing_pt: float | None = 28.95  # exact; None: Word's 1.5 (multiple)
    condense: bool = True
    body_font: str = GB.body
    title_font: str = GB.title
    title_size_pt: float = P.title_size_pt
    title_bold: bool = False
    heading_fonts: dict[int, str] = field(default_factory=lambda: {1: GB.heading1, 2: GB.heading2})
    page_number_text: tuple[str, str] = (f"{P.page_number_dash} ", f" {P.page_number_dash}")
    page_number_font: str = GB.page_number
    page_number_size_pt: float = P.page_number_size_pt
    page_numbers: str = "outside"  # outside | center
    doc_grid: dict[str, str] | None = None  # attributes of w:docGrid
    native: bool = False  # headings numbered by a Word multi-level list


def set_run_fonts(run: Run, east_asia: str, latin: str = P.latin_font) -> None:
    run.font.name = latin
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)


def _style_fonts(style: Any, east_asia: str, latin: str = P.latin_font) -> None:
    style.font.name = latin
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)


_RPR_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
                      "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout")


def set_char_spacing(rpr: Any, twips: int) -> None:
    """字体→高级→间距 (w:spacing in w:rPr), in schema order."""
    for old in rpr.findall(qn("w:spacing")):
        rpr.remove(old)
    rpr.insert_element_before(parse_xml(f'<w:spacing {nsdecls("w")} w:val="{twips}"/>'), *_RPR_AFTER_SPACING)


def no_indent(par: Paragraph) -> None:
    """What Word writes when the special indent is set back to none."""
    ind = par._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), "0")
    ind.set(qn("w:firstLine"), "0")


def add_page_field(par: Paragraph, before: str, after: str) -> None:
    par.add_run(before)
    for xml in (
        '<w:r {ns}><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r {ns}><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
        '<w:r {ns}><w:fldChar w:fldCharType="separate"/></w:r>',
        '<w:r {ns}><w:t>1</w:t></w:r>',
        '<w:r {ns}><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        par._p.append(parse_xml(xml.format(ns=nsdecls("w"))))
    par.add_run(after)


def _footer(par: Paragraph, clerk: Clerk, side: str) -> None:
    par.text = ""
    add_page_field(par, *clerk.page_number_text)
    fmt = par.paragraph_format
    fmt.line_spacing = 1.0
    no_indent(par)
    if side == "center":
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif side == "right":
        par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt.right_indent = Pt(P.page_number_size_pt)
    else:
        par.alignment = WD_ALIGN_PARAGRAPH.LEFT
        fmt.left_indent = Pt(P.page_number_size_pt)
    for run in par.runs:
        set_run_fonts(run, clerk.page_number_font, clerk.page_number_font)
        run.font.size = Pt(clerk.page_number_size_pt)
    # The field's runs are not python-docx runs: format them too.
    for r in par._p.findall(qn("w:r")):
        if r.find(qn("w:rPr")) is None:
            Run(r, par).font.size = Pt(clerk.page_number_size_pt)
            set_run_fonts(Run(r, par), clerk.page_number_font, clerk.page_number_font)


NATIVE_NUM_ID = 90
NATIVE_ABSTRACT_ID = 90


def native_numbering_xml(level_text: dict[int, str] | None = None, label_fonts: dict[int, str] | None = None) -> tuple[str, str]:
    """A multi-level list 一、 （一） 1. （1） as Word's 多级列表 dialog writes it."""
    formats = {0: ("chineseCounting", "%1、"), 1: ("chineseCounting", "（%2）"), 2: ("decimal", "%3."), 3: ("decimal", "（%4）")}
    fonts = {0: GB.heading1, 1: GB.heading2, **(label_fonts or {})}
    levels = []
    for ilvl, (fmt, text) in formats.items():
        text = (level_text or {}).get(ilvl, text)
        rpr = f'<w:rPr><w:rFonts w:hint="eastAsia" w:eastAsia="{fonts[ilvl]}"/></w:rPr>' if ilvl in fonts else ""
        levels.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:suff w:val="nothing"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="0" w:firstLine="{P.first_line_indent_twips}"/></w:pPr>{rpr}</w:lvl>'
        )
    abstract = (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{NATIVE_ABSTRACT_ID}">'
                f'<w:multiLevelType w:val="multilevel"/>{"".join(levels)}</w:abstractNum>')
    num = f'<w:num {nsdecls("w")} w:numId="{NATIVE_NUM_ID}"><w:abstractNumId w:val="{NATIVE_ABSTRACT_ID}"/></w:num>'
    return abstract, num


def install_numbering(doc: Document, abstract: str, *nums: str) -> None:
    root = doc.part.numbering_part.element
    first_num = root.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(parse_xml(abstract))
    else:
        root.append(parse_xml(abstract))
    for num in nums:
        root.append(parse_xml(num))


def set_num(par: Paragraph, num_id: int, ilvl: int) -> None:
    num_pr = par._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


def hand_document(clerk: Clerk | None = None, lines: list[Line] | None = None) -> Document:
    clerk = clerk or Clerk()
    lines = report_lines() if lines is None else lines
    doc = python_docx.Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = (Mm(v) for v in clerk.margins_mm)
    if clerk.doc_grid is not None:
        grid = sec._sectPr.find(qn("w:docGrid"))
        for name, value in clerk.doc_grid.items():
            grid.set(qn(f"w:{name}"), value)

    normal = doc.styles["Normal"]
    _style_fonts(normal, clerk.body_font)
    normal.font.size = Pt(P.body_size_pt)
    pf = normal.paragraph_format
    pf.line_spacing = Pt(clerk.line_spacing_pt) if clerk.line_spacing_pt else 1.5
    pf.space_before = pf.space_after = Pt(0)
    pf.widow_control = False
    normal.element.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), str(P.indent_chars * 100))
    if clerk.condense:
        set_char_spacing(normal.element.get_or_add_rPr(), P.char_condense_twips)
    if clerk.native:
        install_numbering(doc, *native_numbering_xml())

    for line in lines:
        par = doc.add_paragraph()
        if line.kind == "title":
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER
            no_indent(par)
            run = par.add_run(line.text)
            set_run_fonts(run, clerk.title_font)
            run.font.size = Pt(clerk.title_size_pt)
            run.font.bold = clerk.title_bold or None
            set_char_spacing(run._element.get_or_add_rPr(), 0)
        elif line.kind == "heading":
            label = "" if clerk.native else line.label
            run = par.add_run(label + line.text)
            if line.level in clerk.heading_fonts:
                set_run_fonts(run, clerk.heading_fonts[line.level])
            if clerk.native:
                set_num(par, NATIVE_NUM_ID, line.level - 1)
            if line.body:
                par.add_run(line.body)
        elif line.kind in ("recipient", "signature", "date"):
            no_indent(par)
            par.add_run(line.text)
            if line.kind != "recipient":
                par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                par.paragraph_format.right_indent = Pt(P.indent_chars * P.body_size_pt)
        elif line.kind == "body":
            par.add_run(line.text)

    if clerk.page_numbers == "outside":
        doc.settings.odd_and_even_pages_header_footer = True
        _footer(sec.footer.paragraphs[0], clerk, "right")
        _footer(sec.even_page_footer.paragraphs[0], clerk, "left")
    elif clerk.page_numbers == "center":
        _footer(sec.footer.paragraphs[0], clerk, "center")
    return doc


def save(doc: Document) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def hand_docx(clerk: Clerk | None = None) -> bytes:
    return save(hand_document(clerk))


def open_docx(data: bytes) -> Document:
    return python_docx.Document(io.BytesIO(data))


# ---------------------------------------------------------------------------
# Finding paragraphs again


def paragraph_starting(doc: Document, prefix: str) -> Paragraph:
    return next(p for p in doc.paragraphs if p.text.startswith(prefix))


def body_paragraphs(doc: Document) -> list[Paragraph]:
    return [p for p in doc.paragraphs if p.text in BODY_TEXTS]


def heading_paragraphs(doc: Document, level: int) -> list[Paragraph]:
    labels = {numbering.label(level, n) for n in range(1, 10)}
    texts = {line.text for line in report_lines() if line.kind == "heading" and line.level == level}
    out = []
    for p in doc.paragraphs:
        rest = next((p.text[len(l):] for l in labels if p.text.startswith(l)), p.text)
        if any(rest.startswith(t) for t in texts):
            out.append(p)
    return out


def retext(par: Paragraph, old: str, new: str) -> None:
    """Replace text inside one run of a paragraph (keeps the run's formatting)."""
    for run in par.runs:
        if old in run.text:
            run.text = run.text.replace(old, new, 1)
            return
    raise AssertionError(f"{old!r} not in any run of {par.text!r}")


def mm_twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


# ---------------------------------------------------------------------------
# Raw packages


def zip_of(parts: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def package_parts(docx: bytes) -> dict[str, bytes | str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def with_part(docx: bytes, name: str, data: bytes | str) -> bytes:
    parts = package_parts(docx)
    parts[name] = data
    return zip_of(parts)


def replace_in_part(docx: bytes, name: str, old: str, new: str) -> bytes:
    text = package_parts(docx)[name]
    text = text.decode("utf-8") if isinstance(text, bytes) else text
    assert old in text, old
    return with_part(docx, name, text.replace(old, new))
