"""Checks an uploaded unit template must pass before it is kept.

A real .docx (a zip with a WordprocessingML main part, transitional
namespace), within size limits before and after decompression (zip bombs),
without macros, external relationships or path tricks in member names, and
with XML that parses without entities or network access.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..docx.xml import W_NS
from ..ooxml.vocab import XML_PARSER_KEEP_COMMENTS
from ..safezip import UnsafePackage, open_package, read_members

MAIN_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_CTS = (
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    "application/vnd.ms-office.vbaProject",
)
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


class UnitTemplateError(ValueError):
    """The upload or template is not usable; the message is Chinese and safe to show."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 10 * 1024 * 1024
    max_uncompressed_bytes: int = 50 * 1024 * 1024
    max_members: int = 1000


# XML from users is parsed without entity expansion, DTDs or network access.
SAFE_PARSER = XML_PARSER_KEEP_COMMENTS  # the one safe parser (service/ooxml/vocab.py)


def parse_xml(data: bytes, name: str) -> etree._Element:
    if b"<!DOCTYPE" in data[:2048].upper() or b"<!ENTITY" in data.upper():
        raise UnitTemplateError(f"文件中的 {name} 含有 DTD/实体声明，已拒绝")
    try:
        return etree.fromstring(data, SAFE_PARSER)
    except etree.XMLSyntaxError:
        raise UnitTemplateError(f"文件中的 {name} 不是有效的 XML，文件可能已损坏") from None


def read_checked(data: bytes, limits: Limits = Limits()) -> dict[str, bytes]:
    """Unpack an upload after every check; returns its parts by name."""
    if len(data) > limits.max_bytes:
        raise UnitTemplateError(f"文件过大（上限 {limits.max_bytes // (1024 * 1024)} MB）", status=413)
    try:
        with open_package(data, max_uncompressed_bytes=limits.max_uncompressed_bytes, max_entries=limits.max_members) as zf:
            parts = read_members(zf)
    except UnsafePackage as exc:
        raise UnitTemplateError(exc.message, exc.status) from None
    _check_package(parts)
    return parts


def _check_part_names(parts: dict[str, bytes]) -> None:
    """Two members whose names differ only in case are one part to Word."""
    seen: set[str] = set()
    for name in parts:
        if name.lower() in seen:
            raise UnitTemplateError(f"文件中有两个同名部件（只差大小写）：{name[:80]}，文件可能被篡改")
        seen.add(name.lower())


def _check_package(parts: dict[str, bytes]) -> None:
    if "[Content_Types].xml" not in parts or "word/document.xml" not in parts:
        raise UnitTemplateError("不是 Word 文档（.docx）：缺少 word/document.xml")
    types = parse_xml(parts["[Content_Types].xml"], "[Content_Types].xml")
    content_types = {el.get("ContentType", "") for el in types}
    if any(ct in MACRO_CTS for ct in content_types) or any(n.lower().endswith("vbaproject.bin") for n in parts):
        raise UnitTemplateError("文件含有宏（.docm），出于安全原因不能作为模板")
    main = [el for el in types if (el.get("PartName") or "").lower() == "/word/document.xml"]
    if not main or main[0].get("ContentType") != MAIN_CT:
        raise UnitTemplateError("不是普通的 Word 文档（.docx），请另存为“Word 文档”后再上传")
    _check_part_names(parts)
    for name, data in parts.items():
        # OPC part names compare case-insensitively: Word reads a ".RELS" part too.
        lowered = name.lower()
        if lowered.endswith(".rels"):
            for rel in parse_xml(data, name):
                if (rel.get("Type") or "").lower().endswith("/attachedtemplate"):
                    raise UnitTemplateError("文件含有外部链接：附加模板（attachedTemplate）会随每份报告打开另一个文件，"
                                            "请在 Word 的“开发工具 → 文档模板”中取消附加模板后再上传")
                if (rel.get("TargetMode") or "").lower() == "external":
                    raise UnitTemplateError("文件含有外部链接（链接到网络或其他文件的内容），请删除后再上传")
        elif lowered.endswith(".xml"):
            root = parse_xml(data, name)
            if root.find(f".//{{{W_NS}}}attachedTemplate") is not None:
                raise UnitTemplateError("文件含有外部链接：附加模板（attachedTemplate），请在 Word 中取消附加模板后再上传")
    root = parse_xml(parts["word/document.xml"], "word/document.xml")
    if root.tag != f"{{{W_NS}}}document":
        raise UnitTemplateError("不支持“严格 Open XML”格式的文档，请在 Word 中另存为普通的“Word 文档”")
