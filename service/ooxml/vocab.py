"""The OOXML vocabulary: namespaces, relationship and content types, one safe parser.

Defined once here; the package writer (service/docx/), the reader
(service/ooxml/reader.py), the checker and the unit templates import them.
"""
from __future__ import annotations

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
V_NS = "urn:schemas-microsoft-com:vml"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CORE_PROPS_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
EXT_PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"

W = f"{{{W_NS}}}"

# Relationship types
REL_BASE = R_NS + "/"
RT_OFFICE_DOC = REL_BASE + "officeDocument"
RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
RT_APP = REL_BASE + "extended-properties"
RT_STYLES = REL_BASE + "styles"
RT_SETTINGS = REL_BASE + "settings"
RT_FONTS = REL_BASE + "fontTable"
RT_NUMBERING = REL_BASE + "numbering"
RT_THEME = REL_BASE + "theme"
RT_FOOTER = REL_BASE + "footer"
RT_HEADER = REL_BASE + "header"
RT_FOOTNOTES = REL_BASE + "footnotes"
RT_ENDNOTES = REL_BASE + "endnotes"

# Main-part content types Word opens as a document (a template and a
# macro-enabled file are read like a document; macros are never run).
CT_DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CT_TEMPLATE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
CT_MACRO_DOCUMENT = "application/vnd.ms-word.document.macroEnabled.main+xml"
CT_MACRO_TEMPLATE = "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"
MAIN_CONTENT_TYPES = (CT_DOCUMENT, CT_TEMPLATE, CT_MACRO_DOCUMENT, CT_MACRO_TEMPLATE)

# Files may come from anyone (the checker and the importer read uploads): no
# DTDs, no entity expansion, no network, no unbounded trees.
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
# The same, keeping comments: for parts that are written back (unit templates).
XML_PARSER_KEEP_COMMENTS = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=False
)


def w(tag: str) -> str:
    """``w:tag`` in Clark notation."""
    return W + tag


def parse_xml(data: bytes) -> etree._Element:
    """One part of a user's file, parsed safely."""
    return etree.fromstring(data, XML_PARSER)
