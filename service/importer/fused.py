"""Text fused onto one line: pages that lost their line breaks.

Two cuts, both keeping every character:

* the opening of a report: "乡镇镇长述职报告各位领导、同志们:我是……" → title,
  salutation, body. The title is the run of words before the first
  clause mark that ends where a salutation or the body begins.
* labelled headings in the middle of a line: "……增长。1、大力发展……" → a
  new paragraph at "1、" — only where the label continues its own
  sequence (the next ordinal of its family, or 1 under a new parent), so an
  ordinal is never invented: "3、" in the middle of a sentence stays text.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from .. import numbering
from . import genre
from .chars import CJK_RE
from .labels import RANK, read_label
from .lines import Para
from .result import Removed

# ---------------------------------------------------------------------------
# The opening: title | salutation | body

_CLAUSE_RE = re.compile(r"[，,。：:；;！!？?]")
_SALUTATION_START_RE = re.compile(r"(?:尊敬的|各位|亲爱的)")
# Where a title of the genre ends (confirms a cut the position suggests).
_TITLE_END_RE = re.compile(
    r"(?:总结|报告|汇报|计划|规划|思路|打算|安排|要点|方案|讲话|发言|述职|小结|致辞|材料)(?:[（(][^()（）]{1,12}[)）])?"
)
_JOINER_RE = re.compile(r"^(?:及|和|与|暨|、|并|兼|以及)")
_MARKER_RE = re.compile(r"^[\s\u3000]*(?:篇\s*[一二三四五六七八九十\d]+|第[一二三四五六七八九十\d]+篇)[\s\u3000]*")
_MARKER_END_RE = re.compile(r"[\s\u3000]*(?:篇\s*[一二三四五六七八九十\d]+|第[一二三四五六七八九十\d]+篇)[\s\u3000]*$")
_LEADING_DATE_RE = re.compile(r"^[\s\u3000]*[\d〇○零一二三四五六七八九十]{2,4}年[\d〇○零一二三四五六七八九十]{1,4}月[\d〇○零一二三四五六七八九十]{1,3}日")
_TITLE_MIN = 4
_TITLE_MAX = 60


def _title_cut(head: str) -> int | None:
    """Where the title ends inside ``head`` (the words before the first clause mark)."""
    sal = _SALUTATION_START_RE.search(head, _TITLE_MIN)
    if sal:
        return sal.start()
    ends = [m for m in _TITLE_END_RE.finditer(head) if m.end() >= _TITLE_MIN and len(head) - m.end() >= 2]
    if not ends:
        return None
    return ends[-1].end()


def _file_name_before(title: str) -> int:
    """A site's file name fused before the title ("XX镇近三年工作总结南马镇工作总结"):
    where the real title starts (0 when there is no such name)."""
    ends = [m for m in _TITLE_END_RE.finditer(title) if m.end() < len(title)]
    for m in reversed(ends):
        tail = title[m.end() :]
        last = list(_TITLE_END_RE.finditer(tail))
        if (
            len(tail) >= _TITLE_MIN
            and not _JOINER_RE.match(tail)
            and last
            and last[-1].end() == len(tail)
            and last[-1].start() >= 3  # words before the ending: a title, not "报告 篇1"
            and CJK_RE.match(tail[0])
        ):
            return m.end()
    return 0


def split_opening(para: Para, removed: list[Removed]) -> list[Para]:
    """Title, salutation and body of a report whose opening lost its line breaks."""
    text = para.text
    first = _CLAUSE_RE.search(text)
    if first is None or first.start() < _TITLE_MIN or read_label(text)[0] is not None:
        return [para]
    head = text[: first.start()]
    cut = _title_cut(head[:_TITLE_MAX + 10])
    if cut is None or cut > _TITLE_MAX:
        return [para]
    pieces: list[str] = []
    title = text[:cut]
    marker_end = _MARKER_END_RE.search(title)
    if marker_end:  # "小学学校校长述职报告 篇1" + salutation
        cut = marker_end.start()
        title = text[:cut]
    start = _file_name_before(title)
    if start:
        pieces.append(title[:start])  # the file name: its own line, judged as any other
        title = title[start:]
    pieces.append(title.strip())
    rest = text[cut:]
    marker = _MARKER_RE.match(rest)
    if marker:  # a collection's "篇1": the site's, not the report's
        removed.append(Removed("noise", para.first, marker.group().strip()))
        rest = rest[marker.end() :]
    date = _LEADING_DATE_RE.match(rest)
    if date:  # a date line under the title ("2023年12月16日"), even a garbled one
        pieces.append(date.group().strip())
        rest = rest[date.end() :]
    sal = _SALUTATION_START_RE.match(rest)
    colon = re.search(r"[:：]", rest[:30]) if sal else None
    if colon and not re.search(r"[。；;！!？?]", rest[: colon.start()]):
        pieces.append(rest[: colon.end()])
        rest = rest[colon.end() :]
    pieces.append(rest.strip())
    return [replace(para, text=p, starts_report=para.starts_report and n == 0) for n, p in enumerate(pieces) if p]


# ---------------------------------------------------------------------------
# A whole document on one line: 发文字号 at the head, 署名 and 日期 at the tail

_DOC_NUMBER_RE = re.compile(r"(?:^|(?<=\s))[^\s〔\[［，,。]{1,8}(?:\s[^\s〔\[［，,。]{1,8})?\s*〔\s*\d{4}\s*〕\s*\d{1,5}\s*号(?=\s|$)")
_ISSUER_THEN_TITLE_RE = re.compile(r"^(?P<issuer>\S.{1,24}?(?:人民政府|委员会|常委会|办公室|局|党委|政府|办事处))[\s\u3000]+(?P<title>关于.+)$")
_RECIPIENT_RE = re.compile(r"^[\s\u3000]*(?P<to>[^\s，,。；;：:]{2,24}[:：])")
_DATE_TEXT = r"(?:[\d〇○零一二三四五六七八九十Oo\s]{4,12}年[\d〇○零一二三四五六七八九十\s]{1,5}月[\d〇○零一二三四五六七八九十\s]{1,6}日)"
_FUSED_END_RE = re.compile(
    rf"(?P<closing>特此(?:报告|请示|函告|说明|通知)[。.！!]?)?[\s\u3000]*(?P<sig>(?!特此)[^\s。，,；;：:]{{1,12}}(?:[\s\u3000][^\s。，,；;：:]{{1,12}})?)"
    rf"[\s\u3000]+(?P<date>{_DATE_TEXT})[\s\u3000]*$"
)


def split_document(para: Para, first: bool, removed: list[Removed]) -> list[Para]:
    """A document fused on one line, cut at the pieces that have a fixed shape:
    the 发文字号 (what stands before it at the very top is the site's file
    name), an issuer above a "关于……" title, the addressee ending in "：", and at
    the end "特此报告", the signer and the date."""
    text = para.text
    pieces: list[str] = []
    number = _DOC_NUMBER_RE.search(text, 0, 120) if first else None
    if number and number.end() < len(text) - 20:
        before = text[: number.start()].strip()
        if before:
            removed.append(Removed("noise", para.first, before))  # nothing stands above the 发文字号
        pieces.append(number.group().strip())
        text = text[number.end() :].strip()
        head_end = _CLAUSE_RE.search(text)
        head = text[: head_end.start()] if head_end else text
        cut = _title_cut(head) if head_end else None
        m = _ISSUER_THEN_TITLE_RE.match(text[:cut]) if cut else None
        if m:
            pieces += [m["issuer"], m["title"]]
            text = text[cut:]
            to = _RECIPIENT_RE.match(text)
            if to:
                pieces.append(to["to"])
                text = text[to.end() :]
    tail: list[str] = []
    end = _FUSED_END_RE.search(text) if len(text) > 40 else None
    if end and end.start() > 0 and text[end.start() - 1] in "。！!？? \u3000" + "".join(_BEFORE_LABEL):
        tail = [g for g in (end["closing"], end["sig"], end["date"]) if g]
        text = text[: end.start()]
    pieces.append(text.strip())
    pieces += tail
    if len(pieces) == 1:
        return [para]
    return [replace(para, text=p, starts_report=para.starts_report and n == 0) for n, p in enumerate(pieces) if p]


# ---------------------------------------------------------------------------
# A table of contents fused on one line: "1. 甲 2 2.乙 10 3.丙 16 …"

_CONTENTS_ENTRY_RE = re.compile(r"(?:^|(?<=\s))(?P<n>\d{1,2})[.．、]\s*\S.{1,60}?\s+(?P<page>\d{1,4})(?=\s|$)")
_CONTENTS_MIN = 3
_CONTENTS_START_MAX = 100


def contents_span(text: str) -> tuple[int, int] | None:
    """Where a table of contents near the start of ``text`` begins and ends (after
    its last page number), when it has three or more entries numbered 1, 2, 3 …"""
    first = _CONTENTS_ENTRY_RE.search(text, 0, _CONTENTS_START_MAX)
    if first is None or first["n"] != "1":
        return None
    start, end, expected, pos = first.start(), first.end(), 2, first.end()
    while True:
        m = _CONTENTS_ENTRY_RE.search(text, pos, pos + 80)
        if m is None or int(m["n"]) != expected or text[pos : m.start()].strip():
            break
        end, expected, pos = m.end(), expected + 1, m.end()
    return (start, end) if expected - 1 >= _CONTENTS_MIN else None


def contents_end(text: str) -> int | None:
    span = contents_span(text)
    return span[1] if span and span[0] == 0 else None


def split_contents(para: Para) -> list[Para]:
    """The headline before a table of contents, the contents, then the first text
    of the collection (a new report)."""
    span = contents_span(para.text)
    if span is None:
        return [para]
    head, toc, rest = para.text[: span[0]].strip(), para.text[span[0] : span[1]].strip(), para.text[span[1] :].strip()
    out = [replace(para, text=head)] if head else []
    out.append(replace(para, text=toc, starts_report=para.starts_report and not head))
    if rest:
        out.append(replace(para, text=rest, starts_report=True))
    return out


# ---------------------------------------------------------------------------
# Labelled headings in the middle of a line

_MID_LABEL_RE = re.compile(
    rf"(?:[{numbering.CHINESE_NUMERAL_CHARS}]{{1,3}}、|[（(][{numbering.CHINESE_NUMERAL_CHARS}]{{1,3}}[)）]|\d{{1,2}}[、．.](?!\d)|[（(]\d{{1,2}}[)）])"
)
# A label starts a heading after the end of a sentence or a gap …
_BEFORE_LABEL = "。！？!?；;：: \u3000"
# … or right after a short unpunctuated heading with its own label: "一、工作开展情况(一)突出……".
_FUSED_HEADING_MAX = 30
_MIN_PARA = 8


class _Sequence:
    """The last ordinal seen per label family, reset under a new parent."""

    def __init__(self) -> None:
        self.last: dict[str, int] = {}

    def fits(self, kind: str, value: int) -> bool:
        return value == 1 or self.last.get(kind) == value - 1

    def see(self, kind: str, value: int) -> None:
        self.last[kind] = value
        for other in list(self.last):
            if RANK.get(other, 0) > RANK.get(kind, 0):
                del self.last[other]  # children restart under a new parent


def _cuts(text: str, seq: _Sequence) -> list[int]:
    cuts: list[int] = []
    label, _ = read_label(text)
    if label is not None and label.kind in RANK:
        seq.see(label.kind, label.value)
    # The label that opens the current piece, and where its text starts.
    piece_kind = label.kind if label is not None else None
    piece_text = len(label.text) if label is not None else None
    for m in _MID_LABEL_RE.finditer(text, 1):
        p = m.start()
        here, rest = read_label(text[p:])
        if here is None or not rest.strip() or here.kind not in RANK:
            continue
        after_heading = (
            piece_kind is not None
            and piece_text is not None
            and p - piece_text <= _FUSED_HEADING_MAX
            and not any(c in "，,。；;：:！!？?" for c in text[piece_text:p])
            and RANK[here.kind] > RANK[piece_kind]
        )
        if not (text[p - 1] in _BEFORE_LABEL or after_heading):
            continue
        if here.kind in ("num", "num_paren") and text[p - 1] in "：:；;":
            continue  # "价值取向：1、……2、……": a list inside the sentence, not headings
        if p >= 2 and text[p - 1].isspace() and text[p - 2].isdigit():
            continue  # "…工作计划 2 2.区卫生……": a table of contents, page numbers and all
        if not seq.fits(here.kind, here.value) or p - (cuts[-1] if cuts else 0) < 2:
            continue
        seq.see(here.kind, here.value)
        cuts.append(p)
        piece_kind, piece_text = here.kind, p + len(here.text)
    return cuts


def split_labels(paras: Sequence[Para]) -> list[Para]:
    """Each paragraph cut before every labelled heading fused into it."""
    seq = _Sequence()
    out: list[Para] = []
    for para in paras:
        # An attachment list ("附件：1.甲 2.乙") is the end matter's to read.
        cuts = _cuts(para.text, seq) if len(para.text) >= _MIN_PARA and not genre.ATTACHMENT_RE.match(para.text) else []
        if not cuts:
            label = read_label(para.text)[0]
            if label is not None and label.kind in RANK:
                seq.see(label.kind, label.value)
            out.append(para)
            continue
        bounds = [0] + cuts + [len(para.text)]
        for n, (a, b) in enumerate(zip(bounds, bounds[1:])):
            piece = para.text[a:b].strip()
            if piece:
                out.append(replace(para, text=piece, starts_report=para.starts_report and n == 0))
    return out
