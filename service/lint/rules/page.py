"""Page set-up: paper, margins, and the 22 lines × 28 characters the text block must hold."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator

from lxml import etree

from ...ooxml.reader import SectionInfo, w
from ...profile import PROFILE, TWIPS_PER_MM, TWIPS_PER_PT, mm_to_twips
from ..document import LintDocument
from ..findings import Issue
from .common import pt
from .fonts import body_size_ok, effective_line_twips, grid_pitch, line_pitch_ok

P = PROFILE
# Paper may be off by this much (A4 written as 11906 × 16838 or 11907 × 16839 twips).
PAPER_TOLERANCE_MM = 1.0
MARGIN_TOLERANCE_TWIPS = mm_to_twips(P.margin_tolerance_mm)
# w:charSpace counts 1/4096 pt.
CHAR_SPACE_UNITS_PER_PT = 4096
# Grid types under which LibreOffice snaps lines (and characters) to the document grid.
LINE_GRID_TYPES = ("lines", "linesAndChars", "snapToChars")
CHAR_GRID_TYPES = ("linesAndChars", "snapToChars")
# What LibreOffice 7.4 was measured to set under a character grid (any charSpace but 0).
LIBREOFFICE_CHAR_GRID_CHARS_MEASURED = 18


def _mm(twips: float) -> str:
    return f"{twips / TWIPS_PER_MM:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class PageSetup:
    width: int | None
    height: int | None
    landscape: bool
    top: int | None
    bottom: int | None
    left: int | None
    right: int | None
    gutter: int
    grid_type: str | None
    grid_line_pitch: int | None
    grid_char_space: int

    @property
    def text_width(self) -> int:
        return (self.width or 0) - (self.left or 0) - (self.right or 0) - self.gutter

    @property
    def text_height(self) -> int:
        return (self.height or 0) - (self.top or 0) - (self.bottom or 0)


def _attr(el: etree._Element | None, name: str) -> int | None:
    if el is None or el.get(w(name)) is None:
        return None
    try:
        return abs(int(float(el.get(w(name)))))
    except ValueError:
        return None


def page_setup(section: SectionInfo) -> PageSetup:
    sect = section.element
    size, mar, grid = sect.find(w("pgSz")), sect.find(w("pgMar")), sect.find(w("docGrid"))
    return PageSetup(
        width=_attr(size, "w"),
        height=_attr(size, "h"),
        landscape=size is not None and size.get(w("orient")) == "landscape",
        top=_attr(mar, "top"),
        bottom=_attr(mar, "bottom"),
        left=_attr(mar, "left"),
        right=_attr(mar, "right"),
        gutter=_attr(mar, "gutter") or 0,
        grid_type=grid.get(w("type")) if grid is not None else None,
        grid_line_pitch=_attr(grid, "linePitch"),
        grid_char_space=_char_space(grid),
    )


def _char_space(grid: etree._Element | None) -> int:
    """w:charSpace as a signed number: some writers store -1025 as 4294966271."""
    value = grid.get(w("charSpace"), "0") if grid is not None else "0"
    if not value.lstrip("-").isdigit():
        return 0
    n = int(value)
    return n - 2**32 if n >= 2**31 else n


# Numbers the messages quote, all from the profile.
LINE_PITCH_PT = pt(P.line_pitch_twips / TWIPS_PER_PT)
CONDENSE_PT = pt(-P.char_condense_twips / TWIPS_PER_PT)
NO_GRID_ADVICE = "请在“页面设置→文档网格”中选“无网格”"


def _where(doc: LintDocument, section: SectionInfo) -> str:
    return "" if len(doc.sections) == 1 else f"第 {doc.sections.index(section) + 1} 节："


def paper_ok(setup: PageSetup) -> bool:
    tol = mm_to_twips(PAPER_TOLERANCE_MM)
    return (
        setup.width is not None
        and setup.height is not None
        and abs(setup.width - P.page_width_twips) <= tol
        and abs(setup.height - P.page_height_twips) <= tol
    )


def rotated_table_pages(setup: PageSetup) -> bool:
    """A landscape section of A4 turned on its side with the text block where
    the portrait pages have it: allowed for wide tables (GB/T 9704 §10)."""
    tol = mm_to_twips(PAPER_TOLERANCE_MM)
    turned = (setup.width, setup.height, setup.top, setup.right, setup.bottom, setup.left)
    want = (P.page_height_twips, P.page_width_twips, P.left_margin_twips, P.top_margin_twips, P.right_margin_twips, P.bottom_margin_twips)
    return setup.landscape and all(v is not None and abs(v - x) <= tol for v, x in zip(turned, want))


def _margin_faults(setup: PageSetup) -> list[str]:
    expected = (
        ("上", setup.top, P.top_margin_twips),
        ("下", setup.bottom, P.bottom_margin_twips),
        ("左", None if setup.left is None else setup.left + setup.gutter, P.left_margin_twips),
        ("右", setup.right, P.right_margin_twips),
    )
    faults = []
    for side, actual, want in expected:
        if actual is None:
            faults.append(f"{side}边距未设置")
        elif abs(actual - want) > MARGIN_TOLERANCE_TWIPS:
            faults.append(f"{side} {_mm(actual)} mm（应为 {_mm(want)} mm）")
    return faults


def margins_ok(setup: PageSetup) -> bool:
    return not _margin_faults(setup)


def check_paper(doc: LintDocument) -> Iterator[Issue]:
    for section in doc.sections:
        setup = page_setup(section)
        if paper_ok(setup) or rotated_table_pages(setup):
            continue
        if setup.width is None or setup.height is None:
            shown = "未设置纸张大小"
        else:
            shown = f"纸张为 {_mm(setup.width)} × {_mm(setup.height)} mm"
        turn = "；并改为纵向" if setup.landscape or (setup.width or 0) > (setup.height or 0) else ""
        a4 = f"{_mm(P.page_width_twips)} × {_mm(P.page_height_twips)} mm"
        yield Issue(f"{_where(doc, section)}{shown}，公文用纸应为 A4（{a4}）纵向{turn}。请在“页面设置→纸张”中选 A4。",
                    section.paragraph_index, "")


def check_margins(doc: LintDocument) -> Iterator[Issue]:
    for section in doc.sections:
        setup = page_setup(section)
        faults = [] if rotated_table_pages(setup) else _margin_faults(setup)
        if faults:
            yield Issue(
                f"{_where(doc, section)}页边距不符合要求：{'；'.join(faults)}。GB/T 9704 规定天头（上）{_mm(P.top_margin_twips)} mm、"
                f"订口（左）{_mm(P.left_margin_twips)} mm，版心 {_mm(P.text_width_twips)} × {_mm(P.text_height_twips)} mm，"
                f"即下 {_mm(P.bottom_margin_twips)} mm、右 {_mm(P.right_margin_twips)} mm，允许误差 ±{P.margin_tolerance_mm:g} mm。",
                section.paragraph_index,
                "",
            )


def _grid_inputs_ok(setup: PageSetup) -> bool:
    # Wrong paper or margins are reported by their own rules; the line and
    # character counts they cause would only repeat the same fault.
    return paper_ok(setup) and margins_ok(setup)


def lines_per_page(setup: PageSetup, pitch_twips: int) -> tuple[int, int]:
    """Lines a page holds in Word and in LibreOffice.

    Word keeps exact line spacing whatever the document grid. LibreOffice,
    under a line grid, gives each line whole grid rows (measured: a 15.6 pt
    grid with 28.95 pt spacing gives 20 lines, not 22).
    """
    word = setup.text_height // pitch_twips
    if setup.grid_type in LINE_GRID_TYPES and setup.grid_line_pitch:
        rows = math.ceil(pitch_twips / setup.grid_line_pitch - 1e-9)
        return word, setup.text_height // (rows * setup.grid_line_pitch)
    return word, word


def _body_pitch(doc: LintDocument) -> int | None:
    metrics = doc.body_metrics
    if not line_pitch_ok(metrics.line_twips, metrics.line_rule, grid_pitch(doc)):
        return None  # body.line-spacing reports it
    return effective_line_twips(metrics.line_twips, metrics.line_rule, grid_pitch(doc))


def check_lines_per_page(doc: LintDocument) -> Iterator[Issue]:
    """Lines a page holds in Word: LibreOffice's different count is only a note (layout.libreoffice-grid)."""
    pitch = _body_pitch(doc)
    if pitch is None:
        return
    for section in doc.sections:
        setup = page_setup(section)
        if not _grid_inputs_ok(setup) or rotated_table_pages(setup):
            continue
        word, _ = lines_per_page(setup, pitch)
        if word == P.lines_per_page:
            continue
        why = (f"版心高 {_mm(setup.text_height)} mm、行距 {pt(pitch / TWIPS_PER_PT)} 磅，每页只能排 {word} 行"
               if word < P.lines_per_page else f"每页可排 {word} 行")
        advice = f"请把上下边距调回 {_mm(P.top_margin_twips)} mm 和 {_mm(P.bottom_margin_twips)} mm。"
        yield Issue(f"{_where(doc, section)}每页应为 {P.lines_per_page} 行：{why}。{advice}", section.paragraph_index, "")


def check_libreoffice_grid(doc: LintDocument) -> Iterator[Issue]:
    """A document grid Word lays out right but LibreOffice (and so its PDF) does not: a note, never an error."""
    pitch = _body_pitch(doc)
    metrics = doc.body_metrics
    for section in doc.sections:
        setup = page_setup(section)
        if not _grid_inputs_ok(setup):
            continue
        notes = []
        if pitch is not None and setup.grid_type in LINE_GRID_TYPES and setup.grid_line_pitch:
            word, libre = lines_per_page(setup, pitch)
            if word == P.lines_per_page and libre != word:
                notes.append(f"LibreOffice 按网格行距（{pt(setup.grid_line_pitch / TWIPS_PER_PT)} 磅）每页排 {libre} 行")
        if metrics.size_half_points is not None and body_size_ok(metrics.size_half_points):
            word, libre = chars_per_line(setup, metrics.size_half_points, metrics.condense_twips, _grid_base_size(doc))
            if word == P.chars_per_line and libre != word:
                notes.append(f"LibreOffice 按字符网格（w:charSpace={setup.grid_char_space}）每行少于 {P.chars_per_line} 字"
                             f"（LibreOffice 7.4 实测约 {LIBREOFFICE_CHAR_GRID_CHARS_MEASURED} 字）")
        if notes:
            yield Issue(
                f"{_where(doc, section)}文档网格在 Word 中为每页 {P.lines_per_page} 行、每行 {P.chars_per_line} 字，符合要求；"
                f"但{'，'.join(notes)}，用 LibreOffice 转换的 PDF 版面会与 Word 不同。如需一致，{NO_GRID_ADVICE}，"
                f"行距用固定值 {LINE_PITCH_PT} 磅、字符间距紧缩 {CONDENSE_PT} 磅。",
                section.paragraph_index,
                "",
            )


def chars_per_line(setup: PageSetup, size_half_points: int, condense_twips: int, grid_base_half_points: int) -> tuple[int, int | None]:
    """Characters a line holds in Word, and in LibreOffice (None: fewer than
    Word, by an amount no simple rule predicts).

    Without a character grid each character takes its size plus the run's
    character spacing, in both. With one, Word squeezes each character into
    a grid cell of (base size + charSpace); LibreOffice 7.4 ignores a
    charSpace of 0, but with any other value sets 16 pt text at 17-19
    characters a line (measured for charSpace -3000 to 4000).
    """
    size_twips = size_half_points * TWIPS_PER_PT // 2
    free = setup.text_width // (size_twips + condense_twips)
    if setup.grid_type not in CHAR_GRID_TYPES or setup.grid_char_space == 0:
        return free, free
    cell = grid_base_half_points * TWIPS_PER_PT / 2 + setup.grid_char_space * TWIPS_PER_PT / CHAR_SPACE_UNITS_PER_PT
    return int(setup.text_width // cell), None


def _grid_base_size(doc: LintDocument) -> int:
    """The size a character grid is built on: the default paragraph style's."""
    base = doc.fmt.style_run_format(doc.fmt.default_paragraph_style)
    return base.size_half_points or P.body_size_half_points


def check_chars_per_line(doc: LintDocument) -> Iterator[Issue]:
    """Characters a line holds in Word: LibreOffice's different count is only a note (layout.libreoffice-grid)."""
    metrics = doc.body_metrics
    if metrics.size_half_points is None or not body_size_ok(metrics.size_half_points):
        return  # body.size reports it
    for section in doc.sections:
        setup = page_setup(section)
        if not _grid_inputs_ok(setup) or rotated_table_pages(setup):
            continue
        word, _ = chars_per_line(setup, metrics.size_half_points, metrics.condense_twips, _grid_base_size(doc))
        if word == P.chars_per_line:
            continue
        if setup.grid_type in CHAR_GRID_TYPES and setup.grid_char_space:
            why = f"文档网格指定了字符间距（w:charSpace={setup.grid_char_space}），Word 中每行 {word} 字"
            advice = f"请在“页面设置→文档网格”中把每行字符数设为 {P.chars_per_line}。"
        else:
            width = (P.body_size_pt * TWIPS_PER_PT + metrics.condense_twips) / TWIPS_PER_PT
            fewer = word < P.chars_per_line
            why = f"版心宽 {_mm(setup.text_width)} mm、每字 {pt(width)} 磅，每行{'只能' if fewer else ''}排 {word} 字"
            advice = f"请把正文字符间距设为紧缩 {CONDENSE_PT} 磅（“字体→高级→间距”）。"
            if fewer and metrics.condense_twips >= 0:
                full = P.body_size_pt * P.chars_per_line
                advice = (f"{pt(P.body_size_pt)} 磅的字 {P.chars_per_line} 个共 {pt(full)} 磅，比版心宽"
                          f"（{pt(P.text_width_twips / TWIPS_PER_PT)} 磅）多，" + advice)
        yield Issue(f"{_where(doc, section)}每行应为 {P.chars_per_line} 字：{why}。{advice}", section.paragraph_index, "")
