"""Where a labelled paragraph's heading ends and its body begins.

"（一）以发展为目标，促经济转型升级。镇人大紧紧围绕……" is a run-in heading:
the heading is the first sentence. A heading fused to its body without
punctuation is cut where a reader would: at a gap of white space, or where a
body sentence starts ("一年来", "我镇", "按照"…) — when what follows reads
as a finished sentence. A long labelled paragraph with no short first
sentence keeps its first clause as the heading.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .chars import CJK_RE, CLAUSE_END, CLOSERS, HEADING_END, SENTENCE_END, ends_open

# A run-in heading sentence is at most this long.
RUN_IN_MAX = 50
# A stand-alone heading: the whole labelled line, if no longer than this …
STANDALONE_MAX = 50
# … or this, when it is one sentence leading into sub-headings.
LEAD_IN_MAX = 120
# A lead-in sentence above sub-headings may be this long.
SENTENCE_MAX = 150

_GAP_RE = re.compile(r"[\s\u3000]+")
_BODY_START_RE = re.compile(
    r"一年来|今年以来|近年来|多年来|[一二三四五六七八九十两]年来|(?:刚刚)?过去(?:的)?一年|年初以来|本年度|\d{4}年(?:以来|来|[，,])"
    r"|我们|我[镇乡县市区局校院所站委办部处科]|本人|按照|根据|围绕|为进一步"
)
_FUSED_HEAD_MIN, _FUSED_HEAD_MAX = 4, 40


@dataclass(frozen=True, slots=True)
class HeadingSplit:
    heading: str
    body: str  # "" when the heading stands alone

    @property
    def run_in(self) -> bool:
        return bool(self.body)


def _past_closers(text: str, i: int) -> int:
    while i < len(text) and text[i] in CLOSERS:
        i += 1
    return i


def _heading_end(text: str) -> int | None:
    """Index just past the first sentence end (closing quotes included)."""
    for i, c in enumerate(text):
        if c in HEADING_END:
            return _past_closers(text, i + 1)
    return None


def _split(text: str, cut: int, resume: int | None = None) -> HeadingSplit:
    return HeadingSplit(text[:cut].strip(), text[cut if resume is None else resume :].strip())


def _reads_as_body(text: str) -> bool:
    """What follows a fused heading is a body sentence: long enough, punctuated, finished."""
    return len(text) >= 12 and text[-1] in SENTENCE_END + CLOSERS + "；;" and any(c in CLAUSE_END + SENTENCE_END for c in text[:-1])


def _gap_split(text: str) -> HeadingSplit | None:
    """Heading and body separated by white space only: "加强组织领导　各单位要……"."""
    m = _GAP_RE.search(text, 2, 31)
    if m is None or m.end() >= len(text):
        return None
    if not (CJK_RE.match(text[m.start() - 1]) and (CJK_RE.match(text[m.end()]) or text[m.end()].isdigit())):
        return None
    if any(c in HEADING_END for c in text[: m.start()]):
        return None
    return _split(text, m.start(), m.end())


def _fused_split(text: str) -> HeadingSplit | None:
    """Heading fused to a body sentence: "主要做法一年来，我校……"."""
    # The body may start inside the first sentence: "抢抓机遇、优化产业,经济工作再上新水平今年以来,……"
    first_sentence = re.split(f"[{HEADING_END}]", text, maxsplit=1)[0]
    m = _BODY_START_RE.search(first_sentence, _FUSED_HEAD_MIN, _FUSED_HEAD_MAX + 1)
    # The heading must be words, not a date: "6月16日我镇组织……" has none.
    if m is None or ends_open(text[: m.start()]) or len(CJK_RE.findall(text[: m.start()])) < _FUSED_HEAD_MIN:
        return None
    return _split(text, m.start())


# A section head people write as a short noun phrase: "基本情况", "主要做法", "存在问题".
_HEAD_NOUN_RE = re.compile(r"^[\u4e00-\u9fff]{0,6}?(?:情况|做法|成效|成绩|问题|不足|打算|措施|经验|体会|思路|建议|目标|任务|回顾|安排)")
# What cannot start a sentence: the phrase goes on ("基本情况和…", "存在问题较多…").
_GOES_ON = "的之和及与或、，,等中较是有得了很还也都已在为"


def _head_noun_split(text: str) -> HeadingSplit | None:
    """A short head noun phrase fused to its body: "基本情况某某镇位于……"."""
    m = _HEAD_NOUN_RE.match(text)
    if m is None or m.end() >= len(text) or text[m.end()] in _GOES_ON or not CJK_RE.match(text[m.end()]):
        return None
    # "河湖管理保护成效明显。" is a short run-in heading sentence, not 成效 + body:
    # a body sentence fused on goes on over clauses before it ends.
    first = re.split(f"[{HEADING_END}]", text[m.end():], maxsplit=1)[0]
    if not any(c in "，,；;" for c in first):
        return None
    return _split(text, m.end())


def fused_heading(text: str) -> HeadingSplit | None:
    """A heading fused to a finished body sentence without punctuation, or None."""
    found = _fused_split(text.strip())
    return found if found is not None and found.heading and _reads_as_body(found.body) else None


def split_heading(text: str, leads_in: bool = False) -> HeadingSplit | None:
    """Heading and body of a labelled paragraph (label already removed).

    ``leads_in``: sub-headings follow, so a single long sentence is a heading.
    None when no reading gives a heading the model can hold.
    """
    text = text.strip()
    # A heading fused to its body by a gap or by nothing at all comes first:
    # "主要做法一年来，我校……。" is one sentence but not one heading.
    for finder in (_gap_split, _fused_split, _head_noun_split):
        found = finder(text)
        if found is not None and found.heading and _reads_as_body(found.body):
            return found
    end = _heading_end(text)
    if end is not None and end <= RUN_IN_MAX:
        return _split(text, end)
    one_sentence = end is None or end >= len(text)
    if one_sentence and (len(text) <= STANDALONE_MAX or (leads_in and len(text) <= LEAD_IN_MAX)):
        return HeadingSplit(text, "")
    # A long labelled paragraph without a short first sentence is a numbered
    # paragraph ("1、创成活动开展以来，……"), not a heading cut at a comma: it
    # stays body text with its label as written, so no ordinal changes.
    if leads_in and end is not None and end <= SENTENCE_MAX:
        return _split(text, end)
    return None
