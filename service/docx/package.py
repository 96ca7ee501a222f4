"""The package writer: a template kind's base .docx + a generated body → .docx bytes.

A base .docx supplies the page set-up (its ``w:sectPr``), the footers, the
settings and any other parts it carries. Styles, numbering and the font table
are written from the profile for the chosen font set, so they always match the
code. Everything fixed is prepared once per (base, options) and cached; only
the body and the document properties are produced per report.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..profile import FONT_SETS
from . import base_template as T
from ..ooxml.vocab import CORE_PROPS_NS, EXT_PROPS_NS, VT_NS
from .items import landscape_footer_parts
from .xml import XML_DECL, esc

if TYPE_CHECKING:
    from ..model import Report

# Deflate level 1: the XML parts are small; level 6 costs twice the time for
# a few percent of size.
ZIP_LEVEL = 1
# Fixed timestamp for zip entries (documents, and zips of documents), so the
# same input gives the same bytes apart from the document properties.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

_FOOTER_REF_RE = re.compile(r"<w:footerReference\b[^>]*/>")
_SECT_OPEN_RE = re.compile(r"<w:sectPr\b[^>]*>")
_EVEN_ODD_RE = re.compile(r"<w:evenAndOddHeaders(?:\s[^>]*)?/>")

PAGE_NUMBER_MODES = ("outside", "center", "none")


@dataclass(frozen=True)
class DocumentProperties:
    """What a person sees in File → Info."""

    title: str
    author: str = ""
    company: str = ""
    template: str = ""
    created: dt.datetime | None = None

    def core_xml(self) -> bytes:
        when = (self.created or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
        stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        title = esc(" ".join(self.title.split()))
        author = esc(self.author)
        return (
            f"{XML_DECL}<cp:coreProperties"
            f' xmlns:cp="{CORE_PROPS_NS}"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>"
            f"<cp:lastModifiedBy>{author}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
            "</cp:coreProperties>"
        ).encode("utf-8")

    def app_xml(self) -> bytes:
        return (
            f'{XML_DECL}<Properties xmlns="{EXT_PROPS_NS}"'
            f' xmlns:vt="{VT_NS}">'
            f"<Template>{esc(self.template)}</Template><Company>{esc(self.company)}</Company>"
            "<Application>公文排版服务</Application></Properties>"
        ).encode("utf-8")


@dataclass(frozen=True)
class PreparedTemplate:
    """A base package made ready for one combination of options."""

    fixed_zip: bytes  # every part but document.xml and docProps, compressed once
    document_head: str  # document.xml up to and including <w:body>
    document_tail: str  # the w:sectPr, then </w:body></w:document>

    @property
    def final_sect_pr(self) -> str:
        """The document's closing w:sectPr (the page set-up of its last section)."""
        return self.document_tail[: self.document_tail.index("</w:sectPr>") + len("</w:sectPr>")]

    def write(self, body_xml: str, props: DocumentProperties, closing_sect_pr: str | None = None) -> bytes:
        """``closing_sect_pr`` replaces the template's closing section properties
        (a body that ends on landscape table pages)."""
        # Appending to the prepared archive reuses the fixed parts' compressed
        # bytes: only the body and the properties are compressed per report.
        tail = self.document_tail
        if closing_sect_pr is not None:
            tail = closing_sect_pr + tail[len(self.final_sect_pr) :]
        buf = io.BytesIO(self.fixed_zip)
        with zipfile.ZipFile(buf, "a") as zf:
            _write(zf, "word/document.xml", (self.document_head + body_xml + tail).encode("utf-8"))
            _write(zf, "docProps/core.xml", props.core_xml())
            _write(zf, "docProps/app.xml", props.app_xml())
        return buf.getvalue()


def document_properties(report: Report, now: dt.datetime | None = None) -> DocumentProperties:
    """docProps of a report's document: its title, the signer as author, the unit as company."""
    unit = (report.header.issuer if report.header and report.header.issuer else "") or report.signature
    return DocumentProperties(
        title=report.title,
        author=report.signature.strip(),
        company=unit.strip(),
        template=report.template,
        created=now,
    )


def _write(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL)


def read_package(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def write_package(parts: dict[str, bytes]) -> bytes:
    """Zip parts as they are, [Content_Types].xml first (some readers expect it)."""
    buf = io.BytesIO()
    names = sorted(parts, key=lambda n: (n != "[Content_Types].xml", n))
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, parts[name])
    return buf.getvalue()


@lru_cache(maxsize=16)
def _base_parts(path: Path, mtime_ns: int) -> dict[str, bytes]:
    return read_package(path.read_bytes())


def base_parts(path: Path) -> dict[str, bytes]:
    return _base_parts(path, path.stat().st_mtime_ns)


def footer_references(page_numbers: str) -> str:
    return T.footer_references(page_numbers, T.FOOTER_ODD[1], T.FOOTER_EVEN[1], T.FOOTER_CENTER[1])


def _split_document(document_xml: str) -> tuple[str, str]:
    """Cut document.xml into the part before the body's content and the sectPr after it."""
    body_open = document_xml.index("<w:body>") + len("<w:body>")
    sect_start = document_xml.rindex("<w:sectPr")
    return document_xml[:body_open], document_xml[sect_start:]


def _with_footers(tail: str, page_numbers: str) -> str:
    tail = _FOOTER_REF_RE.sub("", tail)
    opening = _SECT_OPEN_RE.search(tail)
    assert opening is not None
    return tail[: opening.end()] + footer_references(page_numbers) + tail[opening.end() :]


def _with_even_odd(settings_xml: str, even_and_odd: bool) -> str:
    settings_xml = _EVEN_ODD_RE.sub("", settings_xml)
    if not even_and_odd:
        return settings_xml
    # CT_Settings order: evenAndOddHeaders comes right after defaultTabStop.
    m = re.search(r"<w:defaultTabStop\b[^>]*/>", settings_xml)
    if m is None:
        raise ValueError("settings.xml has no w:defaultTabStop to place w:evenAndOddHeaders after")
    return settings_xml[: m.end()] + "<w:evenAndOddHeaders/>" + settings_xml[m.end() :]


@lru_cache(maxsize=1)
def code_base_parts() -> dict[str, bytes]:
    """The base package built from code (service/docx/base_template.py), no file involved."""
    return T.build_base_parts()


def _with_landscape_footers(parts: dict[str, bytes]) -> None:
    """Add the rotated page-number footers of landscape table pages."""
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    for name, (rid, xml) in landscape_footer_parts().items():
        parts[name] = xml.encode("utf-8")
        rel = f'<Relationship Id="{rid}" Type="{T.RT_FOOTER}" Target="{name.removeprefix("word/")}"/>'
        rels = rels.replace("</Relationships>", rel + "</Relationships>")
        types = types.replace("</Types>", f'<Override PartName="/{name}" ContentType="{T.CT_FOOTER}"/></Types>')
    parts["word/_rels/document.xml.rels"] = rels.encode("utf-8")
    parts["[Content_Types].xml"] = types.encode("utf-8")


@lru_cache(maxsize=64)
def prepare(
    base_docx: Path | None,
    font_set: str,
    page_numbers: str,
    bold_level3: bool,
    landscape: bool = False,
    attachment_lists: int = 0,
) -> PreparedTemplate:
    """Fixed parts of a base package for one combination of options.

    Every part the engine keeps comes from code; ``base_docx`` (a package to
    start from instead, e.g. a customised base.docx) is read only when given.
    The committed docx_templates/*/base.docx are samples built by
    scripts/build_templates.py, not inputs: they are identical in every part
    kept here, so reading them back would be a round trip through a file.
    ``landscape``: the report has landscape tables, which need footers of their own;
    ``attachment_lists``: native numbering restarts in that many attachments.
    """
    base = base_parts(base_docx) if base_docx is not None else code_base_parts()
    fonts = FONT_SETS[font_set]
    parts = dict(base)
    if landscape:
        _with_landscape_footers(parts)
    parts["word/styles.xml"] = T.styles_xml(fonts, bold_level3).encode("utf-8")
    parts["word/numbering.xml"] = T.numbering_xml(fonts, bold_level3, attachments=attachment_lists).encode("utf-8")
    parts["word/fontTable.xml"] = T.font_table_xml(T.font_names(fonts)).encode("utf-8")
    parts["word/theme/theme1.xml"] = T.theme_xml(fonts).encode("utf-8")
    settings = _with_even_odd(base["word/settings.xml"].decode("utf-8"), page_numbers == "outside")
    parts["word/settings.xml"] = settings.encode("utf-8")
    head, tail = _split_document(base["word/document.xml"].decode("utf-8"))
    tail = _with_footers(tail, page_numbers)
    for name in ("word/document.xml", "docProps/core.xml", "docProps/app.xml"):
        parts.pop(name, None)
    fixed = io.BytesIO()
    with zipfile.ZipFile(fixed, "w") as zf:
        for name in sorted(parts, key=lambda n: (n != "[Content_Types].xml", n)):
            _write(zf, name, parts[name])
    return PreparedTemplate(fixed.getvalue(), head, tail)
