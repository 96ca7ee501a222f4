"""A .docx → its body paragraphs as source lines.

Word's own list numbering is not in the paragraph text, so the label a reader
sees ("一、", "（二）") is rebuilt from numbering.xml and put in front of
the text: the importer then treats it like a typed label.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Iterator

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from lxml import etree

from .. import numbering
from .lines import SourceLine, visible
from ..safezip import UnsafePackage, open_package
from .result import ImportFailed, Removed

_P, _T, _TAB, _BR, _CR = qn("w:p"), qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_SKIP_INSIDE = {qn("w:txbxContent"), qn("w:moveFrom"), qn("w:del")}
_CN_FORMATS = {
    "chineseCounting",
    "chineseCountingThousand",
    "chineseLegalSimplified",
    "ideographTraditional",
    "taiwaneseCounting",
    "japaneseCounting",
}

# numFmt, lvlText, start of one list level
Level = tuple[str, str, int]


@dataclass(slots=True)
class DocxText:
    lines: list[SourceLine]
    tables: int = 0
    warnings: list[str] = field(default_factory=list)


def _val(el: etree._Element | None, tag: str) -> str | None:
    child = el.find(qn(tag)) if el is not None else None
    return child.get(qn("w:val")) if child is not None else None


def _int(value: str | None, default: int) -> int:
    # A broken value in numbering.xml must not stop the import: Word would
    # fall back to its default, and so do we.
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _format(n: int, fmt: str) -> str:
    if n <= 0:
        return str(n)
    if fmt in _CN_FORMATS:
        try:
            return numbering.chinese_number(n)
        except ValueError:  # beyond 亿: a damaged or crafted start value
            return str(n)
    if fmt.startswith("decimalEnclosedCircle") and n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    return str(n)


class _Numbering:
    """Counts Word list items and writes the label each one shows."""

    def __init__(self, doc: DocxDocument) -> None:
        self._levels: dict[str, dict[int, Level]] = {}
        self._counts: dict[str, list[int]] = {}
        self._style_num: dict[str, tuple[str | None, str | None, str | None]] = {}
        part = doc.part
        try:
            root = part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            root = None
        if root is not None:
            self._read_numbering(root)
        try:
            styles = part.styles.element
        except (KeyError, NotImplementedError, AttributeError):
            styles = None
        if styles is not None:
            self._read_styles(styles)

    def _read_numbering(self, root: etree._Element) -> None:
        abstract: dict[str, dict[int, Level]] = {}
        for an in root.iter(qn("w:abstractNum")):
            levels: dict[int, Level] = {}
            for lvl in an.iter(qn("w:lvl")):
                levels[_int(lvl.get(qn("w:ilvl")), 0)] = (
                    _val(lvl, "w:numFmt") or "decimal",
                    _val(lvl, "w:lvlText") or "",
                    _int(_val(lvl, "w:start"), 1),
                )
            abstract[an.get(qn("w:abstractNumId"), "")] = levels
        for num in root.iter(qn("w:num")):
            self._levels[num.get(qn("w:numId"), "")] = abstract.get(_val(num, "w:abstractNumId") or "", {})

    def _read_styles(self, root: etree._Element) -> None:
        for style in root.iter(qn("w:style")):
            ppr = style.find(qn("w:pPr"))
            num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
            self._style_num[style.get(qn("w:styleId"), "")] = (
                _val(num_pr, "w:numId"),
                _val(num_pr, "w:ilvl"),
                _val(style, "w:basedOn"),
            )

    def _num_pr(self, p: etree._Element) -> tuple[str, int] | None:
        ppr = p.find(qn("w:pPr"))
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id, ilvl = _val(num_pr, "w:numId"), _val(num_pr, "w:ilvl")
        style_id, seen = _val(ppr, "w:pStyle"), set()
        while num_id is None and style_id and style_id not in seen:
            seen.add(style_id)
            num_id, style_ilvl, style_id = self._style_num.get(style_id, (None, None, None))
            ilvl = ilvl or style_ilvl
        if num_id is None or num_id == "0" or num_id not in self._levels:
            return None
        level = _int(ilvl, 0)
        return (num_id, level) if 0 <= level < 9 else None

    def label(self, p: etree._Element) -> str:
        found = self._num_pr(p)
        if found is None:
            return ""
        num_id, ilvl = found
        levels = self._levels[num_id]
        if ilvl not in levels or levels[ilvl][0] in ("bullet", "none"):
            return ""
        counts = self._counts.setdefault(num_id, [0] * 10)
        start = levels[ilvl][2]
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else start
        for deeper in range(ilvl + 1, len(counts)):
            counts[deeper] = 0
        text = levels[ilvl][1]
        for k in range(ilvl, -1, -1):
            fmt, _, start = levels.get(k, ("decimal", "", 1))
            text = text.replace(f"%{k + 1}", _format(counts[k] or start, fmt))
        return text


def _inside_skipped(el: etree._Element, p: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not p:
        if parent.tag in _SKIP_INSIDE or parent.tag == _P:
            return True
        parent = parent.getparent()
    return False


def _paragraph_text(p: etree._Element) -> str:
    """Visible text of a paragraph: tracked insertions and hyperlinks included,
    deletions and text boxes (paragraphs of their own) left out."""
    parts: list[str] = []
    for el in p.iter(_T, _TAB, _BR, _CR):
        if _inside_skipped(el, p):
            continue
        if el.tag == _T:
            parts.append(el.text or "")
        elif el.tag == _TAB:
            parts.append("\t")
        elif el.tag == _CR or el.get(qn("w:type")) in (None, "textWrapping"):
            parts.append("\n")
    return "".join(parts)


def _body_paragraphs(body: etree._Element) -> Iterator[etree._Element]:
    for p in body.iter(_P):
        if not any(a.tag in (qn("w:tbl"), qn("w:txbxContent")) for a in p.iterancestors()):
            yield p


def read_docx(data: bytes, removed: list[Removed]) -> DocxText:
    """The body paragraphs of a .docx; a paragraph boundary is a hard break."""
    try:
        open_package(data).close()  # size, names and format checked before python-docx reads it
    except UnsafePackage as exc:
        raise ImportFailed(exc.message) from None
    try:
        doc = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for broken packages
        raise ImportFailed(f"无法读取 .docx 文件：文件已损坏或不是 Word 文档（{type(exc).__name__}）") from None
    root = doc.element
    body = root.find(qn("w:body")) if root.tag == qn("w:document") else None
    if body is None:
        raise ImportFailed("文档没有正文部分（不是正常的 Word 文档），请在 Word 中打开后另存为 .docx 再导入")
    numbers = _Numbering(doc)
    lines: list[SourceLine] = []
    for no, p in enumerate(_body_paragraphs(body), start=1):
        text = visible(no, numbers.label(p) + _paragraph_text(p), removed)
        for k, piece in enumerate(text.split("\n")):
            if piece.strip():
                lines.append(SourceLine(no, piece.strip(), indented=piece[:1].isspace(), blank_before=k == 0))
    tables = len(body.findall(qn("w:tbl")))
    result = DocxText(lines, tables)
    if tables:
        result.warnings.append(f"文档中有 {tables} 个表格，表格内容未导入，请在排版后补回")
    boxes = sum(1 for box in body.iter(qn("w:txbxContent")) if "".join(box.itertext()).strip())
    if boxes:
        result.warnings.append(f"文档中有 {boxes} 个文本框，文本框中的文字未导入，请在排版后补回")
    return result
