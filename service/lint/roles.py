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
    NOTE,
    OTHER,
    PART,
    RECIPIENT,
    RECORD,
    SIGNATURE,
    ATTACHMENT_LABEL,
    TABLE,
    TABLE_NOTE,
    TABLE_TITLE,
    TITLE,
    TITLE_NOTE,
    LintDocument,
    Para,
)
from .patterns import (
    ATTACHMENT_LABEL_RE,
    ATTACHMENT_RE,
    COPY_NUMBER_RE,
    DATE_PLACEHOLDER_RE,
    DOC_NUMBER_RE,
    DOC_NUMBER_TEMPLATE_RE,
    NOTE_RE,
    PLACEHOLDER_RE,
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
    T.S_PART: (PART, None),
    T.S_ATTACHMENT: (ATTACHMENT, None),
    T.S_SIGNATURE: (SIGNATURE, None),
    T.S_DATE: (DATE, None),
    T.S_HEADER_LINE: (HEADER, None),
    T.S_ISSUER_MARK: (HEADER, None),
    T.S_DOC_NUMBER: (DOC_NUMBER, None),
    T.S_RECORD: (RECORD, None),
    T.S_RECORD_END: (RECORD, None),
    T.S_TABLE_TITLE: (TABLE_TITLE, None),
    T.S_TABLE_NOTE: (TABLE_NOTE, None),
    T.S_ATTACHMENT_LABEL: (ATTACHMENT_LABEL, None),
    **{sid: (HEADING, i + 1) for i, sid in enumerate(T.S_HEADING)},
    **{sid: (HEADING, i + 1) for i, sid in enumerate(T.S_RUN_IN)},
}

# How far from the end the 成文日期 may be, in non-empty paragraphs (版记 lines excluded).
DATE_SEARCH_PARAGRAPHS = 6
# A signature or a recipient is a short line.
SHORT_LINE_CHARS = 40
# A title longer than this is a paragraph of body text that happens to be centred.
TITLE_MAX_CHARS = 100

_PART_RE = re.compile(r"^第[一二三四五六七八九十]{1,3}部分(?:[\s\u3000、：:]|$)")
_HEADING_STYLE_RE = re.compile(r"^(?:heading|标题)\s*([1-4])$", re.IGNORECASE)
# A 公文's title names its kind at the end ("关于……的通知"), maybe with a note after it.
_GENRE_TITLE_RE = re.compile(
    r"(?:通知|通报|决定|决议|报告|请示|批复|意见|函|纪要|方案|规定|办法|细则|计划|要点|总结|公告|通告|命令|议案|述职报告|讲话)"
    r"(?:[（(][^）)]*[）)])?$"
)
# A second or later title (of an attached sample, of a second report): centred and this much above the body size.
LATER_TITLE_MIN_PT = PROFILE.body_size_pt + 4
# Joint signers above the first signature line: organisations, or a template's placeholder.
_ORG_END_RE = re.compile(r"(?:委员会|政府|办公室|办公厅|党委|党组|支部|局|厅|部|委|院|会|处|科|中心|公司|集团|学校|大学|所|站|队)$")
MAX_JOINT_SIGNERS = 4
# An unlabelled heading: short, no sentence punctuation, set in a heading typeface.
UNLABELLED_HEADING_MAX_CHARS = 30
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
    _misplaced_attachment_labels(paras)


def _misplaced_attachment_labels(paras: list[Para]) -> None:
    """A "附件N" line above the signature or date heads no attachment page: it
    is an attachment in the wrong place (rule attachment.placement)."""
    closing = [p.index for p in paras if p.role in (SIGNATURE, DATE)]
    for p in paras:
        if p.role == ATTACHMENT_LABEL and closing and p.index < closing[-1]:
            p.role = ATTACHMENT


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
    formatted = _centred(p) or bool(_TITLE_STYLE_RE.match(p.style_name)) or size > PROFILE.body_size_pt
    # An unformatted title (flush left, body size) still names the document's kind.
    return formatted or bool(_GENRE_TITLE_RE.search(squeeze(text)))


def _is_doc_number(text: str) -> bool:
    text = squeeze(text)
    return bool(DOC_NUMBER_RE.match(text) or DOC_NUMBER_TEMPLATE_RE.match(text))


def _is_header_box(p: Para) -> bool:
    """A text box of the 版头: the red 发文机关标志, the ★ of a red rule."""
    text = squeeze(p.text)
    return _is_header_line(p) or text in ("★", "☆")


def _header_zone_and_title(paras: list[Para]) -> None:
    """Lines before the title (版头) and the title with the centred lines under it."""
    has_title = any(p.role == TITLE for p in paras)
    i = 0
    while i < len(paras):
        p = paras[i]
        if p.role == OTHER and _is_header_box(p):
            p.role = HEADER
        if p.role in (EMPTY, TABLE, OTHER):
            i += 1
            continue
        if p.role is not None:
            if p.role == TITLE:
                break
            i += 1
            continue
        if _is_doc_number(p.text):
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
    """版记 lines, the 成文日期 near the end and the signature (joint signers too) above it."""
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
        if p.role is None and (date_line(p.text) or DATE_PLACEHOLDER_RE.match(squeeze(p.text))):
            p.role = DATE
            _signers(paras, paras.index(p))
            return


def _signers(paras: list[Para], date_index: int) -> None:
    """The signature right above the date, and joint signers above it (an empty line between them allowed)."""
    found = 0
    i = date_index - 1
    gap = 0
    while i >= 0 and found < MAX_JOINT_SIGNERS:
        p = paras[i]
        if p.role == EMPTY:
            gap += 1
            if gap > 1:
                return
            i -= 1
            continue
        gap = 0
        text = squeeze(p.text)
        if p.role is not None or not _looks_like_signature(p):
            return
        if found and not (_ORG_END_RE.search(text) or PLACEHOLDER_RE.match(text)):
            return
        p.role = SIGNATURE
        found += 1
        i -= 1


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
    # A change from the heading's type to the body's before any full stop ends
    # a heading typed without one.
    change = _type_change(p, start)
    for i in range(start, len(p.text) if change is None else change):
        if p.text[i] in SENTENCE_END:
            return i + 1 if p.text[i + 1 :].strip() else len(p.text)
    return change or len(p.text)


# Text after a change of type shorter than this is an emphasised word, not a body.
RUN_IN_MIN_BODY_CHARS = 8


def _type_change(p: Para, start: int) -> int | None:
    """A run-in heading typed without its full stop: where the type (font or
    bold) changes from the heading's to the body's, with body text after it."""
    spans = [s for s in p.spans if s.visible and not s.is_label and s.end > start]
    if len(spans) < 2:
        return None
    first = spans[0].format
    for span in spans[1:]:
        if (span.format.east_asia_font, span.format.bold) != (first.east_asia_font, first.bold):
            return span.start if len(p.text[span.start :].strip()) >= RUN_IN_MIN_BODY_CHARS else None
    return None


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
        if _is_doc_number(text):
            p.role = DOC_NUMBER
        elif NOTE_RE.match(text):
            p.role = NOTE
        elif ATTACHMENT_LABEL_RE.match(text):
            p.role = ATTACHMENT_LABEL  # "附件1" alone on its line: the head of an attachment page
        elif _is_later_title(p):
            p.role = TITLE
        elif _PART_RE.match(text) and len(text) <= SHORT_LINE_CHARS:
            p.role = PART  # "第一部分　2023年工作回顾"
            seen_body = True
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
        elif (unlabelled := _unlabelled_heading_level(p)) is not None:
            p.role, p.level, p.heading_end = HEADING, unlabelled, len(p.text)
            seen_body = True
        else:
            p.role = BODY
            seen_body = True
        in_attachment = False


def _is_later_title(p: Para) -> bool:
    """A title further down (an attached sample's, a second report's): centred and much larger than the body."""
    text = p.text.strip()
    return (
        _centred(p)
        and p.label is None
        and len(text) <= TITLE_MAX_CHARS
        and (p.size_pt() or 0) >= LATER_TITLE_MIN_PT
        and not text.endswith(tuple(SENTENCE_END))
    )


def _unlabelled_heading_level(p: Para) -> int | None:
    """A short line without a label in 黑体 (level 1) or 楷体 (level 2) on its own is a heading."""
    from .families import family

    text = p.text.strip()
    if len(text) > UNLABELLED_HEADING_MAX_CHARS or any(c in text for c in SENTENCE_END + "，,；;：:") or PLACEHOLDER_RE.match(text):
        return None
    fams = {family(s.format.east_asia_font) for s in p.spans if s.visible and "eastAsia" not in s.format.theme_fonts}
    if fams == {"黑体"}:
        return 1
    if fams == {"楷体"}:
        return 2
    return None
