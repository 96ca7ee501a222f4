"""Half-width punctuation inside Chinese text → full-width (``punctuation=fullwidth``).

Web pages and PDFs hand over ``,`` ``:`` ``;`` ``(`` ``)`` and straight quotes
where a Chinese document has ，：；（）“”. A mark is changed only when Chinese
text stands beside it (or, for brackets and quotes, inside them), and never
inside what must keep its ASCII form: numbers ("1,000" "3.5"), times
("17:22"), Latin words ("COVID-19, mRNA") and addresses ("http://…",
"a@b.cn").
"""
from __future__ import annotations

import re
from typing import Any

from .chars import CJK_RE

PUNCTUATION_MODES = ("keep", "fullwidth")

_SIMPLE = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
# Chinese punctuation counts as Chinese context too: "。(" or "”," are in Chinese text.
_CJK_PUNCT = "，。、；：？！“”‘’（）《》【】…—"
# Spans that keep every character as typed.
_PROTECTED_RE = re.compile(
    r"(?:https?|ftp)://[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]+"
    r"|www\.[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\d{1,2}:\d{2}(?::\d{2})?"  # times
    r"|\d[\d,.]*\d"  # numbers: 1,000 3.5 2,345.6
)
_PAREN_MAX = 60
_QUOTE_MAX = 120


def _cjk(ch: str) -> bool:
    return bool(ch) and (CJK_RE.match(ch) is not None or ch in _CJK_PUNCT)


def _neighbours(text: str, i: int) -> tuple[str, str]:
    """The nearest non-space characters before and after position ``i``."""
    j = i - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    k = i + 1
    while k < len(text) and text[k] in " \t":
        k += 1
    return (text[j] if j >= 0 else ""), (text[k] if k < len(text) else "")


def _protected(text: str) -> list[bool]:
    mask = [False] * len(text)
    for m in _PROTECTED_RE.finditer(text):
        for i in range(m.start(), m.end()):
            mask[i] = True
    return mask


def fullwidth(text: str) -> tuple[str, int]:
    """``text`` with half-width marks in Chinese context made full-width, and how many changed."""
    if not text or CJK_RE.search(text) is None:
        return text, 0
    mask = _protected(text)
    out = list(text)
    changed = 0
    for i, ch in enumerate(text):
        if mask[i]:
            continue
        if ch in _SIMPLE:
            before, after = _neighbours(text, i)
            # "Word, Excel" keeps its comma; "增长5%,全年" and "2023年:" do not.
            if _cjk(before) or (_cjk(after) and not (before.isascii() and before.isalpha())):
                out[i] = _SIMPLE[ch]
                changed += 1
        elif ch == "(":
            close = text.find(")", i + 1, i + 1 + _PAREN_MAX)
            if close != -1 and "(" not in text[i + 1 : close]:
                before, _ = _neighbours(text, i)
                _, after = _neighbours(text, close)
                if CJK_RE.search(text[i + 1 : close]) or _cjk(before) or _cjk(after):
                    out[i], out[close] = "（", "）"
                    changed += 2
        elif ch == '"':
            close = text.find('"', i + 1, i + 1 + _QUOTE_MAX)
            if close != -1 and CJK_RE.search(text[i + 1 : close]):
                out[i], out[close] = "“", "”"
                mask[close] = True
                changed += 2
    return "".join(out), changed


# Report fields that hold text people wrote (not ids, dates or options).
_TEXT_KEYS = ("title", "subtitle", "speaker", "recipient", "salutation", "signature")
_LIST_KEYS = ("preamble", "closing", "attachments")


def _section(section: dict[str, Any]) -> int:
    changed = 0
    section["heading"], n = fullwidth(section["heading"])
    changed += n
    for i, paragraph in enumerate(section.get("paragraphs", [])):
        section["paragraphs"][i], n = fullwidth(paragraph)
        changed += n
    return changed + sum(_section(child) for child in section.get("sections", []))


def fullwidth_report(report: dict[str, Any]) -> int:
    """Make a report's text full-width in place; the number of marks changed."""
    changed = 0
    for key in _TEXT_KEYS:
        if isinstance(report.get(key), str):
            report[key], n = fullwidth(report[key])
            changed += n
    for key in _LIST_KEYS:
        for i, item in enumerate(report.get(key, [])):
            if isinstance(item, str):
                report[key][i], n = fullwidth(item)
                changed += n
    return changed + sum(_section(s) for s in report.get("sections", []))
