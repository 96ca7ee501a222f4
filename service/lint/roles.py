"""What each paragraph is: title, heading level n, body, signature, date …

For a document our engine wrote, the style ids say it. For any other file
the role is inferred the way a reader would: a centred (or large) first
paragraph is the title, a paragraph starting with 一、 （一） 1. （1） (typed, or
drawn by list numbering) is a heading of that level, a style named
Heading n / 标题 n or an outline level marks a heading without a label, a
line that is only a date near the end is the 成文日期 and the short line
above it the signature, and so on. Paragraphs with a style the engine does
not know (a unit template's letterhead) are inferred too.
"""
from __future__ import annotations

import re

from ..docx import base_template as T
from ..ooxml.reader import DocxFormatting
from ..profile import PROFILE
from .document import (
    ATTACHMENT,
    BODY,
    DATE,
    DOC_NUMBER,
    EMPTY,
    FALLBACK,
    HEADER,
    HEADING,
    OTHER,
    RECIPIENT,
    RECORD,
    SIGNATURE,
    TABLE,
    TITLE,
    TITLE_NOTE,
    LintDocument,
    Para,
)
from .patterns import (
    ATTACHMENT_RE,
    COPY_NUMBER_RE,
    DOC_NUMBER_RE,
    RECORD_RE,
    SECRECY_RE,
    SENTENCE_END,
    URGENCY_RE,
    date_line,
    squeeze,
)

_OUR_ROLES: dict[str, tuple[str, int | None]] = {
    T.S_TITLE: (TITLE, None),
    T.S_SUBTITLE: (TITLE_NOTE, None),
    T.S_SPEAKER: (TITLE_NOTE, None),
    T.S_RECIPIENT: (RECIPIENT, None),
    T.S_SALUTATION: (RECIPIENT, None),
    T.S_BODY: (BODY, None),
    T.S_ATTACHMENT: (ATTACHMENT, None),
    T.S_SIGNATURE: (SIGNATURE, None),
    T.S_DATE: (DATE, None),
    T.S_HEADER_LINE: (HEADER, None),
    T.S_ISSUER_MARK: (HEADER, None),
    T.S_DOC_NUMBER: (DOC_NUMBER, None),
    T.S_RECORD: (RECORD, None),
    T.S_RECORD_END: (RECORD, None),
    **{sid: (HEADING, i + 1) for i, sid in enumerate(T.S_HEADING)},
    **{sid: (HEADING, i + 1) for i, sid in enumerate(T.S_RUN_IN)},
}

# How far from the end the 成文日期 may be, in non-empty paragraphs (版记 lines excluded).
DATE_SEARCH_PARAGRAPHS = 6
# A signature or a recipient is a short line.
SHORT_LINE_CHARS = 40
# A title longer than this is a paragraph of body text that happens to be centred.
TITLE_MAX_CHARS = 100

_HEADING_STYLE_RE = re.compile(r"^(?:heading|标题)\s*([1-4])$", re.IGNORECASE)
_TITLE_STYLE_RE = re.compile(r"^(?:title|标题)$", re.IGNORECASE)


def is_ours(fmt: DocxFormatting) -> bool:
    """A document our engine wrote (or one based on it): it has our body and title styles."""
    return fmt.has_style(T.S_BODY) and fmt.has_style(T.S_TITLE)


def read_document(fmt: DocxFormatting) -> LintDocument:
    """The document with every paragraph's role assigned."""
    doc = LintDocument(fmt, is_ours(fmt))
    assign_roles(doc)
    return doc


def assign_roles(doc: LintDocument) -> None:
    paras = doc.paragraphs
    for p in paras:
        _trivial_role(p)
        ours = _OUR_ROLES.get(p.info.format.style_id or "") if doc.ours else None
        # The 版记 is a table in a text box: its style still says what it is.
        if ours is not None and (p.role is None or (ours[0] == RECORD and p.role in (TABLE, OTHER))):
            p.role, p.level = ours
            if p.role == HEADING:
                p.heading_end = _our_heading_end(p)
    _header_zone_and_title(paras)
    _end_zone(paras)
    _the_rest(paras)


def _trivial_role(p: Para) -> None:
    if not p.text.strip():
        p.role = EMPTY
    elif p.info.in_fallback:
        p.role = FALLBACK
    elif p.info.in_textbox:
        p.role = OTHER
    elif p.info.in_table:
        p.role = TABLE


def _our_heading_end(p: Para) -> int:
    """A heading paragraph of ours: all of it, or the label and heading-style runs of a run-in one."""
    if p.info.format.style_id not in T.S_RUN_IN:
        return len(p.text)
    end = 0
    for span in p.spans:
        if not (span.is_label or span.char_style in T.C_HEADING):
            break
        end = span.end
    return end


# -- inference -------------------------------------------------------------------


def _is_red(p: Para) -> bool:
    for s in p.spans:
        color = (s.format.color or "").lower()
        if s.visible and len(color) == 6 and color != "auto":
            try:
                r, g, b = (int(color[i : i + 2], 16) for i in (0, 2, 4))
            except ValueError:
                continue
            if r >= 0xC0 and g <= 0x60 and b <= 0x60:
                return True
    return False


def _is_header_line(p: Para) -> bool:
    """份号, 密级, 紧急程度 lines and the 发文机关标志 at the top of a 红头 document."""
    text = squeeze(p.text)
    return bool(
        _is_red(p)
        or COPY_NUMBER_RE.match(text)
        or SECRECY_RE.match(text)
        or URGENCY_RE.match(text)
        or (text.endswith("文件") and len(text) <= SHORT_LINE_CHARS and p.info.format.jc == "center")
    )


def _centred(p: Para) -> bool:
    return p.info.format.jc == "center"


def _looks_like_title(p: Para) -> bool:
    text = p.text.strip()
    if p.label is not None or len(text) > TITLE_MAX_CHARS or text.endswith(("：", ":", "。")):
        return False
    size = p.size_pt() or 0
    return _centred(p) or bool(_TITLE_STYLE_RE.match(p.style_name)) or size > PROFILE.body_size_pt


def _header_zone_and_title(paras: list[Para]) -> None:
    """Lines before the title (版头) and the title with the centred lines under it."""
    has_title = any(p.role == TITLE for p in paras)
    i = 0
    while i < len(paras):
        p = paras[i]
        if p.role in (EMPTY, TABLE, OTHER):
            i += 1
            continue
        if p.role is not None:
            if p.role == TITLE:
                break
            i += 1
            continue
        if DOC_NUMBER_RE.match(squeeze(p.text)):
            p.role = DOC_NUMBER
        elif _is_header_line(p):
            p.role = HEADER
        elif not has_title and _looks_like_title(p):
            p.role = TITLE
            _title_continuation(paras, i)
            return
        else:
            return
        i += 1


def _title_continuation(paras: list[Para], title_index: int) -> None:
    """A title typed over several paragraphs, then the subtitle and speaker lines."""
    title = paras[title_index]
    title_size = title.size_pt() or 0
    for p in paras[title_index + 1 :]:
        if p.role == EMPTY:
            continue
        if p.role is not None or not _centred(p) or p.label is not None:
            return
        size = p.size_pt() or 0
        same_as_title = abs(size - title_size) < 1 and _fonts(p) == _fonts(title)
        p.role = TITLE if same_as_title else TITLE_NOTE


def _fonts(p: Para) -> set[str | None]:
    return {s.format.east_asia_font for s in p.spans if s.visible}


def _end_zone(paras: list[Para]) -> None:
    """版记 lines, the 成文日期 near the end and the signature above it."""
    for p in paras:
        # A hand-typed 版记 is often a table, or a text box at the foot of the page.
        if p.role in (None, TABLE, OTHER) and RECORD_RE.search(squeeze(p.text)):
            p.role = RECORD
    if any(p.role == DATE for p in paras):
        return
    candidates = [p for p in paras if p.role in (None, BODY, SIGNATURE) and p.text.strip()]
    tail = candidates[-DATE_SEARCH_PARAGRAPHS:]
    for k in range(len(tail) - 1, -1, -1):
        p = tail[k]
        if p.role is None and date_line(p.text):
            p.role = DATE
            before = tail[k - 1] if k > 0 else None
            if before is not None and before.role is None and _looks_like_signature(before):
                before.role = SIGNATURE
            return


def _looks_like_signature(p: Para) -> bool:
    text = p.text.strip()
    return len(text) <= SHORT_LINE_CHARS and p.label is None and not text.endswith(tuple(SENTENCE_END + "；;：:，,"))


def _style_heading_level(p: Para) -> int | None:
    m = _HEADING_STYLE_RE.match(p.style_name.strip())
    if m:
        return int(m.group(1))
    outline = p.info.format.outline_level
    return outline + 1 if outline is not None and 0 <= outline <= 3 else None


def _heading_end(p: Para) -> int:
    """A typed heading runs to its first full stop when body text follows it (run-in)."""
    start = len(p.label.text) if p.label is not None and not p.label.native else 0
    if p.label is not None and p.label.native:
        start = p.spans[0].end if p.spans and p.spans[0].is_label else 0
    for i in range(start, len(p.text)):
        if p.text[i] in SENTENCE_END:
            return i + 1 if p.text[i + 1 :].strip() else len(p.text)
    return len(p.text)


def _the_rest(paras: list[Para]) -> None:
    seen_body = False
    after_title = any(p.role == TITLE for p in paras)
    in_attachment = False
    for p in paras:
        if p.role in (BODY, HEADING):
            seen_body = True
        if p.role is not None:
            in_attachment = p.role == ATTACHMENT
            continue
        text = p.text.strip()
        level = _style_heading_level(p)
        if DOC_NUMBER_RE.match(squeeze(text)):
            p.role = DOC_NUMBER
        elif ATTACHMENT_RE.match(text):
            p.role, in_attachment = ATTACHMENT, True
            continue
        elif in_attachment and p.label is not None and p.label.kind == "num":
            p.role = ATTACHMENT  # "2. 名称" under "附件：1. 名称"
            continue
        elif p.label is not None or level is not None:
            p.role = HEADING
            p.level = p.label.level if p.label is not None else level
            p.heading_end = _heading_end(p)
            seen_body = True
        elif not seen_body and after_title and text.endswith(("：", ":")) and len(text) <= SHORT_LINE_CHARS:
            p.role = RECIPIENT
        else:
            p.role = BODY
            seen_body = True
        in_attachment = False
