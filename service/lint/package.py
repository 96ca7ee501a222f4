"""Reading an uploaded .docx without trusting it.

The checker reads files typed by anyone, so it refuses what is not a Word
package before parsing anything: not a zip, an old binary .doc or an
encrypted file, no main document part, Strict Open XML, and archives whose
declared uncompressed size is absurd (a zip bomb). ``zipfile`` stops at the
declared size of each entry, so checking the declared sizes is enough.
"""
from __future__ import annotations

import io
import zipfile

from lxml import etree

from ..docx.effective import DocxFormatting
from ..docx.xml import W_NS

MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # all entries together, as declared in the zip
MAX_ZIP_ENTRIES = 10_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc and password-protected .docx
STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"


class LintFailed(ValueError):
    """The input cannot be checked; the message is Chinese and safe to show."""


def _xml_parts(zf: zipfile.ZipFile) -> dict[str, bytes]:
    # Only XML and relationship parts: images and embedded objects are never decompressed.
    parts: dict[str, bytes] = {}
    for info in zf.infolist():
        name = info.filename
        if name.endswith((".xml", ".rels")) and not info.is_dir():
            parts[name] = zf.read(info)
    return parts


def read_docx(data: bytes) -> DocxFormatting:
    if data[:8] == OLE_MAGIC:
        raise LintFailed("这是旧版 Word 文档（.doc）或设置了密码的文档，无法检查：请在 Word 或 WPS 中另存为“Word 文档（*.docx）”，去掉打开密码后再上传")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise LintFailed("文件不是有效的 .docx 文档（无法按 zip 格式读取），请确认上传的是 Word 文档（*.docx）") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise LintFailed(f"文件包含 {len(infos)} 个部件，超出上限 {MAX_ZIP_ENTRIES}，不像正常的 Word 文档，已拒绝检查")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise LintFailed(
                f"文件解压后共 {total / 1024 / 1024:.0f} MB，超过 {MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB 上限"
                "（可能是压缩炸弹），已拒绝检查"
            )
        if any(i.flag_bits & 0x1 for i in infos):
            raise LintFailed("文件中的部件经过加密，无法检查：请去掉密码后另存为 .docx 再上传")
        try:
            parts = _xml_parts(zf)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError, RuntimeError):
            raise LintFailed("文件已损坏（压缩数据无法读取），请在 Word 中打开后重新保存再检查") from None
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
