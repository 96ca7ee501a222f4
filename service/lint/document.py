"""The document as the rules see it: paragraphs with their effective
formatting, their role (title, heading level n, body, signature, date …)
and their heading label, plus the page set-up and the body's metrics."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Iterator, TypeVar

from lxml import etree

from ..ooxml.reader import DocxFormatting, ParagraphInfo, RunFormat, SectionInfo, w
from .patterns import Label, find_label, has_cjk, is_cjk

# Roles of paragraphs.
TITLE = "title"
TITLE_NOTE = "title-note"  # subtitle, speaker: centred lines under the title
RECIPIENT = "recipient"  # 主送机关, and the salutation "各位代表："
BODY = "body"
HEADING = "heading"
PART = "part"  # a part heading above 一、 (第一部分 / unnumbered): 一、 restarts under it
ATTACHMENT = "attachment"
SIGNATURE = "signature"
DATE = "date"
DOC_NUMBER = "doc-number"  # 发文字号
HEADER = "header"  # 份号, 密级, 紧急程度, 发文机关标志
RECORD = "record"  # 版记: 抄送, 印发
TABLE = "table"
TABLE_TITLE = "table-title"  # 表题 above a table, 黑体
TABLE_NOTE = "table-note"  # 注：… under a table, 14 pt
ATTACHMENT_LABEL = "attachment-label"  # "附件1" heading an attachment page
EMPTY = "empty"
NOTE = "note"  # 附注 and notes in parentheses: "（联系人：…）", "（此页无正文）"
OTHER = "other"  # text boxes
FALLBACK = "fallback"  # the VML copy Word keeps of a text box: never checked (its text is counted once)

# Roles set in body type (3号仿宋 on the 28.95 pt grid).
BODY_TYPE_ROLES = (BODY, RECIPIENT, ATTACHMENT, SIGNATURE, DATE, NOTE)


@dataclass(frozen=True)
class Span:
    """A piece of a paragraph's text in one format: a run, or a list label."""

    start: int
    end: int
    text: str
    format: RunFormat
    is_label: bool = False
    char_style: str | None = None

    @property
    def visible(self) -> bool:
        return bool(self.text.strip())


@dataclass
class Para:
    info: ParagraphInfo
    text: str  # what a reader sees: native label, its suffix, then the runs' text
    spans: list[Span]
    label: Label | None
    role: str | None = None
    level: int | None = None  # heading level 1-4
    heading_end: int = 0  # text[:heading_end] is the heading (less than the whole for a run-in heading)
    style_name: str = ""

    @property
    def index(self) -> int:
        return self.info.index

    @property
    def run_in(self) -> bool:
        return self.role == HEADING and bool(self.text[self.heading_end :].strip())

    def heading_spans(self) -> list[Span]:
        return [s for s in self.spans if s.start < self.heading_end]

    def body_spans(self) -> list[Span]:
        """Spans in body type: all of a body paragraph, the rest of a run-in
        heading; a lead sentence (段首句) is in its own font, not body type."""
        if self.role == HEADING:
            return [s for s in self.spans if s.end > self.heading_end and not is_lead_span(s)]
        return [s for s in self.spans if not is_lead_span(s)]

    def size_pt(self) -> float | None:
        """The size of most of the paragraph's visible text."""
        sizes: Counter[float] = Counter()
        for s in self.spans:
            if s.visible and s.format.size_pt:
                sizes[s.format.size_pt] += len(s.text.strip())
        return sizes.most_common(1)[0][0] if sizes else None


# Character styles of lead sentences (段首句): bold body font, 楷体 or 黑体 by choice.
LEAD_CHAR_STYLES = frozenset({"GwLeadBold", "GwLeadKai", "GwLeadHei"})


def is_lead_span(span: Span) -> bool:
    return span.char_style in LEAD_CHAR_STYLES


def _spans(info: ParagraphInfo) -> tuple[str, list[Span]]:
    spans: list[Span] = []
    pos = 0
    if info.label and info.label_format is not None:
        shown = info.label + info.label_suffix
        spans.append(Span(0, len(shown), shown, info.label_format, is_label=True))
        pos = len(shown)
    for run in info.runs:
        if run.text:
            spans.append(Span(pos, pos + len(run.text), run.text, run.format, char_style=run.char_style))
            pos += len(run.text)
    return "".join(s.text for s in spans), spans


@dataclass(frozen=True)
class BodyMetrics:
    """The formatting most of the body text has, which decides the page grid."""

    size_half_points: int | None
    condense_twips: int
    line_twips: int | None
    line_rule: str | None


T = TypeVar("T")


def most_common(counter: Counter[T]) -> T | None:
    return counter.most_common(1)[0][0] if counter else None


class LintDocument:
    """The paragraphs of a document as the rules see them.

    Built by :func:`service.lint.roles.read_document`, which also gives each
    paragraph its role: this module knows nothing of how roles are decided.
    """

    def __init__(self, fmt: DocxFormatting, ours: bool):
        self.fmt = fmt
        self.ours = ours  # written by our engine (or based on its template)
        self.cache: dict[str, object] = {}  # what several rules compute once
        self.paragraphs: list[Para] = []
        for info in fmt.paragraphs():
            text, spans = _spans(info)
            label = find_label(info.text, info.label) if text.strip() else None
            self.paragraphs.append(
                Para(info, text, spans, label, style_name=fmt.style_name(info.format.style_id) or "")
            )

    def by_role(self, *roles: str) -> Iterator[Para]:
        return (p for p in self.paragraphs if p.role in roles)

    def headings(self) -> Iterator[Para]:
        return self.by_role("heading")

    @cached_property
    def sections(self) -> list[SectionInfo]:
        # No w:sectPr at all: Word falls back to its own defaults, which is
        # "page not set up" for the checker — an empty section says so.
        return self.fmt.sections() or [SectionInfo(etree.Element(w("sectPr")), None)]

    @cached_property
    def body_metrics(self) -> BodyMetrics:
        sizes: Counter[int | None] = Counter()
        condense: Counter[int] = Counter()
        lines: Counter[tuple[str | None, int | None]] = Counter()
        for p in self.by_role(BODY):
            if p.info.in_table:
                continue
            for s in p.body_spans():
                weight = sum(1 for ch in s.text if is_cjk(ch))
                if weight:
                    sizes[s.format.size_half_points] += weight
                    condense[s.format.condense_twips] += weight
            lines[(p.info.format.line_rule, p.info.format.line_twips)] += len(p.text)
        rule, line = most_common(lines) or (None, None)
        return BodyMetrics(most_common(sizes), most_common(condense) or 0, line, rule)


def visible_spans(spans: Iterable[Span]) -> Iterator[Span]:
    return (s for s in spans if s.visible)


def cjk_spans(spans: Iterable[Span]) -> Iterator[Span]:
    """Spans whose Chinese characters take the East Asian font slot."""
    return (s for s in spans if has_cjk(s.text))

