"""Blocks → the body of ``word/document.xml``.

Knows the XML, not the genre: each block type maps to one paragraph with a
style from the base template and, where the layout computed them, direct
indents. Fonts live in the styles, so runs carry no font names.
"""
from __future__ import annotations

from functools import singledispatch

from .. import layout as L
from ..profile import PROFILE, Gbt9704Profile, text_width_twips
from . import base_template as T
from . import items
from .xml import ParaProps, paragraph, ppr, run


def _space(lines: int, p: Gbt9704Profile) -> int | None:
    return p.lines_twips(lines) if lines else None


@singledispatch
def block_xml(block: object, p: Gbt9704Profile = PROFILE) -> str:
    raise TypeError(f"no writer for block {type(block).__name__}")


@block_xml.register
def _title(block: L.Title, p: Gbt9704Profile = PROFILE) -> str:
    props = ParaProps(space_before_twips=block.space_before_twips) if block.space_before_twips else None
    return paragraph(T.S_TITLE, run("\n".join(block.lines)), props)


@block_xml.register
def _header_line(block: L.HeaderLine, p: Gbt9704Profile = PROFILE) -> str:
    return paragraph(T.S_HEADER_LINE, run(block.text))


@block_xml.register
def _issuer_mark(block: L.IssuerMark, p: Gbt9704Profile = PROFILE) -> str:
    return paragraph(T.S_ISSUER_MARK, run(block.text), ParaProps(space_before_twips=block.space_before_twips))


@block_xml.register
def _doc_number(block: L.DocNumber, p: Gbt9704Profile = PROFILE) -> str:
    if not block.signer:
        return paragraph(T.S_DOC_NUMBER, run(block.number), ParaProps(space_before_twips=block.space_before_twips))
    # 发文字号 one character in from the left, 签发人 one character in from the
    # right, by tab stops: an indent would shorten the red rule (a border).
    inset = p.chars_twips(1)
    props = ParaProps(
        space_before_twips=block.space_before_twips,
        tabs=(("left", inset), ("right", p.text_width_twips - inset)),
        jc="left",
    )
    runs = run(f"\t{block.number}\t签发人：") + run(block.signer, T.C_SIGNER_NAME)
    return paragraph(T.S_DOC_NUMBER, runs, props)


@block_xml.register
def _record(block: L.Record, p: Gbt9704Profile = PROFILE) -> str:
    return record_xml(block, p)


@block_xml.register
def _title_note(block: L.TitleNote, p: Gbt9704Profile = PROFILE) -> str:
    style = T.S_SUBTITLE if block.role == "subtitle" else T.S_SPEAKER
    return paragraph(style, run("\n".join(block.lines)))


@block_xml.register
def _recipient(block: L.Recipient, p: Gbt9704Profile = PROFILE) -> str:
    return paragraph(T.S_RECIPIENT, run(block.text), _spaced(block.space_before_lines, p))


@block_xml.register
def _salutation(block: L.Salutation, p: Gbt9704Profile = PROFILE) -> str:
    return paragraph(T.S_SALUTATION, run(block.text), _spaced(block.space_before_lines, p))


@block_xml.register
def _paragraph(block: L.Paragraph, p: Gbt9704Profile = PROFILE) -> str:
    props = ParaProps(keep_next=True if block.keep_with_next else None, space_before_twips=_space(block.space_before_lines, p))
    if block.lead:
        return paragraph(T.S_BODY, items.lead_runs(block.lead, block.text, block.lead_style), props)
    return paragraph(T.S_BODY, run(block.text), props)


@block_xml.register
def _heading(block: L.Heading, p: Gbt9704Profile = PROFILE) -> str:
    i = block.level - 1
    props = ParaProps(
        num_id=T.HEADING_NUM_ID + block.num_instance if block.native_numbering else None,
        num_level=i if block.native_numbering else None,
        space_before_twips=_space(block.space_before_lines, p),
    )
    label = "" if block.native_numbering else block.label
    if block.body is None:
        return paragraph(T.S_HEADING[i], run(label + block.text), props)
    # Run-in heading: the heading sentence in the heading font, then the body
    # text in body type, in one paragraph.
    if block.body_lead:
        body = items.lead_runs(block.body_lead, block.body, block.lead_style)
        return paragraph(T.S_RUN_IN[i], run(label + block.text, T.C_HEADING[i]) + body, props)
    return paragraph(T.S_RUN_IN[i], run(label + block.text, T.C_HEADING[i]) + run(block.body), props)


@block_xml.register
def _part(block: L.Part, p: Gbt9704Profile = PROFILE) -> str:
    return paragraph(T.S_PART, run(block.label + block.text), _spaced(block.space_before_lines, p))


@block_xml.register
def _attachment(block: L.AttachmentItem, p: Gbt9704Profile = PROFILE) -> str:
    props = ParaProps(
        keep_next=True if block.keep_with_next else None,
        space_before_twips=_space(block.space_before_lines, p),
        left_twips=block.left_twips,
        hanging_twips=block.hanging_twips,
    )
    return paragraph(T.S_ATTACHMENT, run(block.prefix + block.name), props)


@block_xml.register
def _signature(block: L.Signature, p: Gbt9704Profile = PROFILE) -> str:
    props = ParaProps(space_before_twips=_space(block.space_before_lines, p), right_twips=block.right_twips)
    return paragraph(T.S_SIGNATURE, run(block.text), props)


@block_xml.register
def _date(block: L.DateLine, p: Gbt9704Profile = PROFILE) -> str:
    if block.left_twips is not None:
        props = ParaProps(space_before_twips=_space(block.space_before_lines, p), left_twips=block.left_twips, jc="left")
    else:
        props = ParaProps(space_before_twips=_space(block.space_before_lines, p), right_twips=block.right_twips, jc="right")
    return paragraph(T.S_DATE, run(block.text), props)


@block_xml.register
def _table(block: L.Table, p: Gbt9704Profile = PROFILE) -> str:
    return items.table_xml(block, p)


@block_xml.register
def _attachment_page(block: L.AttachmentPage, p: Gbt9704Profile = PROFILE) -> str:
    return items.attachment_page_xml(block, p)


def _spaced(lines: int, p: Gbt9704Profile) -> ParaProps | None:
    return ParaProps(space_before_twips=p.lines_twips(lines)) if lines else None


def attachment_lists(blocks: list[L.Block]) -> int:
    """How many list instances native numbering needs for attachments (the highest attachment number used)."""
    return max((b.num_instance for b in blocks if isinstance(b, L.Heading) and b.native_numbering), default=0)


def ends_landscape(blocks: list[L.Block]) -> bool:
    """The body ends with a landscape table: the document's closing section is the landscape one."""
    return bool(blocks) and isinstance(blocks[-1], L.Table) and blocks[-1].landscape


def closing_sect_pr(blocks: list[L.Block], final_sect_pr: str, p: Gbt9704Profile = PROFILE) -> str | None:
    """The closing w:sectPr to write instead of the template's, or None to keep it."""
    return items.landscape_sect_pr(final_sect_pr, p) if ends_landscape(blocks) else None


def has_landscape(blocks: list[L.Block]) -> bool:
    return any(isinstance(b, L.Table) and b.landscape for b in blocks)


def body_xml(blocks: list[L.Block], p: Gbt9704Profile = PROFILE, final_sect_pr: str = "") -> str:
    """The body's content. ``final_sect_pr`` (the document's closing w:sectPr)
    is needed only when landscape tables break the body into sections."""
    if not final_sect_pr or not has_landscape(blocks):
        return "".join(block_xml(b, p) for b in blocks)
    fragments = [(block_xml(b, p), isinstance(b, L.Table) and b.landscape) for b in blocks]
    return items.sections_body(fragments, final_sect_pr, p)


# ---------------------------------------------------------------------------
# 版记: a table of ruled rows in a text box anchored to the bottom of the text
# block, so its last rule lies on the block's bottom edge whatever the length
# of the body (Word and LibreOffice both honour a bottom-aligned anchor).

EMU_PER_TWIP = 635


def _record_cell(content: str, top_sz: int, bottom_sz: int, p: Gbt9704Profile) -> str:
    width = p.text_width_twips
    borders = (
        f'<w:top w:val="single" w:sz="{top_sz}" w:space="0" w:color="{p.record_rule_color_hex}"/><w:left w:val="nil"/>'
        f'<w:bottom w:val="single" w:sz="{bottom_sz}" w:space="0" w:color="{p.record_rule_color_hex}"/><w:right w:val="nil"/>'
    )
    return (
        f'<w:tr><w:trPr><w:trHeight w:val="{p.line_pitch_twips}" w:hRule="atLeast"/></w:trPr>'
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:tcBorders>{borders}</w:tcBorders>'
        f'<w:vAlign w:val="center"/></w:tcPr>{content}</w:tc></w:tr>'
    )


def record_xml(block: L.Record, p: Gbt9704Profile = PROFILE) -> str:
    width = p.text_width_twips
    inset = p.record_indent_twips
    outer, inner = p.record_rule_outer_eighth_pt, p.record_rule_inner_eighth_pt
    rows: list[str] = []
    if block.cc:
        lead = text_width_twips("抄送：", p.record_size_pt, p)
        cc = paragraph(T.S_RECORD, run(block.cc), ParaProps(left_twips=lead, hanging_twips=lead))
        rows.append(_record_cell(cc, outer, inner if (block.printer or block.print_date) else outer, p))
    if block.printer or block.print_date:
        props = ParaProps(tabs=(("right", width - 2 * inset),))  # in a cell: from the cell's margin
        printed = paragraph(T.S_RECORD, run(f"{block.printer}\t{block.print_date}"), props)
        rows.append(_record_cell(printed, inner if block.cc else outer, outer, p))
    table = (
        f'<w:tbl><w:tblPr><w:tblW w:w="{width}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{inset}" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{inset}" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{width}"/></w:tblGrid>{"".join(rows)}</w:tbl>'
    )
    cx, cy = width * EMU_PER_TWIP, block.height_twips * EMU_PER_TWIP
    return (
        f'<w:p>{ppr(T.S_BODY)}<w:r><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="2" behindDoc="0" '
        'locked="1" layoutInCell="1" allowOverlap="0"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="margin"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
        '<wp:docPr id="1" name="版记"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
        f"<wps:txbx><w:txbxContent>{table}<w:p>{ppr(T.S_RECORD_END)}</w:p></w:txbxContent></wps:txbx>"
        '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b" anchorCtr="0">'
        "<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p>"
    )
