"""Character classes of Chinese official prose, shared by the importer's passes."""
from __future__ import annotations

import re

CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")

# A sentence (and so a run-in heading) may end here.
SENTENCE_END = "。！？!?"
HEADING_END = SENTENCE_END + "：:"
# A clause ends here; a long run-in heading is cut at the first one.
CLAUSE_END = "，,；;"
# Ends a paragraph: nothing is missing after it.
TERMINAL = SENTENCE_END + "；;：:…"
CLOSERS = "”’\"'）)》」』】〕"
OPENERS = "“‘（(《「『【〔"
# A line starting with one of these continues the line before it.
NON_INITIAL = "，,。.、；;：:！!？?）)》」』】〕”’%…·"
# A line ending with one of these continues on the next line. "的" is the one
# function word that never ends a heading or a paragraph.
CONTINUES = "，,、" + OPENERS + "的"
# Any punctuation that a heading line used as a part heading may not carry.
SENTENCE_PUNCT = "。！？!?；;，,：:"

_WS = " \t\u3000\u2002\u2003\u2009\xa0"
LETTER_SPACED_RE = re.compile(rf"(?:\S[{_WS}]+){{2,}}\S")
WHITESPACE_RE = re.compile(rf"[{_WS}]+")


def has_cjk(text: str) -> bool:
    return CJK_RE.search(text) is not None


def strip_closers(text: str) -> str:
    return text.rstrip(CLOSERS)


def ends_terminal(text: str) -> bool:
    """The line ends a sentence (closing quotes and brackets looked through)."""
    if not text:
        return False
    if text[-1] in "）)":  # a parenthesised line ("（2022年12月5日）") stands alone
        return True
    core = strip_closers(text)
    return bool(core) and core[-1] in TERMINAL


def ends_open(text: str) -> bool:
    return bool(text) and text[-1] in CONTINUES


def starts_non_initial(text: str) -> bool:
    return bool(text) and text[0] in NON_INITIAL


def has_sentence_punct(text: str) -> bool:
    return any(c in SENTENCE_PUNCT for c in text)


def collapse_letter_spacing(text: str) -> str:
    """ "政 府 工 作 报 告" → "政府工作报告"; other text unchanged."""
    if LETTER_SPACED_RE.fullmatch(text) and all(len(t) == 1 for t in WHITESPACE_RE.split(text)):
        return WHITESPACE_RE.sub("", text)
    return text


def is_letter_spaced(text: str) -> bool:
    return len(text) >= 5 and collapse_letter_spacing(text) != text


def ellipsize(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
