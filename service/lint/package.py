"""Reading an uploaded .docx without trusting it.

The checker reads files typed by anyone, so it refuses what is not a Word
package before parsing anything: not a zip, an old binary .doc or an
encrypted file, no main document part, Strict Open XML, and archives whose
declared uncompressed size is absurd (a zip bomb). ``zipfile`` stops at the
declared size of each entry, so checking the declared sizes is enough.
"""
from __future__ import annotations

from lxml import etree

from ..ooxml.reader import DocxFormatting
from ..ooxml.vocab import STRICT_W_NS, W_NS
from ..safezip import MAX_UNCOMPRESSED_BYTES, UnsafePackage, open_package, read_members



class LintFailed(ValueError):
    """The input cannot be checked; the message is Chinese and safe to show."""


def read_docx(data: bytes) -> DocxFormatting:
    try:
        with open_package(data) as zf:
            # Only XML and relationship parts: images and embedded objects are never decompressed.
            parts = read_members(zf, lambda name: name.endswith((".xml", ".rels")))
    except UnsafePackage as exc:
        raise LintFailed(exc.message) from None
    try:
        doc = DocxFormatting(parts)
    except KeyError:
        raise LintFailed("文件中没有 Word 正文部件（word/document.xml），不是 Word 文档") from None
    except etree.XMLSyntaxError:
        raise LintFailed("文件中的 XML 已损坏，无法读取：请在 Word 中打开后另存为 .docx 再检查") from None
    ns = etree.QName(doc.document).namespace
    if ns == STRICT_W_NS:
        raise LintFailed("文件是“Strict Open XML”格式，暂不支持：请在 Word 中另存为“Word 文档（*.docx）”后再检查")
    if ns != W_NS or doc.document.find(f"{{{W_NS}}}body") is None:
        raise LintFailed("word/document.xml 不是 Word 正文（缺少 w:document/w:body），无法检查")
    return doc
