"""Opening zip packages from users (.docx, .xlsx) without trusting them.

Checked before anything is decompressed: it is a zip (and not an old binary
.doc or an encrypted file), it has a sane number of entries, no entry name
escapes the package (absolute, ``..``, backslashes, drive letters), nothing is
encrypted, and the declared uncompressed sizes stay under a limit (zip bombs:
``zipfile`` stops reading an entry at its declared size, so checking the
declared sizes is enough). Reading members maps every decompression failure
of a damaged file to the same clear error.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from typing import Any, Callable

MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # all entries together, as declared
MAX_ENTRIES = 10_000
# Per .docx, all its XML parts together. A long report has a few thousand
# paragraphs; 500,000 empty ones fit in 65 KB and once cost 48 s and 1.3 GB.
MAX_PARAGRAPHS = 50_000
MAX_RUNS = 300_000
MAX_TABLE_CELLS = 50_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls and password-protected Office files


class UnsafePackage(ValueError):
    """The upload is refused; ``message`` is Chinese, ``status`` the HTTP status it maps to."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.message = message
        self.status = status


def _safe_name(name: str) -> bool:
    if name.startswith(("/", "\\")) or "\\" in name or ":" in name.split("/")[0]:
        return False
    return not posixpath.normpath(name).startswith("..") and "/../" not in f"/{name}/"


def open_package(
    data: bytes,
    what: str = ".docx",
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES,
    max_entries: int = MAX_ENTRIES,
) -> zipfile.ZipFile:
    """The checked archive (the caller closes it)."""
    if data[:8] == OLE_MAGIC:
        raise UnsafePackage(f"这是旧版 .doc/.xls 文件或设置了打开密码的文件：请另存为 {what} 格式、去掉密码后再上传")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise UnsafePackage(f"不是有效的 {what} 文件（无法按 zip 格式读取），文件可能已损坏") from None
    if len(infos) > max_entries:
        raise UnsafePackage(f"文件包含 {len(infos)} 个部件，超出上限 {max_entries}，已拒绝")
    bad = next((i.filename for i in infos if not _safe_name(i.filename)), None)
    if bad is not None:
        raise UnsafePackage(f"文件中含有不安全的路径：{bad[:80]}")
    if any(i.flag_bits & 0x1 for i in infos):
        raise UnsafePackage("文件中的部件经过加密：请去掉密码后再上传")
    total = sum(i.file_size for i in infos)
    if total > max_uncompressed_bytes:
        raise UnsafePackage(
            f"文件解压后共 {total / 1024 / 1024:.0f} MB，超过 {max_uncompressed_bytes // 1024 // 1024} MB 上限"
            "（可能是压缩炸弹），已拒绝",
            status=413,
        )
    if what == ".docx":
        try:
            check_word_counts(zf)
        except UnsafePackage:
            zf.close()
            raise
    return zf


_WORD_NAMESPACES = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main", "http://purl.oclc.org/ooxml/wordprocessingml/main")
_COUNTED = {f"{{{ns}}}{local}": local for ns in _WORD_NAMESPACES for local in ("p", "r", "tc")}
_LIMITS = {"p": (MAX_PARAGRAPHS, "段落"), "r": (MAX_RUNS, "文字块（run）"), "tc": (MAX_TABLE_CELLS, "表格单元格")}


def check_word_counts(zf: zipfile.ZipFile) -> None:
    """Refuse a .docx with more paragraphs, runs or table cells than any report
    has, counted over all its XML parts before any reader builds objects.

    A byte scan first: it counts every tag named p, r or tc in any namespace,
    so it never counts fewer than there are, and a real document passes with
    it alone. Only past a limit does the exact count run (lxml iterparse,
    Word's namespaces only, each element freed as it ends: flat memory).
    """
    rough = {b"p": 0, b"r": 0, b"tc": 0}
    limits = {local.encode(): limit for local, (limit, _) in _LIMITS.items()}
    for info in _xml_parts(zf):
        for match in _TAG_RE.finditer(_read(zf, info)):
            local = match.group(1)
            rough[local] += 1
            if rough[local] > limits[local]:
                _exact_word_counts(zf)
                return


_TAG_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(p|r|tc)[\s/>]")


def _xml_parts(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return [i for i in zf.infolist() if not i.is_dir() and i.filename.lower().endswith(".xml")]


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        return zf.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError, RuntimeError, ValueError):
        raise UnsafePackage("文件已损坏（压缩数据无法读取），请在 Word/WPS 中打开后重新保存再上传") from None


def _exact_word_counts(zf: zipfile.ZipFile) -> None:
    """XML that does not parse stops the count of that part quietly: the
    reader that follows names that problem itself."""
    from lxml import etree

    counts = {"p": 0, "r": 0, "tc": 0}
    for info in _xml_parts(zf):
        try:
            with zf.open(info) as stream:
                for _, element in etree.iterparse(stream, events=("end",), tag=tuple(_COUNTED), resolve_entities=False,
                                                  no_network=True, load_dtd=False, huge_tree=False):
                    local = _COUNTED[element.tag]
                    counts[local] += 1
                    limit, name = _LIMITS[local]
                    if counts[local] > limit:
                        raise UnsafePackage(f"文档中的{name}超过 {limit} 个上限，不像一份报告，已拒绝：请拆分后再上传", status=413)
                    _drop(element)
        except etree.XMLSyntaxError:
            continue
        except UnsafePackage:  # a ValueError too: not a damaged file
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError, RuntimeError, ValueError):
            raise UnsafePackage("文件已损坏（压缩数据无法读取），请在 Word/WPS 中打开后重新保存再上传") from None


def _drop(element: Any) -> None:
    """Free a counted element and its finished earlier siblings (its ancestors
    are still open), so the tree never holds more than one path of them."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def read_members(zf: zipfile.ZipFile, keep: Callable[[str], bool] = lambda name: True) -> dict[str, bytes]:
    """Decompress the entries ``keep`` selects; a damaged archive is one clear error."""
    try:
        return {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir() and keep(i.filename)}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError, RuntimeError, ValueError):
        raise UnsafePackage("文件已损坏（压缩数据无法读取），请在 Word/WPS 中打开后重新保存再上传") from None
