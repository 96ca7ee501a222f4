"""Attachment pages (GB/T 9704 §8): each starts a new page with "附件N" flush
left in 黑体, its title centred on the third line; the 附件说明 names them."""
from __future__ import annotations

import re
from typing import Iterator

from ...docx.effective import w
from ...profile import PROFILE
from ..document import ATTACHMENT, ATTACHMENT_LABEL, EMPTY, LintDocument, Para
from ..findings import Issue, excerpt

P = PROFILE
_NOTE_ITEM_RE = re.compile(r"^(?:附件\s*[:：])?\s*(?:([0-9０-９]+)\s*[.．、])?\s*(.+?)\s*$")
_LABEL_RE = re.compile(r"^附件\s*([0-9０-９]*)$")
# How far the title may be off its line (twips of space before).
LINE_SLACK_TWIPS = 60


def _on(el) -> bool:  # type: ignore[no-untyped-def]
    return el is not None and el.get(w("val"), "true") not in ("0", "false", "off")


def _page_break_before(doc: LintDocument, p: Para) -> bool:
    el = p.info.element
    if el is not None and _on(el.find(f"{w('pPr')}/{w('pageBreakBefore')}")):
        return True
    for style in doc.fmt.style_chain(p.info.format.style_id):
        flag = style.find(f"{w('pPr')}/{w('pageBreakBefore')}")
        if flag is not None:
            return _on(flag)
    return False


def _starts_page(doc: LintDocument, p: Para) -> bool:
    if _page_break_before(doc, p):
        return True
    el = p.info.element
    if el is not None and el.find(f".//{w('br')}[@{w('type')}='page']") is not None:
        return True
    i = doc.paragraphs.index(p)
    for prev in reversed(doc.paragraphs[:i]):
        pel = prev.info.element
        if pel is None:
            continue
        if pel.find(f"{w('pPr')}/{w('sectPr')}") is not None or pel.find(f".//{w('br')}[@{w('type')}='page']") is not None:
            return True
        if prev.role != EMPTY:
            return False
    return True


def _labels(doc: LintDocument) -> list[Para]:
    return list(doc.by_role(ATTACHMENT_LABEL))


def check_new_page(doc: LintDocument) -> Iterator[Issue]:
    for p in _labels(doc):
        if not _starts_page(doc, p):
            yield Issue(f"附件“{p.text.strip()}”应另起一页（在署名、日期之后，版记之前）：请在它前面插入分页符，"
                        "或设为“段前分页”。", p.index, excerpt(p.text))


def check_label_line(doc: LintDocument) -> Iterator[Issue]:
    for p in _labels(doc):
        fmt = p.info.format
        faults = []
        if fmt.jc in ("center", "right", "end"):
            faults.append("应顶格居左")
        if (fmt.first_line_twips or 0) > 0 or (fmt.left_twips or 0) > 0:
            faults.append("不应缩进")
        fonts = {s.format.east_asia_font for s in p.spans if s.text.strip()}
        if fonts and not any(f and "黑" in f for f in fonts):
            faults.append("应为 3 号黑体")
        if faults:
            yield Issue(f"附件标识“{p.text.strip()}”在版心左上角第一行：{'，'.join(faults)}。", p.index, excerpt(p.text))


def _title_after(doc: LintDocument, label: Para) -> tuple[Para | None, int]:
    """The attachment title after its label, and the empty paragraphs between."""
    i = doc.paragraphs.index(label)
    blanks = 0
    for p in doc.paragraphs[i + 1 :]:
        if p.role == EMPTY:
            blanks += 1
            continue
        return p, blanks
    return None, blanks


def check_title_position(doc: LintDocument) -> Iterator[Issue]:
    pitch = doc.body_metrics.line_twips or P.line_pitch_twips
    for label in _labels(doc):
        title, blanks = _title_after(doc, label)
        if title is None:
            yield Issue(f"附件“{label.text.strip()}”之后没有附件标题。", label.index, excerpt(label.text))
            continue
        before = title.info.format.before_twips or 0
        lines_down = blanks + before / pitch
        if abs(lines_down - 1) * pitch > LINE_SLACK_TWIPS or title.info.format.jc != "center":
            where = f"现在与附件标识相隔 {lines_down:.1f} 行" if abs(lines_down - 1) * pitch > LINE_SLACK_TWIPS else "现在没有居中"
            yield Issue(f"附件标题应在版心第三行居中（与“{label.text.strip()}”之间空一行），{where}。", title.index, excerpt(title.text))


def _note_items(doc: LintDocument) -> dict[int, str]:
    """附件说明: number → name ("附件：1. 名称" and the lines under it)."""
    items: dict[int, str] = {}
    for p in doc.by_role(ATTACHMENT):
        m = _NOTE_ITEM_RE.match(p.text.strip())
        if m and m.group(2):
            number = int(m.group(1).translate(str.maketrans("０１２３４５６７８９", "0123456789"))) if m.group(1) else len(items) + 1
            items[number] = m.group(2).rstrip("。；;")
    return items


def check_note_consistency(doc: LintDocument) -> Iterator[Issue]:
    labels = _labels(doc)
    if not labels:
        return
    notes = _note_items(doc)
    for label in labels:
        m = _LABEL_RE.match(label.text.strip())
        if not m:
            continue
        number = int(m.group(1).translate(str.maketrans("０１２３４５６７８９", "0123456789"))) if m.group(1) else 1
        title, _ = _title_after(doc, label)
        name = (title.text.strip() if title else "").replace("\n", "")
        if not m.group(1) and len(notes) > 1:
            yield Issue(f"附件说明列了 {len(notes)} 个附件，附件页的标识应带序号（“附件1”“附件2”……），此处为“附件”。",
                        label.index, excerpt(label.text))
        elif number not in notes:
            listed = "、".join(f"{n}.{t}" for n, t in sorted(notes.items())) or "（没有附件说明）"
            yield Issue(f"附件页“{label.text.strip()}”在正文后的附件说明中没有对应的条目：附件说明为 {listed}。",
                        label.index, excerpt(label.text))
        elif name and name.replace(" ", "") != notes[number].replace(" ", ""):
            yield Issue(f"附件页“{label.text.strip()}”的标题“{name}”与附件说明中的名称“{notes[number]}”不一致。",
                        title.index if title else label.index, excerpt(name))
