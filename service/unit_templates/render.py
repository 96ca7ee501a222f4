"""Pour a report into a unit's own template (letterhead).

The unit's page set-up, headers, footers, images and other parts are kept as
they were. What the service adds: its styles (so the report is styled per the
profile), the report's body in place of the ``{{ 正文 }}`` paragraph, the
values of the other placeholders, native numbering when asked for, fonts for
the font table and the document properties.
"""
from __future__ import annotations

import re
from typing import Iterable

from lxml import etree

from .. import layout as L
from ..docx import base_template as T
from ..docx.package import DocumentProperties, document_properties, write_package
from ..docx.writer import attachment_lists, body_xml, closing_sect_pr
from ..docx.xml import R_NS, W_NS
from ..ooxml.vocab import CT_NS, PKG_REL_NS, WP_NS
from ..model import Report
from ..profile import FONT_SETS
from . import placeholders as ph
from .check import UnitTemplateError, parse_xml, read_checked

W = f"{{{W_NS}}}"
RELS_NS, CT_NS = PKG_REL_NS, CT_NS
# Styles a unit's own content may rely on: theirs are kept.
KEEP_THEIRS = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}


def inspect_template(data: bytes) -> list[str]:
    """Check an upload and return its placeholders; raises UnitTemplateError."""
    parts = read_checked(data)
    found: list[tuple[str, str]] = []
    body_paragraphs = 0
    for name in _placeholder_parts(parts):
        root = parse_xml(parts[name], name)
        ph.join_split_placeholders(root)
        found += ph.located_expressions(root, name)
        if name == "word/document.xml":
            body_paragraphs = sum(1 for p in root.iter(f"{W}p") if ph.is_body_placeholder(p))
            misplaced = [p for p in root.iter(f"{W}p") if ph.is_body_placeholder(p) and p.getparent().tag != f"{W}body"]
            if misplaced:
                raise UnitTemplateError("{{ 正文 }} 必须单独成段，且位于文档正文中（不能在表格或文本框里）")
    if body_paragraphs != 1:
        raise UnitTemplateError("模板中需要有且只有一个单独成段的 {{ 正文 }} 占位符，标明报告正文的位置")
    _check_numbering_ids(parts)
    return ph.check_expressions(found)


def _check_numbering_ids(parts: dict[str, bytes]) -> None:
    """Our list definition is numbered after the unit's own: theirs must be numbers."""
    if "word/numbering.xml" not in parts:
        return
    root = parse_xml(parts["word/numbering.xml"], "word/numbering.xml")
    for el, attr in ((f"{W}abstractNum", "abstractNumId"), (f"{W}num", "numId")):
        for node in root.iter(el):
            if not (node.get(f"{W}{attr}") or "").isdigit():
                raise UnitTemplateError("模板的编号定义（numbering.xml）已损坏，请在 Word 中重新保存后再上传")


def _placeholder_parts(parts: dict[str, bytes]) -> list[str]:
    return ["word/document.xml"] + sorted(n for n in parts if n.startswith(("word/header", "word/footer")) and n.endswith(".xml"))


def pour(template: bytes, report: Report, properties: DocumentProperties | None = None) -> bytes:
    """The report poured into the unit template, as .docx bytes.

    ``properties`` are the document properties the engine chose (default:
    the report's own, created now).
    """
    parts = read_checked(template)
    ctx = ph.context(report)
    used: set[str] = set()
    roots = {}
    for name in _placeholder_parts(parts):
        root = parse_xml(parts[name], name)
        ph.join_split_placeholders(root)
        used.update(ph.expressions(root))
        roots[name] = root
    blocks = _blocks_for(report, used)
    native = report.options.numbering == "word"
    num_id = _merge_numbering(parts, report, attachment_lists(blocks)) if native else T.HEADING_NUM_ID
    body = body_xml(blocks, final_sect_pr=_final_sect_pr(roots["word/document.xml"]))
    if native and num_id != T.HEADING_NUM_ID:
        # Headings, and each attachment's own list instance, shift together (one pass: no id is mapped twice).
        shift = num_id - T.HEADING_NUM_ID
        body = _NUM_ID_RE.sub(lambda m: f'<w:numId w:val="{int(m[1]) + shift}"/>', body)
    # Fill the template's own placeholders first: the report's text, inserted
    # after, is never read as a template (a paragraph may well hold "{{").
    for root in roots.values():
        ph.fill(root, ctx)
    _insert_body(roots["word/document.xml"], body)
    _turn_closing_section(roots["word/document.xml"], blocks)
    for name, root in roots.items():
        parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    _merge_styles(parts, report)
    _merge_fonts(parts, report)
    _set_properties(parts, properties or document_properties(report))
    return write_package(parts)


_NUM_ID_RE = re.compile(r'<w:numId w:val="(\d+)"/>')


def _final_sect_pr(document: etree._Element) -> str:
    """The unit's closing w:sectPr, which landscape table sections copy and turn."""
    body = document.find(f"{W}body")
    sect = body.find(f"{W}sectPr") if body is not None else None
    return etree.tostring(sect, encoding="unicode") if sect is not None else ""


def _turn_closing_section(document: etree._Element, blocks: list[L.Block]) -> None:
    """A body ending on landscape table pages ends in a landscape section."""
    body = document.find(f"{W}body")
    sect = body.find(f"{W}sectPr") if body is not None else None
    if sect is None:
        return
    turned = closing_sect_pr(blocks, etree.tostring(sect, encoding="unicode"))
    if turned is not None:
        body.replace(sect, etree.fromstring(turned))


def _blocks_for(report: Report, used: Iterable[str]) -> list[L.Block]:
    """The report's blocks, less those the template places itself."""
    used = set(used)
    drop: set[type] = set()
    if used & {"标题", "title"}:
        drop.add(L.Title)
    if used & {"日期", "date"}:
        drop.add(L.DateLine)
    if used & {"署名", "signature"}:
        drop.add(L.Signature)
    return [b for b in L.layout_report(report) if type(b) not in drop]


def _insert_body(document: etree._Element, body: str) -> None:
    target = next(p for p in document.iter(f"{W}p") if ph.is_body_placeholder(p))
    decl = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"' + T.DOCUMENT_NS_DECL.split(f'xmlns:r="{R_NS}"', 1)[1]
    fragment = etree.fromstring(f"<w:body {decl}>{body}</w:body>".encode("utf-8"))
    parent = target.getparent()
    index = parent.index(target)
    parent.remove(target)
    wp_docpr = f"{{{WP_NS}}}docPr"
    next_id = max((int(d.get("id", "0")) for d in document.iter(wp_docpr) if d.get("id", "").isdigit()), default=0) + 1
    for offset, child in enumerate(list(fragment)):
        # Drawing ids must stay unique beside the unit's own (its logo, say).
        for docpr in child.iter(wp_docpr):
            docpr.set("id", str(next_id))
            next_id += 1
        parent.insert(index + offset, child)


def _merge_styles(parts: dict[str, bytes], report: Report) -> None:
    ours = etree.fromstring(T.styles_xml(FONT_SETS[report.options.font_set], report.options.bold_level3).encode("utf-8"))
    if "word/styles.xml" not in parts:
        parts["word/styles.xml"] = etree.tostring(ours, xml_declaration=True, encoding="UTF-8", standalone=True)
        _add_part(parts, "word/styles.xml", T.CT_STYLES, T.RT_STYLES)
        return
    # stylesWithEffects.xml (Word 2010) mirrors styles.xml; once styles change it
    # would disagree, so it goes (Word rebuilds it when it needs it).
    _drop_part(parts, "word/stylesWithEffects.xml")
    theirs = parse_xml(parts["word/styles.xml"], "word/styles.xml")
    existing = {st.get(f"{W}styleId"): st for st in theirs.iter(f"{W}style")}
    for st in ours.iter(f"{W}style"):
        sid = st.get(f"{W}styleId")
        if sid in existing:
            if sid in KEEP_THEIRS:
                continue
            theirs.remove(existing[sid])
        theirs.append(st)
    parts["word/styles.xml"] = etree.tostring(theirs, xml_declaration=True, encoding="UTF-8", standalone=True)


def _merge_numbering(parts: dict[str, bytes], report: Report, attachments: int = 0) -> int:
    """Add the heading list definition; returns the w:numId the headings use."""
    fonts = FONT_SETS[report.options.font_set]
    ours = etree.fromstring(T.numbering_xml(fonts, report.options.bold_level3, attachments=attachments).encode("utf-8"))
    if "word/numbering.xml" not in parts:
        parts["word/numbering.xml"] = etree.tostring(ours, xml_declaration=True, encoding="UTF-8", standalone=True)
        _add_part(parts, "word/numbering.xml", T.CT_NUMBERING, T.RT_NUMBERING)
        return T.HEADING_NUM_ID
    theirs = parse_xml(parts["word/numbering.xml"], "word/numbering.xml")
    abstract_ids = [int(a.get(f"{W}abstractNumId")) for a in theirs.iter(f"{W}abstractNum")]
    num_ids = [int(n.get(f"{W}numId")) for n in theirs.iter(f"{W}num")]
    abstract_id, num_id = max(abstract_ids, default=-1) + 1, max(num_ids, default=0) + 1
    abstract = ours.find(f"{W}abstractNum")
    abstract.set(f"{W}abstractNumId", str(abstract_id))
    nums = ours.findall(f"{W}num")  # headings, then one list instance per attachment
    for offset, num in enumerate(nums):
        num.set(f"{W}numId", str(num_id + offset))
        num.find(f"{W}abstractNumId").set(f"{W}val", str(abstract_id))
    # Schema order: every abstractNum before the first num.
    first_num = theirs.find(f"{W}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        theirs.append(abstract)
    cleanup = theirs.find(f"{W}numIdMacAtCleanup")
    for num in nums:
        if cleanup is not None:
            cleanup.addprevious(num)
        else:
            theirs.append(num)
    parts["word/numbering.xml"] = etree.tostring(theirs, xml_declaration=True, encoding="UTF-8", standalone=True)
    return num_id


def _merge_fonts(parts: dict[str, bytes], report: Report) -> None:
    if "word/fontTable.xml" not in parts:
        return
    theirs = parse_xml(parts["word/fontTable.xml"], "word/fontTable.xml")
    present = {f.get(f"{W}name") for f in theirs.iter(f"{W}font")}
    ours = etree.fromstring(T.font_table_xml(T.font_names(FONT_SETS[report.options.font_set])).encode("utf-8"))
    for font in ours.iter(f"{W}font"):
        if font.get(f"{W}name") not in present:
            theirs.append(font)
    parts["word/fontTable.xml"] = etree.tostring(theirs, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_properties(parts: dict[str, bytes], props: DocumentProperties) -> None:
    for name, data, ct, rt in (
        ("docProps/core.xml", props.core_xml(), T.CT_CORE, T.RT_CORE),
        ("docProps/app.xml", props.app_xml(), T.CT_APP, T.RT_APP),
    ):
        if name not in parts:
            _add_part(parts, name, ct, rt, package_level=True)
        parts[name] = data


def _add_part(parts: dict[str, bytes], name: str, content_type: str, rel_type: str, package_level: bool = False) -> None:
    types = parse_xml(parts["[Content_Types].xml"], "[Content_Types].xml")
    override = etree.SubElement(types, f"{{{CT_NS}}}Override")
    override.set("PartName", "/" + name)
    override.set("ContentType", content_type)
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
    rels_name = "_rels/.rels" if package_level else "word/_rels/document.xml.rels"
    target = name if package_level else name.removeprefix("word/")
    rels = parse_xml(parts[rels_name], rels_name) if rels_name in parts else etree.Element(f"{{{RELS_NS}}}Relationships")
    ids = {r.get("Id") for r in rels}
    n = 1
    while f"rIdGw{n}" in ids:
        n += 1
    rel = etree.SubElement(rels, f"{{{RELS_NS}}}Relationship")
    rel.set("Id", f"rIdGw{n}")
    rel.set("Type", rel_type)
    rel.set("Target", target)
    parts[rels_name] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_part(parts: dict[str, bytes], name: str) -> None:
    if name not in parts:
        return
    del parts[name]
    types = parse_xml(parts["[Content_Types].xml"], "[Content_Types].xml")
    for override in list(types):
        if override.get("PartName") == "/" + name:
            types.remove(override)
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
    rels_name = "word/_rels/document.xml.rels"
    rels = parse_xml(parts[rels_name], rels_name)
    for rel in list(rels):
        if rel.get("Target") in (name.removeprefix("word/"), "/" + name):
            rels.remove(rel)
    parts[rels_name] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
