"""Writer side of the v1.1 blocks: tables, attachment page heads, landscape
sections and the rotated page numbers of landscape pages.

Knows the XML, not the genre. Registered with :func:`writer.block_xml`.
"""
from __future__ import annotations

import re

from .. import layout as L
from ..profile import PROFILE, Gbt9704Profile, mm_to_twips
from . import base_template as T
from .xml import ParaProps, esc, paragraph, run

EMU_PER_TWIP = 635

# Footer parts of landscape sections: the number set along the short edge.
LANDSCAPE_FOOTER_ODD = ("word/footer4.xml", "rIdFooterLandOdd")
LANDSCAPE_FOOTER_EVEN = ("word/footer5.xml", "rIdFooterLandEven")
LANDSCAPE_FOOTER_CENTER = ("word/footer6.xml", "rIdFooterLandCenter")


# ---------------------------------------------------------------------------
# Tables


# Cell text that needs neither xml:space="preserve" nor the East Asian font hint.
_PLAIN_CELL_RE = re.compile(r"^(?!\s)[^\u2018\u2019\u201c\u201d\u2014\u2026\u00b7\u2013\t\r\n]*(?<!\s)$")


def _cell_xml(cell: L.TableCell, widths: tuple[int, ...], style: str) -> str:
    width = sum(widths[cell.col : cell.col + cell.colspan]) if cell.colspan > 1 else widths[cell.col]
    span = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
    merge = "<w:vMerge/>" if cell.continued else '<w:vMerge w:val="restart"/>' if cell.rowspan > 1 else ""
    # Built as one string: a table has many more cells than a report has paragraphs.
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/><w:jc w:val="center"/></w:pPr>' if cell.align == "center" else f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
    text = cell.text
    if not text:
        paras = f"<w:p>{ppr}</w:p>"
    elif "\n" in text or "\r" in text or "\t" in text:
        # Each line of a cell is a paragraph of its own.
        paras = "".join(f"<w:p>{ppr}{run(line)}</w:p>" if line else f"<w:p>{ppr}</w:p>"
                        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    elif _PLAIN_CELL_RE.match(text):
        # Figures and plain words: no edge spaces to preserve and no “ ” — … · to
        # keep in the Chinese font, so the run needs no properties (a smaller part).
        paras = f"<w:p>{ppr}<w:r><w:t>{esc(text)}</w:t></w:r></w:p>"
    else:
        paras = f"<w:p>{ppr}{run(text)}</w:p>"
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{merge}<w:vAlign w:val="center"/></w:tcPr>{paras}</w:tc>'


def _rows_xml(rows: tuple[L.TableRow, ...], widths: tuple[int, ...], style: str) -> str:
    """All rows; cells without spans and with plain text take a fast path
    (a table has many more cells than a report has paragraphs)."""
    head = [f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/>'
            for w in widths]
    opens = {"center": [o + '<w:jc w:val="center"/></w:pPr><w:r><w:t>' for o in head], "left": [o + "</w:pPr><w:r><w:t>" for o in head]}
    close = "</w:t></w:r></w:p></w:tc>"
    plain = _PLAIN_CELL_RE.match
    # Every cell's text escaped in one pass (NUL cannot occur in a report's text):
    # a table has thousands of cells, and a call per cell dominated.
    texts = iter(esc("\0".join(t for row in rows for t in (row.texts or [c.text for c in row.cells]))).split("\0"))
    out = []
    for row in rows:
        out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if row.header else "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        if row.texts:  # a plain row: one cell per grid column
            for col, (raw, align) in enumerate(zip(row.texts, row.aligns)):
                text = next(texts)
                if text and plain(raw):
                    out.append(opens[align][col] + text + close)
                else:
                    out.append(_cell_xml(L.TableCell(raw, col, 1, 1, False, align), widths, style))
        else:
            for c in row.cells:
                text = next(texts)
                if c.colspan == 1 and c.rowspan == 1 and not c.continued and text and plain(c.text):
                    out.append(opens[c.align][c.col] + text + close)
                else:
                    out.append(_cell_xml(c, widths, style))
        out.append("</w:tr>")
    return "".join(out)


def table_xml(block: L.Table, p: Gbt9704Profile = PROFILE) -> str:
    """The title above, the table (as wide as the text block, centred), notes below."""
    sz = p.table_border_eighth_pt
    border = f'w:val="single" w:sz="{sz}" w:space="0" w:color="000000"'
    borders = "".join(f"<w:{side} {border}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    margin = p.table_cell_margin_twips
    style = T.S_TABLE_CELL_DENSE if block.dense else T.S_TABLE_CELL
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in block.column_twips)
    out = []
    if block.title:
        out.append(paragraph(T.S_TABLE_TITLE, run(block.title), _spaced(block.space_before_lines, p)))
    out.append(
        f'<w:tbl><w:tblPr><w:tblW w:w="{block.width_twips}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{margin}" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0020" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        "</w:tblPr>"
        f"<w:tblGrid>{grid}</w:tblGrid>"
        f"{_rows_xml(block.rows, block.column_twips, style)}</w:tbl>"
    )
    out += [paragraph(T.S_TABLE_NOTE, run(note)) for note in block.notes]
    xml = "".join(out)
    if block.keep_with_next:
        xml = _keep_last_with_next(xml, bool(block.notes))
    return xml


def _keep_last_with_next(xml: str, has_notes: bool) -> str:
    """The signature never stands alone on a page (GB/T 9704 7.3.5.4): the
    last note, or the last row's paragraphs, keep with the next paragraph."""
    if has_notes:
        at = xml.rindex(f'<w:pStyle w:val="{T.S_TABLE_NOTE}"/>') + len(f'<w:pStyle w:val="{T.S_TABLE_NOTE}"/>')
        return xml[:at] + "<w:keepNext/>" + xml[at:]
    last_row = xml.rindex("<w:tr>")
    head, tail = xml[:last_row], xml[last_row:]
    return head + re.sub(r'(<w:pStyle w:val="[^"]+"/>)', r"\1<w:keepNext/>", tail)


def _spaced(lines: int, p: Gbt9704Profile) -> ParaProps | None:
    return ParaProps(space_before_twips=p.lines_twips(lines)) if lines else None


# ---------------------------------------------------------------------------
# Attachment pages and lead sentences


def attachment_page_xml(block: L.AttachmentPage, p: Gbt9704Profile = PROFILE) -> str:
    """"附件N" flush left on a new page, the title centred on line 3."""
    label = (
        f'<w:p><w:pPr><w:pStyle w:val="{T.S_ATTACHMENT_LABEL}"/><w:keepNext/><w:pageBreakBefore/></w:pPr>'
        f"{run(block.label)}</w:p>"
    )
    space = ParaProps(space_before_twips=p.lines_twips(block.title_space_lines)) if block.title_space_lines else None
    return label + paragraph(T.S_TITLE, run("\n".join(block.title_lines)), space)


def lead_runs(lead: str, text: str, lead_style: str) -> str:
    """A 段首句 in the lead font, then the rest of the paragraph in body type."""
    return run(lead, T.C_LEAD[lead_style]) + (run(text) if text else "")


# ---------------------------------------------------------------------------
# Landscape sections


_PGSZ_RE = re.compile(r"<w:pgSz\b[^>]*/>")
_PGMAR_RE = re.compile(r"<w:pgMar\b[^>]*/>")
_FOOTER_REF_RE = re.compile(r"<w:footerReference\b[^>]*/>")
_HEADER_REF_RE = re.compile(r"<w:headerReference\b[^>]*/>")
_TITLE_PG_RE = re.compile(r"<w:titlePg(?:\s[^>]*)?/>")
_SECT_OPEN_RE = re.compile(r"<w:sectPr\b[^>]*>")


def landscape_footer_refs(page_numbers: str) -> str:
    return T.footer_references(page_numbers, LANDSCAPE_FOOTER_ODD[1], LANDSCAPE_FOOTER_EVEN[1], LANDSCAPE_FOOTER_CENTER[1])


def page_numbers_of(sect_pr: str) -> str:
    """Which page-number footers a portrait sectPr refers to."""
    if T.FOOTER_ODD[1] in sect_pr:
        return "outside"
    if T.FOOTER_CENTER[1] in sect_pr:
        return "center"
    return "none"


def landscape_sect_pr(portrait: str, p: Gbt9704Profile = PROFILE) -> str:
    """The portrait section turned on its side: the text block stays where it
    is on the sheet (top = 订口 side, right = 天头 side), and the footers are
    the rotated page numbers."""
    refs = landscape_footer_refs(page_numbers_of(portrait))
    sect = _TITLE_PG_RE.sub("", _HEADER_REF_RE.sub("", _FOOTER_REF_RE.sub("", portrait)))
    sect = _PGSZ_RE.sub(f'<w:pgSz w:w="{p.page_height_twips}" w:h="{p.page_width_twips}" w:orient="landscape"/>', sect)
    sect = _PGMAR_RE.sub(
        f'<w:pgMar w:top="{p.left_margin_twips}" w:right="{p.top_margin_twips}" w:bottom="{p.right_margin_twips}" '
        f'w:left="{p.bottom_margin_twips}" w:header="{p.header_distance_twips}" w:footer="{p.header_distance_twips}" w:gutter="0"/>',
        sect,
    )
    opening = _SECT_OPEN_RE.search(sect)
    assert opening is not None
    return sect[: opening.end()] + refs + sect[opening.end() :]


def following_sect_pr(portrait: str) -> str:
    """A later portrait section: it inherits the headers (a unit's letterhead
    belongs to the first page only) and never starts with a title page."""
    return _TITLE_PG_RE.sub("", _HEADER_REF_RE.sub("", portrait))


def with_sect_pr(fragment: str, sect_pr: str) -> str:
    """Put a section break into the last paragraph of ``fragment``.

    A section ends with the paragraph holding its w:sectPr (ECMA-376
    17.6.17); the last pPr's children end with sectPr in schema order
    (before pPrChange only, which the writer never emits).
    """
    end = fragment.rfind("</w:pPr>")
    if end == -1 or fragment.rfind("</w:p>") < end or fragment.endswith("</w:tbl>"):
        # The fragment ends with a table or has no paragraph: a paragraph of its own.
        return fragment + f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>{sect_pr}</w:pPr></w:p>'
    return fragment[:end] + sect_pr + fragment[end:]


def landscape_footer_xml(placement: str, p: Gbt9704Profile = PROFILE) -> str:
    """The page number of a landscape page, where the portrait sheet has it.

    Held upright, the landscape page's left edge is the sheet's foot and its
    top edge the sheet's left edge (the table's head faces the binding on odd
    pages, the outer edge on even pages: GB/T 9704 §10). So the number runs
    down the left edge, rotated a quarter turn, its dash line as far from the
    text block as on portrait pages, odd pages at the lower end, even pages at
    the upper end, with the same one-character inset.
    """
    # Portrait: the dash line's centre is 7 mm under the text block.
    gap = p.page_height_twips - p.bottom_margin_twips  # text block bottom on the portrait sheet
    dash_centre_portrait = gap + mm_to_twips(p.page_number_dash_below_text_mm)
    # On the landscape page the sheet's foot is the left edge: x = page height - y(portrait).
    centre_x = p.page_height_twips - dash_centre_portrait
    box_w = 2 * (p.bottom_margin_twips - centre_x)  # the landscape left margin is the portrait bottom one
    box_h = p.text_width_twips  # the text block's extent along the short edge
    number = T.page_number_paragraph(placement, p)
    cx, cy = box_w * EMU_PER_TWIP, box_h * EMU_PER_TWIP
    doc_pr_id = 1001 + ("odd", "even", "center").index(placement)  # unique in the package
    drawing = (
        '<w:r><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="3" behindDoc="0" '
        'locked="1" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        # LibreOffice ignores offsets from the page in a footer: the box sits
        # against the text block's left edge, as wide as twice the dash
        # line's distance from it, so its centre line is that distance out.
        '<wp:positionH relativeFrom="leftMargin"><wp:align>right</wp:align></wp:positionH>'
        '<wp:positionV relativeFrom="margin"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{doc_pr_id}" name="页码"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
        f"<wps:txbx><w:txbxContent>{number}</w:txbxContent></wps:txbx>"
        '<wps:bodyPr rot="0" vert="vert" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr" anchorCtr="0">'
        "<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
    )
    return f'{T.XML_DECL}<w:ftr {T.DOCUMENT_NS_DECL}><w:p><w:pPr><w:pStyle w:val="{T.S_PAGE_NUMBER}"/></w:pPr>{drawing}</w:p></w:ftr>'


def landscape_footer_parts(p: Gbt9704Profile = PROFILE) -> dict[str, tuple[str, str]]:
    """Part name → (relationship id, XML) of the landscape footers."""
    return {
        LANDSCAPE_FOOTER_ODD[0]: (LANDSCAPE_FOOTER_ODD[1], landscape_footer_xml("odd", p)),
        LANDSCAPE_FOOTER_EVEN[0]: (LANDSCAPE_FOOTER_EVEN[1], landscape_footer_xml("even", p)),
        LANDSCAPE_FOOTER_CENTER[0]: (LANDSCAPE_FOOTER_CENTER[1], landscape_footer_xml("center", p)),
    }


def sections_body(fragments: list[tuple[str, bool]], final_sect_pr: str, p: Gbt9704Profile = PROFILE) -> str:
    """Join block fragments, breaking sections around landscape tables.

    ``fragments`` holds (xml, landscape) per block. Consecutive landscape
    tables share one landscape section; the document's final w:sectPr (the
    template's) closes the last section as before.
    """
    if not any(land for _, land in fragments):
        return "".join(x for x, _ in fragments)
    out: list[str] = []
    portrait_seen = False
    i = 0
    while i < len(fragments):
        xml, land = fragments[i]
        if not land:
            out.append(xml)
            i += 1
            continue
        if out:  # close the portrait section before the landscape one
            sect = final_sect_pr if not portrait_seen else following_sect_pr(final_sect_pr)
            out[-1] = with_sect_pr(out[-1], sect)
            portrait_seen = True
        group = []
        while i < len(fragments) and fragments[i][1]:
            group.append(fragments[i][0])
            i += 1
        if i == len(fragments):
            # The document ends on landscape pages: the closing w:sectPr itself
            # turns (see ends_landscape); a section after it would be a blank page.
            tail = "".join(group)
            out.append(tail + _END_PARAGRAPH if tail.endswith("</w:tbl>") else tail)
        else:
            out.append(with_sect_pr("".join(group), landscape_sect_pr(final_sect_pr, p)))
    return "".join(out)


# A paragraph must follow a table at the end of a body; this one takes next to no height.
_END_PARAGRAPH = '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/></w:pPr></w:p>'
