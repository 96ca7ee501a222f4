"""A .docx → its body paragraphs as source lines, with Word's own structure.

The document is read through the one Word reader (service/ooxml/reader.py),
the same the checker uses, so a list label Word draws ("一、", "（二）") is
the same here and in the checker's findings. Word's structure is used before
any guessing from the text:

- the title is the paragraph in the Title style, or a centred line much
  larger than the body (a title broken over lines is joined);
- a paragraph Word treats as a heading (outline level, heading style) keeps
  its level: one without a typed or list label gets the label of its depth,
  so the text importer nests it where Word has it;
- footnotes and endnotes stay, in brackets at their anchors;
- a .dotx/.docm is read like a .docx (its main part is found through the
  package relationships; macros are never run).
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from lxml import etree

from .. import numbering
from ..ooxml.reader import DocxFormatting, ParagraphInfo, visible_text, w
from ..safezip import UnsafePackage, open_package, read_members
from .docx_tables import DocxTable, marker, read_table
from .labels import read_label
from .lines import SourceLine, visible
from .result import ImportFailed, Removed
from .structure import part_label

# A title is at least this much larger than the body text (Word: 22 pt over 16 pt).
TITLE_SIZE_RATIO = 1.25
# The title sits among the first paragraphs (after a 版头, a 份号 …).
TITLE_SEARCH_PARAGRAPHS = 8
_RED_RE = re.compile(r"^(?:FF0000|C00000|E60012|FF[0-3][0-9A-F]{3}|[CDE][0-9A-F]0000)$", re.I)
# Not a title even when large and centred: a document number, a classification mark.
_NOT_TITLE_RE = re.compile(r"[〔\[［]\s*[\dX]{2,4}\s*[〕\]］]|^[★☆]|^\d{6}$|密级|^(?:特急|加急|平急)$")
# Placeholders and notes a template leaves in the body: never headings.
PLACEHOLDER_RE = re.compile(r"^[\[［【〔].{1,20}[\]］】〕]$|^（此页无正文）$|^\(此页无正文\)$")
# Lines that are what they are, never headings, unless Word's own heading style says so.
NEVER_HEADING_RE = re.compile(
    r"^[\[［【〔][^\]］】〕]{1,30}[\]］】〕][:：]?$"  # a template's placeholder
    r"|^[（(].*[）)]$"  # a note in parentheses: （此页无正文）, （此处可插入图片）
    r"|^(?:图|表)\s*[0-9０-９一二三四五六七八九十]+"  # a caption
    r"|^附\s*件"  # 附件说明, an attachment's label
    r"|[〔\[［【(（][0-9０-９Xx×]{2,4}[〕\]］】)）][0-9０-９Xx×]{1,6}号$"  # 发文字号
    r"|^X{2,}"  # a placeholder issuer: XXXX人民政府
)
# An unlabelled heading of a Word file: short, no sentence end.
UNLABELLED_HEAD_MAX_CHARS = 30
_SENTENCE_ENDS = ("。", "！", "？", "；", "：", ":", ";", "，", ",")
_HEADING_FAMILIES = ("黑", "楷", "simhei", "kaiti", "heiti")
_DEPTH_LABELS = ("cn", "cn_paren", "num", "num_paren")


@dataclass(frozen=True, slots=True)
class LineInfo:
    """What Word says about a source line, beyond its text."""

    word_heading: bool  # a heading style or an outline level
    continuation: bool  # after a line break inside a Word paragraph
    looks_like_heading: bool  # set apart by its type: all bold, 黑体/楷体, or larger than the body
    never_heading: bool  # a placeholder, caption, note, 附件 line, 发文字号


@dataclass(slots=True)
class DocxText:
    lines: list[SourceLine]
    info: dict[tuple[int, int], LineInfo] = field(default_factory=dict)  # (paragraph no, piece) → info
    tables: list[DocxTable] = field(default_factory=list)  # in order; table n stands as marker(n)
    warnings: list[str] = field(default_factory=list)
    title: str = ""  # the title Word's formatting shows, "" when none stands out
    title_paragraphs: tuple[int, ...] = ()  # its paragraph numbers (SourceLine.no)
    part_heads: frozenset[int] = frozenset()  # paragraphs that are headings by their type alone (see _unlabelled_heads)

    @property
    def formatted(self) -> bool:
        """Whether Word's formatting says anything about the structure. Text
        pasted into Word as it is (every line one plain paragraph) is read as
        pasted text: web noise removed, broken lines joined."""
        return bool(self.title) or any(i.word_heading or i.looks_like_heading for i in self.info.values())

    def without_title(self) -> list[SourceLine]:
        return [line for line in self.lines if line.no not in self.title_paragraphs]


def _depth_label(depth: int, value: int) -> str:
    kind = _DEPTH_LABELS[min(depth, len(_DEPTH_LABELS)) - 1]
    return {
        "cn": f"{numbering.chinese_number(value)}、",
        "cn_paren": f"（{numbering.chinese_number(value)}）",
        "num": f"{value}.",
        "num_paren": f"（{value}）",
    }[kind]


def _size(info: ParagraphInfo) -> float | None:
    """The size most of the paragraph's characters are drawn in."""
    weights: dict[float, int] = {}
    for run in info.runs:
        if run.text.strip() and run.format.size_pt:
            weights[run.format.size_pt] = weights.get(run.format.size_pt, 0) + len(run.text.strip())
    return max(weights, key=weights.__getitem__) if weights else None


def _red(info: ParagraphInfo) -> bool:
    coloured = [r for r in info.runs if r.text.strip()]
    return bool(coloured) and all(r.format.color and _RED_RE.match(r.format.color) for r in coloured)


def _body_size(paras: list[tuple[ParagraphInfo, str]]) -> float | None:
    sizes = [s for info, text in paras if len(text) > 30 and (s := _size(info))]
    return statistics.median(sizes) if sizes else None


def _title_indexes(doc: DocxFormatting, paras: list[tuple[ParagraphInfo, str]]) -> list[int]:
    """Which of the first paragraphs form the title, by Word's formatting."""
    for i, (info, text) in enumerate(paras):
        if doc.is_title_style(info.format.style_id) and text.strip():
            return [i]
    body = _body_size(paras) or 16.0
    found: list[int] = []
    seen = 0
    for i, (info, text) in enumerate(paras):
        if not text.strip():
            continue  # empty paragraphs of a template's 版头 do not count
        seen += 1
        if seen > TITLE_SEARCH_PARAGRAPHS:
            break
        size = _size(info)
        big = (
            size is not None
            and size >= body * TITLE_SIZE_RATIO
            and info.format.jc in ("center", "distribute")
            and not info.in_table
            and not _red(info)
            and not _NOT_TITLE_RE.search(text)
            and len(text) <= 80
        )
        if big:
            found.append(i)
        elif found:
            break
    if not found:
        first = next((i for i, (_, text) in enumerate(paras) if text.strip()), None)
        if first is not None and _centred_bold_line(*paras[first]):
            found.append(first)
    return found


def _looks_like_heading(info: ParagraphInfo, body_size: float) -> bool:
    runs = [r for r in info.runs if r.text.strip()]
    if not runs:
        return False
    if all(r.format.bold for r in runs):
        return True
    faces = {(r.format.east_asia_font or "").lower() for r in runs}
    if all(any(m in face for m in _HEADING_FAMILIES) for face in faces):
        return True
    size = _size(info)
    return size is not None and size > body_size + 1


def _centred_bold_line(info: ParagraphInfo, text: str) -> bool:
    """A first line set apart as a title without a larger size: centred, all bold, no sentence end."""
    runs = [r for r in info.runs if r.text.strip()]
    return (
        info.format.jc == "center"
        and bool(runs)
        and all(r.format.bold for r in runs)
        and len(text.strip()) <= 80
        and not text.strip().endswith(("。", "！", "？", "：", ":"))
        and not _NOT_TITLE_RE.search(text)
    )


def _outer_table(p: etree._Element) -> etree._Element | None:
    """The outermost table a paragraph sits in."""
    tables = list(p.iterancestors(w("tbl")))
    return tables[-1] if tables else None


def _unlabelled_heads(lines: list[SourceLine], infos: dict[tuple[int, int], LineInfo]) -> frozenset[int]:
    """Paragraphs (their numbers) that are the document's headings by type alone.

    Short unlabelled lines set apart by their type (bold, 黑体/楷体, larger)
    are a Word file's headings when it has no other: the text importer makes
    them parts, so no number is invented for them. A document with labelled
    or Word-styled headings keeps its own structure (none are returned).
    """
    by_position = {pos: info for (_, pos), info in infos.items()}
    heads: list[int] = []
    for i, line in enumerate(lines):
        info = by_position.get(i + 1)
        if info is None:
            continue
        text = line.text.strip()
        if info.word_heading or (info.looks_like_heading and _labelled(text) and len(text) <= UNLABELLED_HEAD_MAX_CHARS):
            return frozenset()
        if (
            info.looks_like_heading
            and not (info.continuation or info.never_heading)
            and not _labelled(text)
            and len(text) <= UNLABELLED_HEAD_MAX_CHARS
            and not text.endswith(_SENTENCE_ENDS)
        ):
            heads.append(line.no)
    # One bold line is emphasis, not an outline.
    return frozenset(heads) if len(heads) >= 2 else frozenset()


def _heads_under_parts(lines: list[SourceLine], heads: frozenset[int]) -> frozenset[int]:
    """Where the text has its own parts ("【第一部分：……】"), the heads set
    apart by type are the sections under them: they are given the level-1
    label, counting from 一、 in each part, as Word-styled headings are.
    Otherwise they are the parts themselves (returned)."""
    if not heads or not any(part_label(line.text) for line in lines):
        return heads
    n = 0
    for i, line in enumerate(lines):
        if part_label(line.text):
            n = 0
        elif line.no in heads:
            n += 1
            lines[i] = SourceLine(line.no, _depth_label(1, n) + line.text.strip(), line.indented, line.blank_before)
    return frozenset()


def _labelled(text: str) -> bool:
    return read_label(text)[0] is not None


def read_docx(data: bytes, removed: list[Removed]) -> DocxText:
    """The body paragraphs of a .docx; a paragraph boundary is a hard break."""
    try:
        with open_package(data) as zf:  # size, names and format checked before anything is parsed
            parts = read_members(zf)
    except UnsafePackage as exc:
        raise ImportFailed(exc.message) from None
    try:
        doc = DocxFormatting(parts)
    except (KeyError, etree.XMLSyntaxError, ValueError) as exc:
        raise ImportFailed(f"无法读取 .docx 文件：文件已损坏或不是 Word 文档（{type(exc).__name__}）") from None
    body = doc.document.find(w("body")) if doc.document.tag == w("document") else None
    if body is None:
        raise ImportFailed("文档没有正文部分（不是正常的 Word 文档），请在 Word 中打开后另存为 .docx 再导入")
    notes = doc.notes()
    paras: list[tuple[ParagraphInfo, str]] = []
    tables: list[DocxTable] = []
    tables_done: set[etree._Element] = set()
    for info in doc.paragraphs():
        if info.in_textbox or info.in_fallback:
            continue
        if info.in_table:
            # A table is one paragraph (a marker) for the text importer; its cells come back as a table item.
            tbl = _outer_table(info.element)
            if tbl is not None and tbl not in tables_done:
                tables_done.add(tbl)
                tables.append(read_table(tbl, notes))
                paras.append((info, marker(len(tables))))
            continue
        paras.append((info, info.label + visible_text(info.element, notes)))
    title_at = set(_title_indexes(doc, paras))
    levels = sorted({lvl for i, (info, _) in enumerate(paras) if i not in title_at and (lvl := doc.heading_level(info.format))})
    depth_of = {lvl: min(k + 1, len(_DEPTH_LABELS)) for k, lvl in enumerate(levels)}
    counters = [0] * (len(_DEPTH_LABELS) + 1)
    body_size = _body_size(paras) or 16.0
    infos: dict[tuple[int, int], LineInfo] = {}
    title: list[str] = []
    lines: list[SourceLine] = []
    for no, (info, raw) in enumerate(paras, start=1):
        text = visible(no, raw, removed)
        if no - 1 in title_at:
            title.append(text.strip())
            lines.append(SourceLine(no, " ".join(text.split()), blank_before=True))
            continue
        level = doc.heading_level(info.format)
        if level is not None and text.strip() and not PLACEHOLDER_RE.match(text.strip()):
            depth = depth_of[level]
            counters[depth] += 1
            counters[depth + 1 :] = [0] * (len(counters) - depth - 1)
            if not _labelled(text.strip()):
                text = _depth_label(depth, counters[depth]) + text.strip()
        formatted = _looks_like_heading(info, body_size)
        for k, piece in enumerate(text.split("\n")):
            if piece.strip():
                lines.append(SourceLine(no, piece.strip(), indented=piece[:1].isspace(), blank_before=k == 0))
                never = info.in_table or bool(NEVER_HEADING_RE.search(piece.strip()))
                infos[(no, len(lines))] = LineInfo(level is not None and not info.in_table, k > 0, formatted, never)
    result = DocxText(
        lines, infos, tables, title="".join(title).replace("\n", ""), title_paragraphs=tuple(i + 1 for i in sorted(title_at)),
        part_heads=_heads_under_parts(lines, _unlabelled_heads(lines, infos)),
    )
    boxes = sum(1 for box in body.iter(w("txbxContent")) if "".join(box.itertext()).strip())
    if boxes:
        result.warnings.append(f"文档中有 {boxes} 个文本框，文本框中的文字未导入，请在排版后补回")
    if notes:
        result.warnings.append(f"文档中的 {len(notes)} 条脚注/尾注已放在引用处的括号中（“（注：……）”），请核对")
    return result


# ---------------------------------------------------------------------------
# After the text importer: Word's say on what is a heading


def _source_lines(docx: DocxText) -> list[tuple[SourceLine, LineInfo]]:
    by_position = {pos: info for (_, pos), info in docx.info.items()}
    return [(line, by_position[i + 1]) for i, line in enumerate(docx.lines) if i + 1 in by_position]


def _is_false_heading(info: LineInfo, line: SourceLine, formatted_document: bool) -> bool:
    """A heading the text importer guessed that Word's file contradicts. An
    unlabelled line in body type is no heading where the file sets its
    headings apart by type; in text pasted into Word unformatted, the text
    importer's guess stands."""
    if info.word_heading:
        return False
    if info.continuation or info.never_heading:
        return True
    return formatted_document and not _labelled(line.text) and not info.looks_like_heading


def settle_headings(reports: list[dict], docx: DocxText, removed: list[Removed]) -> None:
    """Turn back into body text the headings a Word file's own structure denies:
    placeholders, captions, notes, lines after a soft line break, and
    unlabelled lines set in body type. Nothing is lost: the source line,
    label included, becomes a paragraph where the section stood."""
    sources = _source_lines(docx)
    formatted_document = any(info.word_heading or info.looks_like_heading for _, info in sources)
    cursor = [0]

    def find(heading: str) -> tuple[SourceLine, LineInfo] | None:
        for j in range(cursor[0], len(sources)):
            line = sources[j][0]
            rest = read_label(line.text)[1] if _labelled(line.text) else line.text
            if rest.strip().startswith(heading.strip()) or line.text.startswith(heading.strip()):
                cursor[0] = j + 1
                return sources[j]
        return None

    def settle(sections: list[dict], lead: list[str]) -> list[dict]:
        """``lead``: where text before the first section goes (the parent's paragraphs or the preamble)."""
        out: list[dict] = []
        for section in sections:
            found = find(section["heading"])
            section["sections"] = settle(section["sections"], section["paragraphs"])
            if found is None or not _is_false_heading(found[1], found[0], formatted_document):
                out.append(section)
                continue
            line = found[0]
            paragraphs = section["paragraphs"][1:] if section.get("run_in") else section["paragraphs"]
            text = [line.text, *paragraphs]
            removed[:] = [r for r in removed if not (r.kind == "label" and r.line == line.no)]
            target = _last_paragraphs(out[-1]) if out else lead
            target.extend(text)
            out.extend(section["sections"])
        return out

    for report in reports:
        report["sections"] = settle(report.get("sections", []), report.setdefault("preamble", []))


def _last_paragraphs(section: dict) -> list[str]:
    """The paragraph list that ends a section's text (that of its last subsection, if any)."""
    while section["sections"]:
        section = section["sections"][-1]
    return section["paragraphs"]
