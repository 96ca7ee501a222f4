"""Reading an uploaded file: what kind it is, and its text.

One reader for every door (web form, API, command line, batch input), so an
old .doc or a GBK text file gets the same answer everywhere. Word and Excel
files (by name or by content, old OLE files included) go to the package
readers, which open them through :mod:`service.safezip`: an old .doc/.xls or a
password-protected file is refused there with one Chinese message.
"""
from __future__ import annotations

from typing import Literal

from .safezip import OLE_MAGIC

UploadKind = Literal["docx", "xlsx", "csv", "text"]

_WORD_SUFFIXES = (".docx", ".doc", ".dotx", ".docm", ".dotm")
_EXCEL_SUFFIXES = (".xlsx", ".xls", ".xlsm")
ZIP_MAGIC = b"PK"


class UploadError(ValueError):
    """An upload that cannot be read as text; the message is Chinese."""


def kind_of(filename: str, data: bytes) -> UploadKind:
    """The kind of an upload, by its name first and its first bytes second.

    An OLE file (old .doc/.xls, or an encrypted Office file) or any zip
    package counts as Word unless its name says Excel: the package reader then
    refuses it with a message that says what to do.
    """
    name = (filename or "").lower()
    if name.endswith(_WORD_SUFFIXES):
        return "docx"
    if name.endswith(_EXCEL_SUFFIXES):
        return "xlsx"
    if name.endswith(".csv"):
        return "csv"
    if data[:8] == OLE_MAGIC or data[:2] == ZIP_MAGIC:
        return "docx"
    return "text"


def decode_text(data: bytes, text_file: bool = True) -> str:
    """Text bytes: UTF-8 (with or without BOM), else GBK as Chinese Windows saves it.

    ``text_file=False`` is for protocol text (a JSON body): UTF-8 only, and a
    NUL byte is left for the parser to report. In a text file a NUL byte means
    a binary file, never text.
    """
    if text_file and b"\0" in data:
        raise UploadError("文件含有二进制内容，不是文本文件：请上传 UTF-8 或 GBK 编码的文本文件（或 .docx 文档）")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if not text_file:
            raise UploadError(f"不是有效的 UTF-8 文本（第 {exc.start + 1} 个字节）") from None
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise UploadError("文本不是 UTF-8 或 GBK 编码，无法读取：请在记事本中另存为 UTF-8 后再上传") from None
