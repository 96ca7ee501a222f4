"""WordprocessingML fragments as strings, children always in schema order.

The body of a report is generated as text, not through an element tree:
it is the one thing made per request, and string building is several times
faster. Every builder here emits the children of ``w:pPr`` / ``w:rPr`` in
the order ECMA-376 prescribes, because Word "repairs" files that don't.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..ooxml.vocab import R_NS, W_NS  # noqa: F401  (re-exported for the writer side)

XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

def esc(text: str) -> str:
    """Escape text for element content or a double-quoted attribute.

    Chained ``str.replace`` is several times faster than ``str.translate``
    with a mapping, and this runs over every character of every report.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@dataclass(frozen=True, slots=True)
class ParaProps:
    """Direct paragraph properties a block may need, beyond its style.

    Lengths in twips. Only properties that are set are written.
    """

    keep_next: bool | None = None
    num_id: int | None = None
    num_level: int | None = None
    space_before_twips: int | None = None
    space_after_twips: int | None = None
    left_twips: int | None = None
    right_twips: int | None = None
    first_line_twips: int | None = None
    hanging_twips: int | None = None
    jc: str | None = None
    outline_level: int | None = None
    tabs: tuple[tuple[str, int], ...] = ()  # (alignment, position) tab stops, from the margin


def spacing_xml(before: int | None = None, after: int | None = None, line: int | None = None, line_rule: str = "exact") -> str:
    """``w:spacing`` with the attributes that are set, or ""."""
    attrs = ""
    if before is not None:
        attrs += f' w:before="{before}"'
    if after is not None:
        attrs += f' w:after="{after}"'
    if line is not None:
        attrs += f' w:line="{line}" w:lineRule="{line_rule}"'
    return f"<w:spacing{attrs}/>" if attrs else ""


def ind_xml(left: int | None = None, right: int | None = None, first_line: int | None = None, hanging: int | None = None) -> str:
    """``w:ind`` with the attributes that are set, or "" (hanging wins over firstLine)."""
    attrs = ""
    if left is not None:
        attrs += f' w:left="{left}"'
    if right is not None:
        attrs += f' w:right="{right}"'
    if hanging is not None:
        attrs += f' w:hanging="{hanging}"'
    elif first_line is not None:
        attrs += f' w:firstLine="{first_line}"'
    return f"<w:ind{attrs}/>" if attrs else ""


def ppr(style: str, props: ParaProps | None = None) -> str:
    """``w:pPr`` in CT_PPrBase order: pStyle, keepNext, numPr, tabs, spacing, ind, jc, outlineLvl."""
    parts = [f'<w:pPr><w:pStyle w:val="{style}"/>']
    if props is not None:
        if props.keep_next is not None:
            parts.append("<w:keepNext/>" if props.keep_next else '<w:keepNext w:val="0"/>')
        if props.num_id is not None:
            parts.append(
                f'<w:numPr><w:ilvl w:val="{props.num_level or 0}"/><w:numId w:val="{props.num_id}"/></w:numPr>'
            )
        if props.tabs:
            stops = "".join(f'<w:tab w:val="{kind}" w:pos="{pos}"/>' for kind, pos in props.tabs)
            parts.append(f"<w:tabs>{stops}</w:tabs>")
        parts.append(spacing_xml(props.space_before_twips, props.space_after_twips))
        parts.append(ind_xml(props.left_twips, props.right_twips, props.first_line_twips, props.hanging_twips))
        if props.jc is not None:
            parts.append(f'<w:jc w:val="{props.jc}"/>')
        if props.outline_level is not None:
            parts.append(f'<w:outlineLvl w:val="{props.outline_level}"/>')
    parts.append("</w:pPr>")
    return "".join(parts)


def _text_content(text: str) -> str:
    """Run content for text that may hold tabs and line breaks."""
    if "\t" not in text and "\n" not in text and "\r" not in text:
        return f'<w:t xml:space="preserve">{esc(text)}</w:t>'
    # A carriage return cannot stand in XML text (parsers turn it into \n):
    # every line end becomes a w:br.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    for i, line in enumerate(text.split("\n")):
        if i:
            out.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                out.append("<w:tab/>")
            if piece:
                out.append(f'<w:t xml:space="preserve">{esc(piece)}</w:t>')
    return "".join(out)


def run(text: str, char_style: str | None = None) -> str:
    """A text run. ``w:hint="eastAsia"`` makes “ ” — … · take the Chinese font."""
    style = f'<w:rStyle w:val="{char_style}"/>' if char_style else ""
    return f'<w:r><w:rPr>{style}<w:rFonts w:hint="eastAsia"/></w:rPr>{_text_content(text)}</w:r>'


def paragraph(style: str, runs: str, props: ParaProps | None = None) -> str:
    return f"<w:p>{ppr(style, props)}{runs}</w:p>"


def page_field_runs(dash: str) -> str:
    """"— N —" with a PAGE field; python-docx has no field API."""
    hint = '<w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>'
    return (
        f'<w:r>{hint}<w:t xml:space="preserve">{dash} </w:t></w:r>'
        f'<w:r>{hint}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{hint}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{hint}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{hint}<w:t>1</w:t></w:r>"
        f'<w:r>{hint}<w:fldChar w:fldCharType="end"/></w:r>'
        f'<w:r>{hint}<w:t xml:space="preserve"> {dash}</w:t></w:r>'
    )
