"""The fixed parts of a template kind's base .docx, written from the profile.

``scripts/build_templates.py`` calls :func:`build_base_parts` and saves the
result as ``docx_templates/<kind>/base.docx``, so every style a document
uses can be read here as code. Nothing is inherited from python-docx's
default template (its 440 KB of styles carry theme fonts, blue bold headings
and compatibility mode 14).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..ooxml.vocab import (
    A_NS, CT_NS, PKG_REL_NS, RT_APP, RT_CORE, RT_FONTS, RT_FOOTER, RT_NUMBERING, RT_OFFICE_DOC, RT_SETTINGS, RT_STYLES,
    RT_THEME, WP_NS,
)
from ..profile import FONT_SETS, HEADING_RULES, PROFILE, FontSet, Gbt9704Profile, HeadingRule
from .xml import R_NS, W_NS, XML_DECL, esc, ind_xml, page_field_runs, spacing_xml

CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"
CT_SETTINGS = "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"
CT_FONTS = "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"
CT_NUMBERING = "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"
CT_FOOTER = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
CT_THEME = "application/vnd.openxmlformats-officedocument.theme+xml"
CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
CT_APP = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"


# Footer parts and the relationship ids the section properties refer to.
FOOTER_ODD = ("word/footer1.xml", "rIdFooterOdd")
FOOTER_EVEN = ("word/footer2.xml", "rIdFooterEven")
FOOTER_CENTER = ("word/footer3.xml", "rIdFooterCenter")

# Native list numbering (options.numbering = "word") uses this w:numId.
HEADING_NUM_ID = 1

# Style ids. Word's built-in "heading 1-4" keep their ids so the navigation
# pane, outline view and TOC fields treat them as headings.
S_NORMAL = "Normal"
S_BODY = "GwBody"
S_TITLE = "GwTitle"
S_SUBTITLE = "GwSubtitle"
S_SPEAKER = "GwSpeaker"
S_RECIPIENT = "GwRecipient"
S_SALUTATION = "GwSalutation"
S_PART = "GwPart"  # a part heading above 一、 (第一部分 / unnumbered)
S_HEADING = ("Heading1", "Heading2", "Heading3", "Heading4")
S_RUN_IN = ("GwRunIn1", "GwRunIn2", "GwRunIn3", "GwRunIn4")
C_HEADING = ("GwHeading1Char", "GwHeading2Char", "GwHeading3Char", "GwHeading4Char")
S_ATTACHMENT = "GwAttachment"
S_SIGNATURE = "GwSignature"
S_DATE = "GwDate"
S_PAGE_NUMBER = "GwPageNumber"
S_HEADER_LINE = "GwHeaderLine"
S_ISSUER_MARK = "GwIssuerMark"
S_DOC_NUMBER = "GwDocNumber"
C_SIGNER_NAME = "GwSignerName"
S_RECORD = "GwRecord"
S_RECORD_END = "GwRecordEnd"
# v1.1: tables, attachment pages, lead sentences.
S_TABLE_TITLE = "GwTableTitle"
S_TABLE_CELL = "GwTableCell"
S_TABLE_CELL_DENSE = "GwTableCellDense"
S_TABLE_NOTE = "GwTableNote"
S_ATTACHMENT_LABEL = "GwAttachmentLabel"
C_LEAD = {"bold": "GwLeadBold", "kai": "GwLeadKai", "hei": "GwLeadHei"}

PART_ROLE = HEADING_RULES[0].font_role  # a part heading is set in the level-1 heading font

_NS_DECL = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'
# The document part also declares DrawingML, for the 版记's anchored text box.
DOCUMENT_NS_DECL = (
    _NS_DECL
    + f' xmlns:wp="{WP_NS}"'
    + f' xmlns:a="{A_NS}"'
    + ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)


# ---------------------------------------------------------------------------
# Run and paragraph properties of styles (schema order inside each)


@dataclass(frozen=True)
class Fonts:
    latin: str
    east_asia: str

    def xml(self) -> str:
        lat, ea = esc(self.latin), esc(self.east_asia)
        return f'<w:rFonts w:ascii="{lat}" w:eastAsia="{ea}" w:hAnsi="{lat}" w:cs="{lat}"/>'


def style_rpr(
    fonts: Fonts | None = None,
    bold: bool = False,
    color: str | None = None,
    condense_twips: int | None = None,
    size_half_points: int | None = None,
    lang: str | None = None,
) -> str:
    """``w:rPr`` in EG_RPrBase order: rFonts, b, bCs, color, spacing, sz, szCs, lang."""
    out = []
    if fonts:
        out.append(fonts.xml())
    if bold:
        out.append("<w:b/><w:bCs/>")
    if color:
        out.append(f'<w:color w:val="{color}"/>')
    if condense_twips is not None:
        out.append(f'<w:spacing w:val="{condense_twips}"/>')
    if size_half_points is not None:
        out.append(f'<w:sz w:val="{size_half_points}"/><w:szCs w:val="{size_half_points}"/>')
    if lang:
        out.append(f'<w:lang w:val="en-US" w:eastAsia="{lang}" w:bidi="ar-SA"/>')
    return f"<w:rPr>{''.join(out)}</w:rPr>" if out else ""


def style_ppr(
    keep_next: bool = False,
    widow_control: bool | None = None,
    borders: str = "",
    line_twips: int | None = None,
    line_rule: str = "exact",
    before_twips: int | None = None,
    after_twips: int | None = None,
    first_line_twips: int | None = None,
    left_twips: int | None = None,
    right_twips: int | None = None,
    jc: str | None = None,
    outline_level: int | None = None,
) -> str:
    """``w:pPr`` in CT_PPrBase order: keepNext, widowControl, pBdr, spacing, ind, jc, outlineLvl."""
    out = []
    if keep_next:
        out.append("<w:keepNext/>")
    if widow_control is not None:
        out.append("<w:widowControl/>" if widow_control else '<w:widowControl w:val="0"/>')
    if borders:
        out.append(f"<w:pBdr>{borders}</w:pBdr>")
    out.append(spacing_xml(before_twips, after_twips, line_twips, line_rule))
    out.append(ind_xml(left_twips, right_twips, first_line_twips))
    if jc:
        out.append(f'<w:jc w:val="{jc}"/>')
    if outline_level is not None:
        out.append(f'<w:outlineLvl w:val="{outline_level}"/>')
    return f"<w:pPr>{''.join(out)}</w:pPr>" if out else ""


def style(
    style_id: str,
    name: str,
    kind: str = "paragraph",
    based_on: str | None = None,
    next_style: str | None = None,
    ppr: str = "",
    rpr: str = "",
    default: bool = False,
    ui_priority: int | None = None,
    hidden: bool = False,
) -> str:
    """``w:style`` in CT_Style order: name, basedOn, next, uiPriority, semiHidden, qFormat, pPr, rPr."""
    attrs = f' w:type="{kind}"' + (' w:default="1"' if default else "") + f' w:styleId="{style_id}"'
    out = [f"<w:style{attrs}>", f'<w:name w:val="{esc(name)}"/>']
    if based_on:
        out.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_style:
        out.append(f'<w:next w:val="{next_style}"/>')
    if ui_priority is not None:
        out.append(f'<w:uiPriority w:val="{ui_priority}"/>')
    if hidden:
        out.append("<w:semiHidden/><w:unhideWhenUsed/>")
    else:
        out.append("<w:qFormat/>")
    out.append(ppr)
    out.append(rpr)
    out.append("</w:style>")
    return "".join(out)


# ---------------------------------------------------------------------------
# Parts


def styles_xml(fonts: FontSet, bold_level3: bool = False, p: Gbt9704Profile = PROFILE) -> str:
    body_fonts = Fonts(p.latin_font, fonts.body)
    indent = p.first_line_indent_twips
    flush_left = style_ppr(first_line_twips=0, jc="left")
    parts = [
        XML_DECL,
        f"<w:styles {_NS_DECL}>",
        "<w:docDefaults><w:rPrDefault>",
        style_rpr(body_fonts, size_half_points=p.body_size_half_points, lang=p.east_asia_lang),
        "</w:rPrDefault><w:pPrDefault>",
        style_ppr(line_twips=p.line_pitch_twips, after_twips=0),
        "</w:pPrDefault></w:docDefaults>",
        style(S_NORMAL, "Normal", default=True, ppr=style_ppr(widow_control=False)),
        style("DefaultParagraphFont", "Default Paragraph Font", "character", default=True, ui_priority=1, hidden=True),
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
        '<w:pPr><w:spacing w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:style>",
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
        # Based on nothing: in a unit's own template, its Normal style (which
        # its letterhead may rely on) must not leak into the report's text.
        style(
            S_BODY,
            "公文正文",
            ppr=style_ppr(
                widow_control=False,
                line_twips=p.line_pitch_twips,
                before_twips=0,
                after_twips=0,
                first_line_twips=indent,
                jc="both",
            ),
            rpr=style_rpr(
                body_fonts, condense_twips=p.char_condense_twips, size_half_points=p.body_size_half_points, lang=p.east_asia_lang
            ),
        ),
        style(
            S_TITLE,
            "公文标题",
            based_on=S_BODY,
            next_style=S_BODY,
            ppr=style_ppr(keep_next=True, first_line_twips=0, jc="center"),
            rpr=style_rpr(
                Fonts(fonts.title, fonts.title), condense_twips=0, size_half_points=p.title_size_half_points
            ),
        ),
        style(S_SUBTITLE, "公文副标题", based_on=S_BODY, next_style=S_BODY, ppr=style_ppr(keep_next=True, first_line_twips=0, jc="center"),
              rpr=style_rpr(Fonts(p.latin_font, fonts.heading2))),
        style(S_SPEAKER, "报告人", based_on=S_BODY, next_style=S_BODY, ppr=style_ppr(keep_next=True, first_line_twips=0, jc="center"),
              rpr=style_rpr(Fonts(p.latin_font, fonts.heading2))),
        style(S_RECIPIENT, "主送机关", based_on=S_BODY, next_style=S_BODY, ppr=flush_left),
        style(S_SALUTATION, "称谓", based_on=S_BODY, next_style=S_BODY, ppr=flush_left),
        # Parts: centred, in the level-1 heading font (gbt9704-profile.md "Parts").
        style(S_PART, "部分标题", based_on=S_BODY, next_style=S_BODY,
              ppr=style_ppr(keep_next=True, first_line_twips=0, jc="center", outline_level=0),
              rpr=style_rpr(Fonts(p.latin_font, fonts.role_font(PART_ROLE)))),
    ]
    for rule in HEADING_RULES:
        level = rule.level
        level_fonts = Fonts(p.latin_font, fonts.role_font(rule.font_role))
        bold = bold_level3 and rule.bold_allowed
        # Body-size headings inherit the size from the body style.
        size = None if rule.size_pt == p.body_size_pt else heading_size_half_points(rule)
        parts.append(
            style(
                S_HEADING[level - 1],
                f"heading {level}",
                based_on=S_BODY,
                next_style=S_BODY,
                ppr=style_ppr(keep_next=True, outline_level=level - 1),
                rpr=style_rpr(level_fonts, bold=bold, size_half_points=size),
                ui_priority=9,
            )
        )
        parts.append(
            style(
                S_RUN_IN[level - 1],
                f"段首标题 {level}",
                based_on=S_BODY,
                next_style=S_BODY,
                ppr=style_ppr(outline_level=level - 1),
            )
        )
        parts.append(
            style(C_HEADING[level - 1], f"标题 {level} 字符", "character", based_on="DefaultParagraphFont",
                  rpr=style_rpr(level_fonts, bold=bold, size_half_points=size))
        )
    parts += [
        style(S_ATTACHMENT, "附件说明", based_on=S_BODY, next_style=S_BODY, ppr=style_ppr(jc="left")),
        style(S_SIGNATURE, "署名", based_on=S_BODY, next_style=S_DATE, ppr=style_ppr(keep_next=True, first_line_twips=0, jc="right")),
        style(S_DATE, "成文日期", based_on=S_BODY, ppr=style_ppr(first_line_twips=0, jc="left")),
        # 版头 and 版记 (red-header kinds).
        style(S_HEADER_LINE, "份号密级紧急程度", based_on=S_BODY, ppr=style_ppr(first_line_twips=0, jc="left"),
              rpr=style_rpr(Fonts(p.latin_font, fonts.heading1))),
        style(
            S_ISSUER_MARK,
            "发文机关标志",
            based_on=S_BODY,
            ppr=style_ppr(keep_next=True, line_twips=p.issuer_mark_line_twips, first_line_twips=0, jc="center"),
            rpr=style_rpr(Fonts(fonts.title, fonts.title), color=p.red_color_hex, condense_twips=0,
                          size_half_points=p.issuer_mark_size_half_points),
        ),
        style(
            S_DOC_NUMBER,
            "发文字号",
            based_on=S_BODY,
            ppr=style_ppr(
                keep_next=True,
                borders=f'<w:bottom w:val="single" w:sz="{p.red_rule_width_eighth_pt}" '
                f'w:space="{p.red_rule_space_pt}" w:color="{p.red_color_hex}"/>',
                first_line_twips=0,
                jc="center",
            ),
        ),
        style(C_SIGNER_NAME, "签发人姓名", "character", based_on="DefaultParagraphFont",
              rpr=style_rpr(Fonts(p.latin_font, fonts.heading2))),
        style(
            S_RECORD,
            "版记",
            based_on=S_NORMAL,
            # Single spacing: an exact line height inside table cells would
            # blow up the row heights.
            ppr=style_ppr(line_twips=240, line_rule="auto", before_twips=0, after_twips=0, first_line_twips=0, jc="left"),
            rpr=style_rpr(body_fonts, size_half_points=p.record_size_half_points),
        ),
        # A text box must end with a paragraph; this one takes (almost) no height.
        style(S_RECORD_END, "版记结束", based_on=S_NORMAL, hidden=True,
              ppr=style_ppr(line_twips=20, before_twips=0, after_twips=0),
              rpr=style_rpr(size_half_points=2)),
        style(
            S_PAGE_NUMBER,
            "页码",
            based_on=S_NORMAL,
            # Footers get single spacing: an exact 28.95 pt line would not fit
            # the footer area and would push the body to 21 lines.
            ppr=style_ppr(line_twips=240, line_rule="auto", before_twips=0, after_twips=0, first_line_twips=0),
            rpr=style_rpr(
                Fonts(fonts.page_number, fonts.page_number),
                condense_twips=0,
                size_half_points=p.page_number_size_half_points,
            ),
        ),
        *item_styles(fonts, p),
        "</w:styles>",
    ]
    return "".join(parts)


def heading_size_half_points(rule: HeadingRule) -> int:
    return round(rule.size_pt * 2)


def item_styles(fonts: FontSet, p: Gbt9704Profile = PROFILE) -> list[str]:
    """Styles of tables, attachment pages and lead sentences (v1.1)."""
    body_fonts = Fonts(p.latin_font, fonts.body)
    # Single spacing inside cells: the body's exact 28.95 pt would make
    # every row three lines tall.
    cell_ppr = style_ppr(line_twips=240, line_rule="auto", before_twips=0, after_twips=0, first_line_twips=0, jc="left")
    out = [
        style(S_TABLE_TITLE, "表格标题", based_on=S_BODY, next_style=S_BODY,
              ppr=style_ppr(keep_next=True, first_line_twips=0, jc="center"),
              rpr=style_rpr(Fonts(p.latin_font, fonts.heading1))),
        style(S_TABLE_CELL, "表格文字", based_on=S_NORMAL, ppr=cell_ppr,
              rpr=style_rpr(body_fonts, size_half_points=p.table_cell_size_half_points, lang=p.east_asia_lang)),
        style(S_TABLE_CELL_DENSE, "表格文字（密）", based_on=S_TABLE_CELL,
              rpr=style_rpr(size_half_points=p.table_dense_cell_size_half_points)),
        style(S_TABLE_NOTE, "表注", based_on=S_BODY, next_style=S_BODY, ppr=style_ppr(first_line_twips=0, jc="left"),
              rpr=style_rpr(condense_twips=0, size_half_points=p.table_note_size_half_points)),
        style(S_ATTACHMENT_LABEL, "附件标识", based_on=S_BODY, next_style=S_TITLE,
              ppr=style_ppr(keep_next=True, first_line_twips=0, jc="left"),
              rpr=style_rpr(Fonts(p.latin_font, fonts.heading1))),
    ]
    for kind, role, bold in p.lead_style_roles:
        out.append(style(C_LEAD[kind], "段首句" + {"bold": "（加粗）", "kai": "（楷体）", "hei": "（黑体）"}[kind], "character",
                         based_on="DefaultParagraphFont", rpr=style_rpr(Fonts(p.latin_font, fonts.role_font(role)), bold=bold)))
    return out


def numbering_xml(fonts: FontSet, bold_level3: bool = False, p: Gbt9704Profile = PROFILE, attachments: int = 0) -> str:
    """Native heading numbering: 一、 （一） 1. （1）, each level restarting under its parent
    (and one list instance for each of the first ``attachments`` attachments)."""
    levels = []
    for rule in HEADING_RULES:
        i = rule.level - 1
        rpr = style_rpr(
            Fonts(p.latin_font, fonts.role_font(rule.font_role)),
            bold=bold_level3 and rule.bold_allowed,
            condense_twips=p.char_condense_twips,
            size_half_points=heading_size_half_points(rule),
        )
        levels.append(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{rule.word_num_fmt}"/>'
            f'<w:suff w:val="nothing"/><w:lvlText w:val="{rule.word_lvl_text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="0" w:firstLine="{p.first_line_indent_twips}"/></w:pPr>{rpr}</w:lvl>'
        )
    return (
        f"{XML_DECL}<w:numbering {_NS_DECL}>"
        '<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>'
        f"{''.join(levels)}</w:abstractNum>"
        f'<w:num w:numId="{HEADING_NUM_ID}"><w:abstractNumId w:val="0"/></w:num>'
        f"{attachment_nums(attachments)}"
        "</w:numbering>"
    )


# Attachment n numbers its headings with w:numId HEADING_NUM_ID + n, which
# restarts 一、 (one list instance per attachment). Written only when a
# report has such attachments: every list instance costs a reader time.
def attachment_nums(count: int) -> str:
    overrides = "".join(f'<w:lvlOverride w:ilvl="{i}"><w:startOverride w:val="1"/></w:lvlOverride>' for i in range(4))
    return "".join(
        f'<w:num w:numId="{HEADING_NUM_ID + n}"><w:abstractNumId w:val="0"/>{overrides}</w:num>'
        for n in range(1, count + 1)
    )


def page_number_paragraph(placement: str, p: Gbt9704Profile = PROFILE) -> str:
    """"— N —": odd pages right, even pages left (inset one character), or centred.
    Portrait footers and the rotated ones of landscape table pages share it."""
    inset = p.page_number_inset_twips
    if placement == "odd":
        ppr_extra = f'<w:ind w:right="{inset}" w:firstLine="0"/><w:jc w:val="right"/>'
    elif placement == "even":
        ppr_extra = f'<w:ind w:left="{inset}" w:firstLine="0"/><w:jc w:val="left"/>'
    else:
        ppr_extra = '<w:jc w:val="center"/>'
    return f'<w:p><w:pPr><w:pStyle w:val="{S_PAGE_NUMBER}"/>{ppr_extra}</w:pPr>{page_field_runs(p.page_number_dash)}</w:p>'


def footer_references(page_numbers: str, odd_rid: str, even_rid: str, center_rid: str) -> str:
    """A section's footer references for ``options.page_numbers``."""
    if page_numbers == "outside":
        return f'<w:footerReference w:type="default" r:id="{odd_rid}"/><w:footerReference w:type="even" r:id="{even_rid}"/>'
    if page_numbers == "center":
        return f'<w:footerReference w:type="default" r:id="{center_rid}"/>'
    return ""


def footer_xml(placement: str, p: Gbt9704Profile = PROFILE) -> str:
    """A page-number footer: "— N —", odd pages right, even pages left, or centred."""
    return (
        f"{XML_DECL}<w:ftr {_NS_DECL}>{page_number_paragraph(placement, p)}</w:ftr>"
    )


def settings_xml(even_and_odd: bool = True) -> str:
    """Document settings: Word 2013+ mode (no 兼容模式), Chinese East Asian language."""
    even_odd = "<w:evenAndOddHeaders/>" if even_and_odd else ""
    return (
        f"{XML_DECL}<w:settings {_NS_DECL}>"
        '<w:zoom w:percent="100"/>'
        '<w:defaultTabStop w:val="420"/>'
        f"{even_odd}"
        # Full-width punctuation keeps its full width: 28 characters a line.
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        "<w:compat>"
        '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
        '<w:compatSetting w:name="overrideTableStyleFontSizeAndJustification" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
        '<w:compatSetting w:name="enableOpenTypeFeatures" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
        '<w:compatSetting w:name="doNotFlipMirrorIndents" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
        '<w:compatSetting w:name="differentiateMultirowTableHeaders" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>'
        "</w:compat>"
        '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>'
        "</w:settings>"
    )


# Font table entries: charset 86 is GB2312; altName lets Word fall back from
# the GB2312-era names to the fonts every Chinese Windows has.
_FONT_FACTS: dict[str, tuple[str | None, str, str, str]] = {
    # name: (altName, charset, family, pitch)
    "仿宋_GB2312": ("仿宋", "86", "modern", "fixed"),
    "楷体_GB2312": ("楷体", "86", "modern", "fixed"),
    "方正小标宋简体": ("宋体", "86", "script", "default"),
    "仿宋": ("FangSong", "86", "modern", "fixed"),
    "楷体": ("KaiTi", "86", "modern", "fixed"),
    "黑体": ("SimHei", "86", "modern", "fixed"),
    "宋体": ("SimSun", "86", "auto", "variable"),
    "Times New Roman": (None, "00", "roman", "variable"),
}


def font_table_xml(font_names: list[str]) -> str:
    entries = []
    for name in font_names:
        alt, charset, family, pitch = _FONT_FACTS.get(name, (None, "86", "auto", "default"))
        alt_xml = f'<w:altName w:val="{esc(alt)}"/>' if alt else ""
        entries.append(
            f'<w:font w:name="{esc(name)}">{alt_xml}<w:charset w:val="{charset}"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        )
    return f"{XML_DECL}<w:fonts {_NS_DECL}>{''.join(entries)}</w:fonts>"


def theme_xml(fonts: FontSet, p: Gbt9704Profile = PROFILE) -> str:
    """A minimal Office theme. Word expects the part; no style refers to it
    (theme fonts would override the named fonts), but its font scheme names
    the profile's fonts anyway, so text a user adds with a theme font still
    looks right."""
    def solid(color: str) -> str:
        return f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'

    colors = {
        "dk1": '<a:srgbClr val="000000"/>', "lt1": '<a:srgbClr val="FFFFFF"/>',
        "dk2": '<a:srgbClr val="000000"/>', "lt2": '<a:srgbClr val="FFFFFF"/>',
        "accent1": '<a:srgbClr val="C00000"/>', "accent2": '<a:srgbClr val="000000"/>',
        "accent3": '<a:srgbClr val="595959"/>', "accent4": '<a:srgbClr val="7F7F7F"/>',
        "accent5": '<a:srgbClr val="A6A6A6"/>', "accent6": '<a:srgbClr val="D9D9D9"/>',
        "hlink": '<a:srgbClr val="0000FF"/>', "folHlink": '<a:srgbClr val="800080"/>',
    }
    clr = "".join(f"<a:{k}>{v}</a:{k}>" for k, v in colors.items())
    lat = esc(p.latin_font)
    major = f'<a:majorFont><a:latin typeface="{lat}"/><a:ea typeface="{esc(fonts.heading1)}"/><a:cs typeface="{lat}"/></a:majorFont>'
    minor = f'<a:minorFont><a:latin typeface="{lat}"/><a:ea typeface="{esc(fonts.body)}"/><a:cs typeface="{lat}"/></a:minorFont>'
    fills = solid("FFFFFF") * 3
    lines = '<a:ln w="6350">' + solid("000000") + "</a:ln>"
    effects = "<a:effectStyle><a:effectLst/></a:effectStyle>" * 3
    return (
        f'{XML_DECL}<a:theme xmlns:a="{A_NS}" name="GB/T 9704">'
        f'<a:themeElements><a:clrScheme name="GB/T 9704">{clr}</a:clrScheme>'
        f'<a:fontScheme name="GB/T 9704">{major}{minor}</a:fontScheme>'
        f'<a:fmtScheme name="GB/T 9704"><a:fillStyleLst>{fills}</a:fillStyleLst>'
        f"<a:lnStyleLst>{lines * 3}</a:lnStyleLst><a:effectStyleLst>{effects}</a:effectStyleLst>"
        f"<a:bgFillStyleLst>{fills}</a:bgFillStyleLst></a:fmtScheme></a:themeElements>"
        "<a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
    )


def section_properties_xml(p: Gbt9704Profile = PROFILE) -> str:
    """``w:sectPr`` for the report's only section, in CT_SectPr order."""
    return (
        "<w:sectPr>"
        f'<w:footerReference w:type="default" r:id="{FOOTER_ODD[1]}"/>'
        f'<w:footerReference w:type="even" r:id="{FOOTER_EVEN[1]}"/>'
        f'<w:pgSz w:w="{p.page_width_twips}" w:h="{p.page_height_twips}"/>'
        f'<w:pgMar w:top="{p.top_margin_twips}" w:right="{p.right_margin_twips}" '
        f'w:bottom="{p.bottom_margin_twips}" w:left="{p.left_margin_twips}" '
        f'w:header="{p.header_distance_twips}" w:footer="{p.footer_distance_twips}" w:gutter="0"/>'
        '<w:cols w:space="425"/>'
        # No character grid: LibreOffice would draw a 28-char grid at 14 a line;
        # exact line spacing plus condensed runs give 22 x 28 in Word and LibreOffice.
        f'<w:docGrid w:linePitch="{p.line_pitch_twips}"/>'
        "</w:sectPr>"
    )


def document_xml(body: str, sect_pr: str) -> str:
    return f"{XML_DECL}<w:document {DOCUMENT_NS_DECL}><w:body>{body}{sect_pr}</w:body></w:document>"


def content_types_xml(overrides: dict[str, str]) -> str:
    items = "".join(f'<Override PartName="/{name}" ContentType="{ct}"/>' for name, ct in overrides.items())
    return (
        f'{XML_DECL}<Types xmlns="{CT_NS}">'
        f'<Default Extension="rels" ContentType="{CT_RELS}"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{items}</Types>"
    )


def relationships_xml(rels: list[tuple[str, str, str]]) -> str:
    items = "".join(f'<Relationship Id="{rid}" Type="{rtype}" Target="{target}"/>' for rid, rtype, target in rels)
    return (
        f'{XML_DECL}<Relationships xmlns="{PKG_REL_NS}">'
        f"{items}</Relationships>"
    )


def font_names(fonts: FontSet, p: Gbt9704Profile = PROFILE) -> list[str]:
    """The fonts a document in this font set uses, each once."""
    return list(dict.fromkeys([fonts.body, fonts.title, fonts.heading1, fonts.heading2, fonts.page_number, p.latin_font]))


def build_base_parts(font_set: str = "gb2312", p: Gbt9704Profile = PROFILE) -> dict[str, bytes]:
    """Every part of a base .docx except the document body's content and the
    per-report properties (docProps), which the package writer adds."""
    fonts = FONT_SETS[font_set]
    parts = {
        "[Content_Types].xml": content_types_xml(
            {
                "word/document.xml": CT_MAIN,
                "word/styles.xml": CT_STYLES,
                "word/settings.xml": CT_SETTINGS,
                "word/fontTable.xml": CT_FONTS,
                "word/numbering.xml": CT_NUMBERING,
                "word/theme/theme1.xml": CT_THEME,
                FOOTER_ODD[0]: CT_FOOTER,
                FOOTER_EVEN[0]: CT_FOOTER,
                FOOTER_CENTER[0]: CT_FOOTER,
                "docProps/core.xml": CT_CORE,
                "docProps/app.xml": CT_APP,
            }
        ),
        "_rels/.rels": relationships_xml(
            [
                ("rId1", RT_OFFICE_DOC, "word/document.xml"),
                ("rId2", RT_CORE, "docProps/core.xml"),
                ("rId3", RT_APP, "docProps/app.xml"),
            ]
        ),
        "word/_rels/document.xml.rels": relationships_xml(
            [
                ("rIdStyles", RT_STYLES, "styles.xml"),
                ("rIdSettings", RT_SETTINGS, "settings.xml"),
                ("rIdFonts", RT_FONTS, "fontTable.xml"),
                ("rIdNumbering", RT_NUMBERING, "numbering.xml"),
                ("rIdTheme", RT_THEME, "theme/theme1.xml"),
                (FOOTER_ODD[1], RT_FOOTER, FOOTER_ODD[0].removeprefix("word/")),
                (FOOTER_EVEN[1], RT_FOOTER, FOOTER_EVEN[0].removeprefix("word/")),
                (FOOTER_CENTER[1], RT_FOOTER, FOOTER_CENTER[0].removeprefix("word/")),
            ]
        ),
        "word/document.xml": document_xml("", section_properties_xml(p)),
        "word/styles.xml": styles_xml(fonts, p=p),
        "word/numbering.xml": numbering_xml(fonts, p=p),
        "word/settings.xml": settings_xml(even_and_odd=True),
        "word/fontTable.xml": font_table_xml(font_names(fonts, p)),
        "word/theme/theme1.xml": theme_xml(fonts, p),
        FOOTER_ODD[0]: footer_xml("odd", p),
        FOOTER_EVEN[0]: footer_xml("even", p),
        FOOTER_CENTER[0]: footer_xml("center", p),
    }
    return {name: text.encode("utf-8") for name, text in parts.items()}
