"""The GB/T 9704-2012 layout numbers, in one place.

Every length carries its unit in its name. Twips are 1/20 pt; ``w:sz`` counts
half-points. Nothing else in the code base may hard-code a layout number:
take it from :data:`PROFILE` (or a :class:`FontSet`).
"""
from __future__ import annotations

from dataclasses import dataclass

TWIPS_PER_PT = 20
TWIPS_PER_MM = 1440 / 25.4  # 56.69...
PT_PER_MM = 72 / 25.4


def mm_to_twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


def pt_to_twips(pt: float) -> int:
    return round(pt * TWIPS_PER_PT)


@dataclass(frozen=True)
class FontSet:
    """Font family names for each typographic role."""

    id: str
    label_zh: str
    body: str  # 仿宋: body text, heading levels 3 and 4
    title: str  # 小标宋: the document title, the issuer's mark
    heading1: str  # 黑体
    heading2: str  # 楷体
    page_number: str  # 宋体
    latin: str = "Times New Roman"  # digits and Latin letters (practice)

    def role_font(self, role: str) -> str:
        return getattr(self, role)


FONT_SETS: dict[str, FontSet] = {
    "gb2312": FontSet(
        id="gb2312",
        label_zh="GB2312 字体（仿宋_GB2312、楷体_GB2312、方正小标宋简体）",
        body="仿宋_GB2312",
        title="方正小标宋简体",
        heading1="黑体",
        heading2="楷体_GB2312",
        page_number="宋体",
    ),
    "windows": FontSet(
        id="windows",
        label_zh="Windows 自带字体（仿宋、楷体、黑体、宋体）",
        body="仿宋",
        title="宋体",
        heading1="黑体",
        heading2="楷体",
        page_number="宋体",
    ),
}


@dataclass(frozen=True)
class Gbt9704Profile:
    """Page, type and spacing numbers of GB/T 9704-2012 as a .docx needs them."""

    # Page: A4 and the text block (版心) 156 x 225 mm.
    page_width_twips: int = 11906
    page_height_twips: int = 16838
    top_margin_twips: int = 2098  # 37 mm (天头)
    bottom_margin_twips: int = 1984  # 35 mm
    left_margin_twips: int = 1587  # 28 mm (订口)
    right_margin_twips: int = 1474  # 26 mm
    header_distance_twips: int = 851  # 15 mm; no header text is written
    footer_distance_twips: int = 1424  # 25.1 mm: measured to put the dash line 7 mm under the text block (LibreOffice)
    margin_tolerance_mm: float = 1.0

    # Type sizes.
    body_size_pt: float = 16.0  # 3号
    title_size_pt: float = 22.0  # 2号
    page_number_size_pt: float = 14.0  # 4号
    record_size_pt: float = 14.0  # 版记 4号
    issuer_mark_size_pt: float = 28.0  # 发文机关标志 (not fixed by the standard)

    # 22 lines x 28 characters.
    lines_per_page: int = 22
    chars_per_line: int = 28
    line_pitch_twips: int = 579  # exact 28.95 pt
    # Body runs are condensed by 0.25 pt so 28 characters fit 156 mm.
    char_condense_twips: int = -5
    indent_chars: int = 2  # first-line indent of body paragraphs and headings

    # Signature block, in characters of the body size.
    signature_right_indent_chars: int = 2
    date_shift_chars: int = 2  # date starts 2 characters right of the signature
    sealed_date_right_indent_chars: int = 4
    sealed_blank_lines_before_signature: int = 3  # room for the seal
    unsealed_blank_lines_before_signature: int = 1

    # Page-number footer.
    page_number_inset_chars: int = 1  # odd: right inset, even: left inset
    page_number_dash: str = "\u2014"  # "— 1 —"
    page_number_dash_below_text_mm: float = 7.0  # centre of the dash line under the text block

    # Red-header (版头 / 版记).
    issuer_mark_offset_mm: float = 35.0  # top of the mark below the text-block top
    issuer_mark_line_twips: int = 700  # exact line height of the mark (35 pt for 28 pt type)
    # Where the glyphs' top sits below the top of the mark's line (measured in LibreOffice).
    issuer_mark_glyph_top_twips: int = 112
    red_rule_gap_mm: float = 4.0  # 发文字号 to the red rule
    red_rule_width_eighth_pt: int = 12  # 1.5 pt (w:sz counts eighths of a point for borders)
    # Border space (pt) under the 发文字号 paragraph that puts the rule 4 mm under its glyphs.
    red_rule_space_pt: int = 8
    red_color_hex: str = "FF0000"
    record_rule_color_hex: str = "000000"  # 版记 rules are black
    record_rule_outer_eighth_pt: int = 8  # 1 pt ≈ 0.35 mm: first and last rule of the 版记
    record_rule_inner_eighth_pt: int = 6  # 0.75 pt ≈ 0.25 mm: rules between its lines
    record_indent_chars: int = 1  # 版记 lines: one 14 pt character in from each side

    # Title: a long title is broken into lines of at most this many characters.
    title_max_chars_per_line: int = 18
    # Subtitle and speaker lines (16 pt) under the title.
    note_max_chars_per_line: int = 26

    # Tables (v1.1): title above in 黑体 16 pt, cells 仿宋 14 pt (12 pt when
    # dense), single-spaced; 0.5 pt black borders; notes below in 14 pt.
    table_cell_size_pt: float = 14.0  # 四号
    table_dense_cell_size_pt: float = 12.0  # 小四, for tables with many columns
    table_dense_min_columns: int = 7
    table_note_size_pt: float = 14.0
    table_border_eighth_pt: int = 4  # 0.5 pt
    table_cell_margin_twips: int = 85  # 1.5 mm left and right inside a cell
    table_min_column_chars: float = 2.0  # no column narrower than two cell characters
    table_unwrapped_chars: float = 5.0  # cells up to this long are kept on one line when the width allows
    table_max_column_chars: float = 14.0  # weights stop growing here, long text wraps

    # Lead sentences (段首句): the font role of each options.lead_style.
    lead_style_roles: tuple[tuple[str, str, bool], ...] = (("bold", "body", True), ("kai", "heading2", False), ("hei", "heading1", False))

    # Attachment pages: "附件N" in 黑体 16 pt on line 1, the title on line 3.
    attachment_title_line: int = 3

    latin_font: str = "Times New Roman"
    east_asia_lang: str = "zh-CN"

    # ---- derived numbers -------------------------------------------------
    @property
    def text_width_twips(self) -> int:
        return self.page_width_twips - self.left_margin_twips - self.right_margin_twips

    @property
    def text_height_twips(self) -> int:
        return self.page_height_twips - self.top_margin_twips - self.bottom_margin_twips

    @property
    def body_size_half_points(self) -> int:
        return round(self.body_size_pt * 2)

    @property
    def title_size_half_points(self) -> int:
        return round(self.title_size_pt * 2)

    @property
    def page_number_size_half_points(self) -> int:
        return round(self.page_number_size_pt * 2)

    @property
    def record_size_half_points(self) -> int:
        return round(self.record_size_pt * 2)

    @property
    def issuer_mark_size_half_points(self) -> int:
        return round(self.issuer_mark_size_pt * 2)

    @property
    def body_char_width_twips(self) -> int:
        """Advance of one full-width body character, condensing included."""
        return pt_to_twips(self.body_size_pt) + self.char_condense_twips

    @property
    def first_line_indent_twips(self) -> int:
        return self.indent_chars * self.body_char_width_twips

    @property
    def record_indent_twips(self) -> int:
        return self.record_indent_chars * pt_to_twips(self.record_size_pt)

    @property
    def issuer_mark_offset_twips(self) -> int:
        return mm_to_twips(self.issuer_mark_offset_mm)

    @property
    def page_number_inset_twips(self) -> int:
        return self.page_number_inset_chars * pt_to_twips(self.page_number_size_pt)

    @property
    def table_cell_size_half_points(self) -> int:
        return round(self.table_cell_size_pt * 2)

    @property
    def table_dense_cell_size_half_points(self) -> int:
        return round(self.table_dense_cell_size_pt * 2)

    @property
    def table_note_size_half_points(self) -> int:
        return round(self.table_note_size_pt * 2)

    @property
    def landscape_text_width_twips(self) -> int:
        """The text block turned on its side: 225 mm wide on a landscape page."""
        return self.text_height_twips

    def chars_twips(self, n: float) -> int:
        """Width of ``n`` full-width body characters."""
        return round(n * self.body_char_width_twips)

    def lines_twips(self, n: float) -> int:
        return round(n * self.line_pitch_twips)


PROFILE = Gbt9704Profile()


@dataclass(frozen=True)
class HeadingRule:
    """Everything about one heading level, in one row: type, Word numbering, label.

    The writer, the base-template builder, the checker, the label functions in
    numbering.py and the web page's script (through the page data) all read
    these rows. A new kind of heading (parts, attachments, table captions) adds
    a row here instead of copying the knowledge elsewhere.
    """

    level: int  # 1-based outline level
    name_zh: str  # what the checker and the page call it
    font_role: str  # a FontSet attribute: the family of the label and the heading text
    size_pt: float
    bold_allowed: bool  # bold only where local rules ask for it (options.bold_level3)
    word_num_fmt: str  # w:numFmt of the native list level: chineseCounting or decimal
    label_before: str  # text before the number in the label
    label_after: str  # text after the number in the label
    label_kind: str  # the label family numbering.label_kind() reports for it

    @property
    def word_lvl_text(self) -> str:
        """w:lvlText of the native list level, e.g. "（%2）"."""
        return f"{self.label_before}%{self.level}{self.label_after}"

    def page_data(self) -> dict[str, object]:
        """The row as the page's script reads it (camelCase JSON)."""
        return {
            "level": self.level,
            "name": self.name_zh,
            "numFmt": self.word_num_fmt,
            "before": self.label_before,
            "after": self.label_after,
        }


HEADING_RULES: tuple[HeadingRule, ...] = (
    HeadingRule(1, "一级标题", "heading1", PROFILE.body_size_pt, False, "chineseCounting", "", "、", "cn"),
    HeadingRule(2, "二级标题", "heading2", PROFILE.body_size_pt, False, "chineseCounting", "（", "）", "cn_paren"),
    HeadingRule(3, "三级标题", "body", PROFILE.body_size_pt, True, "decimal", "", ".", "num"),
    HeadingRule(4, "四级标题", "body", PROFILE.body_size_pt, False, "decimal", "（", "）", "num_paren"),
)
MAX_HEADING_LEVELS = len(HEADING_RULES)


def heading_rule(level: int) -> HeadingRule:
    """The row of a heading level (1-based); ValueError outside the table."""
    if not 1 <= level <= len(HEADING_RULES):
        raise ValueError(f"heading level must be 1-{len(HEADING_RULES)}, got {level}")
    return HEADING_RULES[level - 1]

# Advance widths of Times New Roman (and its metric clone Liberation Serif) in
# em, for the characters that appear in dates, numbers and attachment labels.
LATIN_ADVANCE_EM: dict[str, float] = {
    **{d: 0.5 for d in "0123456789"},
    ".": 0.25,
    ",": 0.25,
    " ": 0.25,
    "-": 0.333,
    "%": 0.833,
    "(": 0.333,
    ")": 0.333,
}
LATIN_DEFAULT_ADVANCE_EM = 0.5
# Word and LibreOffice add a little space where Chinese meets digits or Latin
# letters (autoSpaceDE/DN, on by default); 0.2 em as measured in LibreOffice.
CJK_LATIN_GAP_EM = 0.2


def _is_cjk(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def text_width_twips(text: str, size_pt: float | None = None, profile: Gbt9704Profile = PROFILE) -> int:
    """Estimated width of ``text`` set in body type (condensed), in twips.

    Full-width (CJK) characters take one em; Latin characters use Times New
    Roman advances. Used to place the signature and the date, which the
    standard positions relative to each other's first characters.
    """
    size = profile.body_size_pt if size_pt is None else size_pt
    condense_pt = profile.char_condense_twips / TWIPS_PER_PT
    width_pt = 0.0
    for i, ch in enumerate(text):
        em = 1.0 if _is_cjk(ch) else LATIN_ADVANCE_EM.get(ch, LATIN_DEFAULT_ADVANCE_EM)
        if i and _is_cjk(ch) != _is_cjk(text[i - 1]) and not text[i - 1].isspace() and not ch.isspace():
            em += CJK_LATIN_GAP_EM
        width_pt += em * size + condense_pt
    return round(width_pt * TWIPS_PER_PT)


# ---------------------------------------------------------------------------
# Run-in headings (段首标题): "（一）稳住粮食生产基本盘。全年粮食播种面积……"
# The heading sentence must end before its body text follows in the same
# paragraph, or the two run together. One of these marks ends it (closing
# quotes and brackets after the mark are allowed); without one the engine
# adds RUN_IN_DEFAULT_END. The form, the preview and the checker read these.
RUN_IN_END_MARKS = "。！？!?：:；;…"
RUN_IN_DEFAULT_END = "。"
RUN_IN_TRAILING_CLOSERS = "”’\"'）)》」』】〕"


def run_in_heading_ends(text: str) -> bool:
    """Whether a run-in heading already ends with its own mark."""
    core = text.rstrip().rstrip(RUN_IN_TRAILING_CLOSERS)
    return bool(core) and core[-1] in RUN_IN_END_MARKS


def run_in_heading(text: str) -> str:
    """The run-in heading as printed: its own ending mark kept, else 。 added."""
    stripped = text.rstrip()
    return stripped if run_in_heading_ends(stripped) else stripped + RUN_IN_DEFAULT_END
