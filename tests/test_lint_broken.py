"""Deliberately broken documents: each breaks one rule and is found by exactly that rule.

Every breakage is applied to three clean documents with the same content:
the engine's output, the same report typed by hand the way a clerk does it
in Word (Normal style changed, direct formatting, labels typed as text),
and that hand-typed document with Word's multi-level list numbering. The
clean documents have no findings at all. After a breakage, the set of
rules with an error or warning finding must be exactly the broken rule,
and its finding must point at the paragraph that was broken.

At the end, a hand-typed document with many faults at once, as a clerk
might send it, has every fault found.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pytest
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from tests.test_lint_samples import (
    DATE_TEXT,
    REPORT,
    NATIVE_ABSTRACT_ID,
    NATIVE_NUM_ID,
    Clerk,
    body_paragraphs,
    engine_docx,
    hand_docx,
    hand_document,
    heading_paragraphs,
    install_numbering,
    native_numbering_xml,
    open_docx,
    paragraph_starting,
    report_lines,
    retext,
    save,
    set_char_spacing,
    set_num,
    set_run_fonts,
)
from service import render_report
from service.ooxml.reader import DocxFormatting
from service.lint import LintReport, lint_docx
from service.lint.rules import RULES
from service.profile import FONT_SETS, PROFILE

P = PROFILE
GB = FONT_SETS["gb2312"]

BASES: dict[str, Callable[[], bytes]] = {
    "engine": engine_docx,
    "hand": hand_docx,
    "hand-native": lambda: hand_docx(Clerk(native=True)),
}


def _reported(report: LintReport) -> set[str]:
    """Rules with an error or a warning (info findings are remarks, not faults)."""
    return {f.rule for f in report.findings if f.severity in ("error", "warning")}


@pytest.mark.parametrize("base", BASES)
def test_the_clean_documents_have_no_findings(base: str) -> None:
    report = lint_docx(BASES[base]())
    assert report.ok
    assert [f.as_dict() for f in report.findings] == []


# ---------------------------------------------------------------------------
# Breakages


def _body_runs(doc: Document):
    return [run for p in body_paragraphs(doc) for run in p.runs]


def _title(doc: Document):
    return paragraph_starting(doc, "青山镇")


def _footers(doc: Document):
    sec = doc.sections[0]
    return [p for f in (sec.footer, sec.even_page_footer) if not f.is_linked_to_previous for p in f.paragraphs]


def wrong_margins(doc: Document) -> None:
    for sec in doc.sections:  # Word's default: 2.54 cm top and bottom, 3.17 cm left and right
        sec.top_margin = sec.bottom_margin = Mm(25.4)
        sec.left_margin = sec.right_margin = Mm(31.7)


SIGNATURE_TEXT = REPORT["signature"]


def _closing_line(doc: Document, text: str):
    return next(p for p in reversed(doc.paragraphs) if p.text.strip() == text)


def flush_right(text: str) -> Callable[[Document], None]:
    def apply(doc: Document) -> None:
        par = _closing_line(doc, text)
        par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        par.paragraph_format.right_indent = Pt(0)

    return apply


def flush_left(text: str) -> Callable[[Document], None]:
    def apply(doc: Document) -> None:
        par = _closing_line(doc, text)
        par.alignment = WD_ALIGN_PARAGRAPH.LEFT
        par.paragraph_format.right_indent = Pt(0)

    return apply


def body_right_aligned(doc: Document) -> None:
    for par in body_paragraphs(doc)[:2]:
        par.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def title_broken_inside_a_word(doc: Document) -> None:
    # "代表" broken as "代／表": a line break inside the word.
    title = _title(doc)
    retext(title, "代表", "代\n表")


def first_page_without_number(doc: Document) -> None:
    for sec in doc.sections:
        sec.different_first_page_header_footer = True
        first = sec._sectPr.find(qn("w:footerReference") + "[@" + qn("w:type") + "='first']")
        if first is not None:
            sec._sectPr.remove(first)


def attachment_before_signature(doc: Document) -> None:
    par = _closing_line(doc, SIGNATURE_TEXT).insert_paragraph_before("附件1")
    par.paragraph_format.first_line_indent = Pt(0)


def margins_at_tolerance(doc: Document) -> None:
    # Each margin within its ±1 mm, but together 2 mm less text block: 21 lines in Word.
    for sec in doc.sections:
        sec.top_margin = sec.top_margin + Mm(1)
        sec.bottom_margin = sec.bottom_margin + Mm(1)


def letter_paper(doc: Document) -> None:
    doc.sections[0].page_width, doc.sections[0].page_height = Mm(215.9), Mm(279.4)


def spacing(value: object) -> Callable[[Document], None]:
    def apply(doc: Document) -> None:
        for p in doc.paragraphs:
            if p.text and p is not _title(doc):
                p.paragraph_format.line_spacing = value

    return apply


def body_font(font: str) -> Callable[[Document], None]:
    def apply(doc: Document) -> None:
        for run in _body_runs(doc):
            set_run_fonts(run, font)

    return apply


def body_size(doc: Document) -> None:
    for run in _body_runs(doc):
        run.font.size = Pt(15)


def no_condensing(doc: Document) -> None:
    for run in _body_runs(doc):
        set_char_spacing(run._element.get_or_add_rPr(), 0)


def doc_grid(**attrs: str) -> Callable[[Document], None]:
    def apply(doc: Document) -> None:
        grid = doc.sections[0]._sectPr.find(qn("w:docGrid"))
        for name, value in attrs.items():
            grid.set(qn(f"w:{name}"), value)

    return apply


def title_font(doc: Document) -> None:
    for run in _title(doc).runs:
        set_run_fonts(run, GB.heading1)


def title_size(doc: Document) -> None:
    for run in _title(doc).runs:
        run.font.size = Pt(P.body_size_pt)


def title_left(doc: Document) -> None:
    _title(doc).alignment = WD_ALIGN_PARAGRAPH.LEFT


def heading_font(level: int, font: str) -> Callable[[Document], None]:
    def apply(doc: Document) -> None:
        for p in heading_paragraphs(doc, level):
            set_run_fonts(p.runs[0], font)

    return apply


def heading2_size(doc: Document) -> None:
    for p in heading_paragraphs(doc, 2):
        p.runs[0].font.size = Pt(18)


def heading1_bold(doc: Document) -> None:
    for p in heading_paragraphs(doc, 1):
        p.runs[0].font.bold = True


def renumber(pairs: list[tuple[str, str]]) -> Callable[[Document], None]:
    """Retype labels (text numbering only)."""

    def apply(doc: Document) -> None:
        for old, new in pairs:
            retext(paragraph_starting(doc, old), old, new)

    return apply


def body_color(doc: Document) -> None:
    body_paragraphs(doc)[0].runs[0].font.color.rgb = RGBColor(0x1F, 0x4E, 0x79)


def body_no_indent(doc: Document) -> None:
    for p in body_paragraphs(doc):
        ind = p._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), "0")
        ind.set(qn("w:firstLine"), "0")


def body_space_after(doc: Document) -> None:
    for p in body_paragraphs(doc):
        p.paragraph_format.space_after = Pt(10)


def theme_font(slot: str) -> Callable[[Document], None]:
    def apply(doc: Document) -> None:
        for run in _body_runs(doc):
            run._element.get_or_add_rPr().get_or_add_rFonts().set(qn(f"w:{slot}"), "minorEastAsia" if "east" in slot else "minorHAnsi")

    return apply


def half_width_comma(doc: Document) -> None:
    retext(body_paragraphs(doc)[0], "，", ",")


def date_text(text: str) -> Callable[[Document], None]:
    def apply(doc: Document) -> None:
        retext(paragraph_starting(doc, DATE_TEXT), DATE_TEXT, text)

    return apply


def doc_number(text: str) -> Callable[[Document], None]:
    def apply(doc: Document) -> None:
        par = _title(doc).insert_paragraph_before(text)
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER

    return apply


def run_in_without_stop(doc: Document) -> None:
    """A run-in heading typed without its 。: it runs into its body."""
    par = next(p for p in doc.paragraphs if "加强政治学习。" in p.text)
    retext(par, "加强政治学习。", "加强政治学习")


def no_page_numbers(doc: Document) -> None:
    for sec in doc.sections:
        sec.footer.is_linked_to_previous = True
        sec.even_page_footer.is_linked_to_previous = True


def page_number_text(before: str, after: str) -> Callable[[Document], None]:
    def apply(doc: Document) -> None:
        for p in _footers(doc):
            for run in p.runs:
                if P.page_number_dash in run.text:  # setting .text would empty the field's runs
                    run.text = run.text.replace(f"{P.page_number_dash} ", before).replace(f" {P.page_number_dash}", after)

    return apply


def page_number_font(doc: Document) -> None:
    for p in _footers(doc):
        for r in p._p.iter(qn("w:r")):
            rpr = r.get_or_add_rPr()
            rpr.get_or_add_rFonts().set(qn("w:eastAsia"), GB.body)
            rpr.get_or_add_rFonts().set(qn("w:ascii"), GB.body)
            rpr.get_or_add_sz().val = Pt(10.5)


def page_number_odd_left(doc: Document) -> None:
    odd = doc.sections[0].footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.LEFT
    odd.paragraph_format.left_indent = Pt(P.page_number_size_pt)


def page_numbers_centred(doc: Document) -> None:
    doc.settings.odd_and_even_pages_header_footer = False
    doc.sections[0].even_page_footer.is_linked_to_previous = True
    odd = doc.sections[0].footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.CENTER
    odd.paragraph_format.left_indent = odd.paragraph_format.right_indent = Pt(0)


@dataclass(frozen=True)
class Breakage:
    id: str
    rule: str
    apply: Callable[[Document], None]
    at: str | None = None  # the finding points at the paragraph starting with this
    bases: tuple[str, ...] = tuple(BASES)
    also: frozenset[str] = frozenset()  # rules the same fault may rightly trip as well


TEXT_NUMBERED = ("engine", "hand")  # breakages that retype labels

BREAKAGES = [
    Breakage("word-default-margins", "page.margins", wrong_margins),
    Breakage("letter-paper", "page.size", letter_paper),
    Breakage("margins-at-tolerance-21-lines", "layout.lines-per-page", margins_at_tolerance),
    Breakage("line-spacing-29pt", "body.line-spacing", spacing(Pt(29)), at="县人大常委会："),
    Breakage("line-spacing-1.5", "body.line-spacing", spacing(1.5), at="县人大常委会："),
    Breakage("line-spacing-28pt", "body.line-spacing", spacing(Pt(28)), at="县人大常委会："),
    Breakage("no-condensing-27-chars", "layout.chars-per-line", no_condensing),
    # Word lays these grids out right: LibreOffice's different rendering is a note, never an error (issue 21).
    Breakage("char-grid-14-chars-in-libreoffice", "layout.libreoffice-grid",
             doc_grid(type="linesAndChars", linePitch=str(P.line_pitch_twips), charSpace="-849")),
    Breakage("line-grid-20-lines-in-libreoffice", "layout.libreoffice-grid", doc_grid(type="lines", linePitch="312")),
    Breakage("body-in-songti", "body.font", body_font("宋体"), at="2022年，在县人大"),
    Breakage("body-15pt", "body.size", body_size, at="2022年，在县人大"),
    Breakage("title-in-heiti", "title.font", title_font, at="青山镇人民代表大会主席团2022"),
    Breakage("title-16pt", "title.size", title_size, at="青山镇人民代表大会主席团2022"),
    Breakage("title-left", "title.alignment", title_left, at="青山镇人民代表大会主席团2022"),
    Breakage("level1-in-fangsong", "heading.font", heading_font(1, GB.body), at="一、"),
    Breakage("level2-in-heiti", "heading.font", heading_font(2, GB.heading1), at="（一）"),
    Breakage("level2-18pt", "heading.size", heading2_size, at="（一）"),
    Breakage("level1-bold", "font.bold", heading1_bold, at="一、"),
    Breakage("skipped-three", "heading.sequence", renumber([("四、", "五、"), ("三、", "四、")]), at="四、", bases=TEXT_NUMBERED),
    Breakage("duplicate-two", "heading.sequence", renumber([("（三）", "（二）")]), at="（二）注重", bases=TEXT_NUMBERED),
    Breakage("one-dunhao", "heading.label-form", renumber([("1.", "1、")]), at="1、", bases=TEXT_NUMBERED),
    Breakage("half-width-brackets", "heading.brackets", renumber([("（一）", "(一)")]), at="(一)", bases=TEXT_NUMBERED),
    Breakage("punctuation-after-bracket", "heading.punctuation", renumber([("（一）", "（一）、")]), at="（一）、", bases=TEXT_NUMBERED),
    Breakage("run-in-heading-without-stop", "heading.run-in-end", run_in_without_stop, at="（一）加强政治学习"),
    Breakage("padded-date", "date.form", date_text("2022年03月05日"), at="2022年03月05日"),
    Breakage("iso-date", "date.form", date_text("2022-12-05"), at="2022-12-05"),
    Breakage("chinese-numeral-date", "date.chinese-numerals", date_text("二〇二二年十二月五日"), at="二〇二二年"),
    Breakage("doc-number-square-brackets-padded", "docnumber.form", doc_number("X政发[2022]05号"), at="X政发"),
    Breakage("doc-number-with-di", "docnumber.form", doc_number("X政发〔2022〕第5号"), at="X政发"),
    Breakage("doc-number-round-brackets", "docnumber.form", doc_number("X政发（2022）5号"), at="X政发"),
    Breakage("no-page-numbers", "pagenum.missing", no_page_numbers),
    Breakage("page-number-di-ye", "pagenum.form", page_number_text("第", "页")),
    Breakage("page-number-hyphens", "pagenum.form", page_number_text("- ", " -")),
    Breakage("page-number-fangsong-small", "pagenum.font", page_number_font),
    Breakage("odd-page-number-left", "pagenum.placement", page_number_odd_left),
    # The theme's minor East Asian font is 宋体: the body is then in 宋体 as well (issue 21).
    Breakage("theme-font-override", "font.theme", theme_font("eastAsiaTheme"), at="2022年，在县人大", also=frozenset({"body.font"})),
    Breakage("theme-latin-font", "font.theme-latin", theme_font("asciiTheme"), at="2022年，在县人大"),
    Breakage("half-width-comma", "text.half-width-punctuation", half_width_comma, at="2022年,在县人大"),
    Breakage("blue-body-text", "font.color", body_color, at="2022年，在县人大"),
    Breakage("body-not-indented", "body.indent", body_no_indent, at="2022年，在县人大"),
    Breakage("space-after-10pt", "body.paragraph-spacing", body_space_after, at="2022年，在县人大"),
    # Rules of issue 21 (real Word/WPS files)
    Breakage("signature-flush-right", "signature.placement", flush_right(SIGNATURE_TEXT)),  # its text also starts the title: no "at"
    Breakage("signature-flush-left", "signature.placement", flush_left(SIGNATURE_TEXT)),
    Breakage("date-flush-right", "date.placement", flush_right(DATE_TEXT), at=DATE_TEXT),
    Breakage("attachment-before-signature", "attachment.placement", attachment_before_signature, at="附件1"),
    Breakage("title-broken-inside-a-word", "title.line-break", title_broken_inside_a_word, at="青山镇"),
    Breakage("first-page-without-number", "pagenum.first-page", first_page_without_number),
    Breakage("body-right-aligned", "body.alignment", body_right_aligned, at="2022年，在县人大"),
]

CASES = [(b, base) for b in BREAKAGES for base in b.bases]


def paragraph_index(data: bytes, prefix: str) -> int:
    for p in DocxFormatting(data).paragraphs():
        # The engine breaks a long title with w:br; compare the text without it.
        if (p.label + p.label_suffix + p.text).replace("\n", "").startswith(prefix):
            return p.index
    raise AssertionError(f"no paragraph starts with {prefix!r}")


@pytest.mark.parametrize("breakage,base", CASES, ids=[f"{b.id}-{base}" for b, base in CASES])
def test_each_breakage_is_found_by_exactly_its_rule(breakage: Breakage, base: str) -> None:
    doc = open_docx(BASES[base]())
    breakage.apply(doc)
    data = save(doc)
    report = lint_docx(data)
    severity = next(r.severity for r in RULES if r.id == breakage.rule)
    # An info rule is a remark: the document then has no fault at all.
    expected = set() if severity == "info" else {breakage.rule}
    assert _reported(report) - breakage.also == expected, [f.as_dict() for f in report.findings]
    assert breakage.rule in {f.rule for f in report.findings}
    assert report.ok == (severity != "error")
    found = [f for f in report.findings if f.rule == breakage.rule]
    if breakage.at is not None:
        assert paragraph_index(data, breakage.at) in [f.location["paragraph"] for f in found]
        assert any(f.location["text"] for f in found)


def test_every_rule_is_exercised_by_a_breakage() -> None:
    from tests.test_lint_items import NEW_RULES  # tables and attachment pages: broken in their own test module

    covered = {b.rule for b in BREAKAGES} | set(NEW_RULES)
    not_faults = {"pagenum.centered"}  # an info remark, tested below
    assert {r.id for r in RULES} - not_faults <= covered


@pytest.mark.parametrize("base", ["engine", "hand"])
def test_centred_page_numbers_are_a_remark_not_a_fault(base: str) -> None:
    doc = open_docx(BASES[base]())
    page_numbers_centred(doc)
    report = lint_docx(save(doc))
    assert report.ok and _reported(report) == set()
    assert [f.rule for f in report.findings] == ["pagenum.centered"]


# ---------------------------------------------------------------------------
# Native list numbering: labels come from numbering.xml


def _native(**numbering: object) -> Document:
    """The hand-typed document numbered by a multi-level list built with ``numbering``."""
    doc = hand_document(Clerk(native=False), lines=[l if l.kind != "heading" else l.__class__(l.kind, l.text, l.level, "", l.body)
                                                    for l in report_lines()])
    abstract, num = native_numbering_xml(**numbering)  # type: ignore[arg-type]
    install_numbering(doc, abstract, num)
    for level in (1, 2, 3, 4):
        for p in heading_paragraphs(doc, level):
            set_num(p, NATIVE_NUM_ID, level - 1)
            if level in (1, 2):
                set_run_fonts(p.runs[0], GB.heading1 if level == 1 else GB.heading2)
    return doc


def test_native_numbering_is_read_from_numbering_xml() -> None:
    data = save(_native())
    labels = [p.label for p in DocxFormatting(data).paragraphs() if p.label]
    assert labels[:9] == ["一、", "（一）", "（二）", "1.", "（1）", "（2）", "2.", "（三）", "二、"]
    assert labels[9:] == ["三、", "四、"]
    assert lint_docx(data).findings == []


def test_native_label_in_the_wrong_font_is_found_at_its_heading() -> None:
    data = save(_native(label_fonts={0: "宋体"}))
    report = lint_docx(data)
    assert _reported(report) == {"heading.font"}
    (finding,) = report.findings
    assert "宋体" in finding.message and finding.location["text"].startswith("一、")
    assert finding.location["paragraph"] == paragraph_index(data, "一、")


def test_native_label_text_1_dunhao_is_found() -> None:
    data = save(_native(level_text={2: "%3、"}))
    report = lint_docx(data)
    assert _reported(report) == {"heading.label-form"}
    assert {f.location["paragraph"] for f in report.findings} == {paragraph_index(data, "1、"), paragraph_index(data, "2、")}


def test_native_numbering_restarted_at_four_skips_three() -> None:
    from docx.oxml import parse_xml

    doc = _native()
    restart = (f'<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:numId="{NATIVE_NUM_ID + 1}">'
               f'<w:abstractNumId w:val="{NATIVE_ABSTRACT_ID}"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>')
    doc.part.numbering_part.element.append(parse_xml(restart))
    # Word's "设置编号值" moves this item and the rest of the list to the restarted instance.
    for heading in heading_paragraphs(doc, 1)[2:]:
        set_num(heading, NATIVE_NUM_ID + 1, 0)
    data = save(doc)
    assert [p.label for p in DocxFormatting(data).paragraphs() if p.label][-4:] == ["（三）", "二、", "四、", "五、"]
    report = lint_docx(data)
    assert _reported(report) == {"heading.sequence"}
    (finding,) = report.findings
    assert "三、" in finding.message and finding.location["text"].startswith("四、")


# ---------------------------------------------------------------------------
# A document a clerk typed with many faults at once


def clerk_with_faults() -> bytes:
    clerk = Clerk(
        margins_mm=(25.4, 25.4, 31.7, 31.7),  # Word's default margins
        line_spacing_pt=29,  # "固定值 29 磅": 21 lines a page
        title_font=GB.heading1,  # title in 黑体
        title_bold=True,
        heading_fonts={1: GB.body, 2: GB.heading2},  # level 1 left in 仿宋
        page_number_text=("- ", " -"),
        page_number_font="Times New Roman",
        page_number_size_pt=10.5,
        page_numbers="center",
        doc_grid={"type": "lines", "linePitch": "312"},  # Word's Chinese default grid
    )
    doc = hand_document(clerk)
    retext(paragraph_starting(doc, "（一）"), "（一）", "(一)")
    retext(paragraph_starting(doc, "（二）"), "（二）", "（二）、")
    retext(paragraph_starting(doc, "四、"), "四、", "五、")
    retext(paragraph_starting(doc, "三、"), "三、", "四、")
    retext(paragraph_starting(doc, "1."), "1.", "1、")
    retext(paragraph_starting(doc, "组织代表"), "，", ",")
    retext(paragraph_starting(doc, DATE_TEXT), DATE_TEXT, "2022年03月05日")
    # One level-2 heading set with Word's built-in 标题 2 style: theme fonts, blue, bold, 13 pt.
    paragraph_starting(doc, "（三）").style = doc.styles["Heading 2"]
    return save(doc)


CLERK_FAULTS = {
    # rule: the paragraph (by its start) the finding points at; None for page-level findings
    "page.margins": None,
    "body.line-spacing": "县人大常委会：",
    "title.font": "青山镇人民代表大会主席团2022",
    # The run-in heading in Word's 标题 2 style: its body text is in the theme's 宋体.
    "body.font": "（三）注重调查研究",
    "heading.font": "一、",
    "heading.brackets": "(一)",
    "heading.punctuation": "（二）、",
    "heading.sequence": "四、",
    "heading.label-form": "1、",
    "heading.size": "（三）",
    "body.size": "（三）",  # the run-in body text took 标题 2's 13 pt too
    "font.theme": "（三）",
    "date.form": "2022年03月05日",
    "pagenum.form": None,
    "pagenum.font": None,
    "text.half-width-punctuation": "组织代表",
    "font.bold": "青山镇人民代表大会主席团2022",
    "font.color": "（三）",
}


def test_a_hand_typed_document_has_all_its_faults_found() -> None:
    data = clerk_with_faults()
    report = lint_docx(data)
    assert not report.ok
    by_rule: dict[str, list[int | None]] = {}
    for f in report.findings:
        by_rule.setdefault(f.rule, []).append(f.location["paragraph"])
    for rule, at in CLERK_FAULTS.items():
        assert rule in by_rule, (rule, [f.as_dict() for f in report.findings])
        if at is not None:
            assert paragraph_index(data, at) in by_rule[rule], (rule, at, by_rule[rule])
    unexpected_errors = {f.rule for f in report.errors()} - set(CLERK_FAULTS)
    assert unexpected_errors == set(), [f.as_dict() for f in report.errors()]
    # Checks that depend on faults already reported stay quiet instead of repeating them.
    assert "layout.lines-per-page" not in by_rule and "layout.chars-per-line" not in by_rule
    # Its body font is right elsewhere: only the run-in heading in the theme's 宋体 is named.
    assert by_rule["body.font"] == [paragraph_index(data, "（三）注重调查研究")]


def test_messages_say_what_to_change() -> None:
    report = lint_docx(clerk_with_faults())
    messages = {f.rule: f.message for f in report.findings}
    assert "37 mm" in messages["page.margins"] and "25.4 mm" in messages["page.margins"]
    assert "29 磅" in messages["body.line-spacing"] and "21 行" in messages["body.line-spacing"]
    assert "28.95" in messages["body.line-spacing"]
    assert "“（二）”" in messages["heading.punctuation"]
    assert "三、" in messages["heading.sequence"]
    assert "2022年3月5日" in messages["date.form"]
    assert "— 1 —" in messages["pagenum.form"] and "连字符" in messages["pagenum.form"]
    assert "minorEastAsia" in messages["font.theme"] or "majorEastAsia" in messages["font.theme"]
    assert "，" in messages["text.half-width-punctuation"]


# ---------------------------------------------------------------------------
# 版头 and 版记


def test_a_padded_print_date_in_the_engines_record_is_found() -> None:
    from tests.test_lint_samples import replace_in_part
    from service.templates import template_kinds

    data = render_report(template_kinds()["red-header-report"].scaffold)
    assert lint_docx(data).findings == []
    broken = replace_in_part(data, "word/document.xml", "2025年12月21日印发", "2025年12月01日印发")
    report = lint_docx(broken)
    assert _reported(report) == {"date.form"}
    (finding,) = report.findings
    assert "2025年12月1日" in finding.message and "印发" in finding.location["text"]


def test_a_hand_typed_record_table_is_checked() -> None:
    doc = hand_document()
    table = doc.add_table(rows=2, cols=1)
    table.cell(0, 0).paragraphs[0].add_run("抄送：县委办公室，县人大常委会办公室。")
    table.cell(1, 0).paragraphs[0].add_run("青山镇党政办公室        2022年12月06日印发")
    report = lint_docx(save(doc))
    assert _reported(report) == {"date.form"}
    assert "2022年12月6日" in report.findings[0].message


def test_text_in_a_text_box_and_its_fallback_copy_is_checked_once() -> None:
    """Word writes a text box twice (DrawingML, and VML inside mc:Fallback)."""
    from tests.test_lint_samples import replace_in_part

    box = ('<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
           '<mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>注：本表数据截至年底,仅供参考。</w:t></w:r></w:p>'
           '</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r>'
           '<w:t>注：本表数据截至年底,仅供参考。</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>'
           '</mc:AlternateContent></w:r></w:p>')
    data = replace_in_part(hand_docx(), "word/document.xml", "<w:sectPr", box + "<w:sectPr")
    report = lint_docx(data)
    assert _reported(report) == {"text.half-width-punctuation"}
    assert len(report.findings) == 1
