"""Half-width punctuation inside Chinese text: , : ; ? ! ( ) where ，：；？！（） belong."""
from __future__ import annotations

from typing import Iterator

from ..document import DOC_NUMBER, EMPTY, FALLBACK, LintDocument, Para
from ..findings import Issue, excerpt
from ..patterns import is_cjk

FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）", '"': "“”"}


def _neighbour(text: str, i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(text) and text[j] in " \t":
        j += step
    return text[j] if 0 <= j < len(text) else ""


def half_width_marks(p: Para) -> list[int]:
    """Positions of half-width marks next to Chinese text, outside the heading label."""
    text = p.text
    start = 0
    if p.label is not None:
        # The label's own brackets and separator are the numbering rules' business.
        start = (text.find(p.label.text) + len(p.label.text)) if p.label.text in text else 0
    found = []
    for i in range(start, len(text)):
        ch = text[i]
        if ch in FULL_WIDTH:
            before, after = _neighbour(text, i, -1), _neighbour(text, i, 1)
            if (before and is_cjk(before)) or (after and is_cjk(after)):
                found.append(i)
    return found


def check_half_width_punctuation(doc: LintDocument) -> Iterator[Issue]:
    for p in doc.paragraphs:
        if p.role in (EMPTY, FALLBACK, DOC_NUMBER):  # 发文字号 brackets are docnumber.form's
            continue
        marks = half_width_marks(p)
        if not marks:
            continue
        kinds = list(dict.fromkeys(p.text[i] for i in marks))
        pairs = "、".join(f"“{k}”改为“{FULL_WIDTH[k]}”" for k in kinds)
        many = f"（本段共 {len(marks)} 处）" if len(marks) > 1 else ""
        yield Issue(f"中文文字中用了半角标点，应使用全角标点：{pairs}{many}。", p.index, excerpt(p.text, marks[0]))
