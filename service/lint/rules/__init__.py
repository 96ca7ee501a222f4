"""The rules, in one list: id, severity, a short Chinese name, and the check.

A check takes the :class:`~service.lint.document.LintDocument` and yields
:class:`~service.lint.findings.Issue` s; the registry gives them the rule's id
and severity. One rule has one severity, so a finding's weight can be read
from its id.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from ...profile import PROFILE, TWIPS_PER_MM, TWIPS_PER_PT
from ..document import LintDocument
from ..findings import Issue, Severity
from . import attachments, closing, dates, fonts, numbering, page, page_numbers, punctuation, run_in, tables
from .common import pt

P = PROFILE


def _mm(twips: int) -> str:
    return f"{twips / TWIPS_PER_MM:.0f}"



@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    name: str  # what it checks, in Chinese
    check: Callable[[LintDocument], Iterable[Issue]]


RULES: list[Rule] = [
    # page
    Rule("page.size", "error", "纸张 A4 纵向", page.check_paper),
    Rule("page.margins", "error", f"页边距（天头 {_mm(P.top_margin_twips)} mm、订口 {_mm(P.left_margin_twips)} mm，±{P.margin_tolerance_mm:g} mm）", page.check_margins),
    Rule("layout.lines-per-page", "error", f"每页 {P.lines_per_page} 行", page.check_lines_per_page),
    Rule("layout.chars-per-line", "error", f"每行 {P.chars_per_line} 字", page.check_chars_per_line),
    Rule("layout.libreoffice-grid", "info", "文档网格在 LibreOffice 中的排版", page.check_libreoffice_grid),
    # fonts and spacing
    Rule("title.font", "error", "标题小标宋", fonts.check_title_font),
    Rule("title.size", "error", f"标题 2 号（{pt(P.title_size_pt)} 磅）", fonts.check_title_size),
    Rule("title.alignment", "warning", "标题居中", fonts.check_title_alignment),
    Rule("title.line-break", "warning", "标题回行词意完整", closing.check_title_line_break),
    Rule("heading.font", "error", "各级标题字体（黑体、楷体、仿宋）", fonts.check_heading_font),
    Rule("heading.size", "error", "各级标题 3 号", fonts.check_heading_size),
    Rule("body.font", "error", "正文仿宋", fonts.check_body_font),
    Rule("body.size", "error", f"正文 3 号（{pt(P.body_size_pt)} 磅）", fonts.check_body_size),
    Rule("body.line-spacing", "error", f"行距固定值 {pt(P.line_pitch_twips / TWIPS_PER_PT)} 磅", fonts.check_body_line_spacing),
    Rule("body.indent", "warning", f"首行缩进 {P.indent_chars} 字", fonts.check_body_indent),
    Rule("body.paragraph-spacing", "warning", "段前段后为整行", fonts.check_paragraph_spacing),
    Rule("body.alignment", "warning", "正文两端对齐", closing.check_body_alignment),
    Rule("font.theme", "error", "不用主题字体（中文）", fonts.check_theme_fonts),
    Rule("font.theme-latin", "warning", "不用主题字体（数字和西文）", fonts.check_theme_latin_fonts),
    Rule("font.bold", "warning", "不加粗", fonts.check_bold),
    Rule("font.color", "warning", "黑色文字", fonts.check_color),
    # numbering
    Rule("heading.sequence", "error", "序号连续、不重复", numbering.check_sequence),
    Rule("heading.label-form", "error", "序号形式（一、 1.）", numbering.check_label_form),
    Rule("heading.brackets", "error", "序号用全角括号（一）（1）", numbering.check_brackets),
    Rule("heading.punctuation", "error", "（一）（1）后不加标点", numbering.check_trailing_punctuation),
    Rule("heading.run-in-end", "error", "段首标题以句末标点结束", run_in.check_run_in_end),
    # dates
    Rule("date.form", "error", "成文日期写法", dates.check_date_form),
    Rule("date.chinese-numerals", "warning", "成文日期用阿拉伯数字", dates.check_date_chinese_numerals),
    Rule("docnumber.form", "error", "发文字号写法", dates.check_doc_number),
    # closing lines
    Rule("signature.placement", "warning", "署名右空二字", closing.check_signature_placement),
    Rule("date.placement", "warning", "成文日期在署名下、右空二字或四字", closing.check_date_placement),
    Rule("attachment.placement", "warning", "附件说明左空二字、附件在成文日期之后", closing.check_attachment_placement),
    # page numbers
    Rule("pagenum.missing", "warning", "有页码", page_numbers.check_missing),
    Rule("pagenum.form", "error", "页码“— 1 —”", page_numbers.check_form),
    Rule("pagenum.font", "error", "页码 4 号宋体", page_numbers.check_font),
    Rule("pagenum.placement", "error", "页码单页居右、双页居左", page_numbers.check_placement),
    Rule("pagenum.centered", "info", "页码居中", page_numbers.check_centred),
    Rule("pagenum.first-page", "warning", "首页有页码", page_numbers.check_first_page),
    # punctuation
    Rule("text.half-width-punctuation", "warning", "中文用全角标点", punctuation.check_half_width_punctuation),
    # tables and attachment pages (v1.1)
    Rule("table.cell-spacing", "error", "表格内单倍行距", tables.check_cell_spacing),
    Rule("table.header-repeat", "warning", "跨页表格重复表头", tables.check_header_repeat),
    Rule("table.width", "error", "表格不超出版心", tables.check_width),
    Rule("attachment.new-page", "error", "附件另起一页", attachments.check_new_page),
    Rule("attachment.label", "warning", "附件标识顶格黑体", attachments.check_label_line),
    Rule("attachment.title-position", "warning", "附件标题在第三行居中", attachments.check_title_position),
    Rule("attachment.note-consistency", "error", "附件说明与附件页一致", attachments.check_note_consistency),
]

RULE_IDS = [r.id for r in RULES]
# Chinese names of the rules, for pages that show findings (the id stays in the JSON).
RULE_NAMES = {r.id: r.name for r in RULES} | {"lint.internal": "检查未能完成的项目"}  # service.lint.INTERNAL_RULE
assert len(set(RULE_IDS)) == len(RULE_IDS), "rule ids must be unique"
