"""Text → source lines → paragraphs.

Scraped and copied text breaks paragraphs in the middle of sentences (hard
wraps, page breaks, links rendered on their own lines). This module decides,
line by line, whether a line continues the one before it, from the
punctuation at the seam and from the layout of the whole text.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from . import genre
from .chars import CLAUSE_END, HEADING_END, ends_open, ends_terminal, starts_non_initial
from .labels import is_label_only, read_label
from .result import Removed

# Characters the document cannot hold or nobody can see: removed and counted.
_INVISIBLE_RE = re.compile("[\x00-\x08\x0e-\x1f\u200b-\u200d\u2060\ufeff\ufffe\uffff\ud800-\udfff]")
_NEWLINES_RE = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")

# A labelled line whose text is no longer than this reads as a heading.
HEADING_MAX = 50
# An unlabelled line no longer than this, without punctuation, may be a heading.
SHORT_LINE_MAX = 30


@dataclass(frozen=True, slots=True)
class SourceLine:
    no: int  # 1-based line (or .docx paragraph) number
    text: str  # without leading and trailing white space
    indented: bool = False
    blank_before: bool = False  # an empty line separates it from the line before
    noise_before: bool = False  # removed noise separates it from the line before
    starts_report: bool = False  # a marker ("篇二") said a new report begins here


@dataclass(frozen=True, slots=True)
class Para:
    first: int
    last: int
    text: str
    starts_report: bool = False
    part_head: bool = False  # a Word file sets it apart as a heading by type alone: a part

    @property
    def where(self) -> str:
        return f"{self.first}" if self.first == self.last else f"{self.first}–{self.last}"


@dataclass(frozen=True, slots=True)
class Layout:
    blank_separated: bool  # paragraphs are separated by empty lines
    wrap_width: int | None  # lines were hard-wrapped at this many characters
    indents: bool  # paragraphs start with an indent


def visible(no: int, raw: str, removed: list[Removed]) -> str:
    """``raw`` without the characters nobody can see or XML cannot hold (recorded)."""
    clean = _INVISIBLE_RE.sub("", raw)
    if len(clean) != len(raw):
        removed.extend(Removed("invisible", no, c) for c in _INVISIBLE_RE.findall(raw))
    return clean


def source_lines(text: str, removed: list[Removed]) -> list[SourceLine]:
    """Split text into non-empty lines, noting blank lines and invisible characters."""
    text = _NEWLINES_RE.sub("\n", text)
    out: list[SourceLine] = []
    blank = False
    for no, raw in enumerate(text.split("\n"), start=1):
        clean = visible(no, raw, removed)
        stripped = clean.strip()
        if not stripped:
            blank = True
            continue
        out.append(SourceLine(no, stripped, indented=clean[:1].isspace(), blank_before=blank))
        blank = False
    return out


def detect_layout(lines: Sequence[SourceLine]) -> Layout:
    if len(lines) < 2:
        return Layout(False, None, False)
    blanks = sum(line.blank_before for line in lines[1:])
    return Layout(
        blank_separated=blanks >= 0.5 * (len(lines) - 1),
        wrap_width=_wrap_width(lines),
        indents=0.2 * len(lines) <= sum(line.indented for line in lines) < len(lines),
    )


def _wrap_width(lines: Sequence[SourceLine]) -> int | None:
    """The width of a hard wrap: many lines of (nearly) the same length, hardly
    any longer, and most of them cut in the middle of a sentence (a wrap falls
    anywhere, a paragraph end does not)."""
    counts = Counter(len(line.text) for line in lines if len(line.text) >= 15)
    if not counts:
        return None
    width, hits = max(
        ((w, counts[w - 1] + counts[w] + counts[w + 1]) for w in counts),
        key=lambda c: (c[1], c[0]),
    )
    if hits < max(4, 0.3 * len(lines)):
        return None
    if sum(len(line.text) > width + 2 for line in lines) > 0.1 * len(lines):
        return None  # paragraphs longer than the "wrap": one paragraph per line
    full = [line.text for line in lines if abs(len(line.text) - width) <= 1]
    cut = sum(not ends_terminal(text) for text in full)
    return width if cut >= 0.5 * len(full) else None


def _heading_like(text: str) -> bool:
    """A line that may end without punctuation because it is a heading, a title or a name."""
    label, rest = read_label(text)
    if label is not None:
        # "（一）创新主体不断壮大。全年新认定……总数达到" is a run-in paragraph cut short.
        return len(rest) <= HEADING_MAX and not any(c in HEADING_END for c in rest[:-1])
    if any(c in CLAUSE_END for c in text):
        # "注：……，不总是" is a sentence cut short, not a heading; a title may
        # still carry a comma ("……，……——XX镇2022年工作总结").
        return genre.is_weak_title(text) and len(text) <= 60
    return len(text) <= SHORT_LINE_MAX or genre.is_weak_title(text) or genre.SUBTITLE_RE.search(text) is not None


def _continues(prev: str, line: SourceLine, layout: Layout) -> bool:
    """Does ``line`` continue the paragraph whose text so far is ``prev``?"""
    text = line.text
    if is_label_only(prev):
        return True  # "一、" on its own line, its heading on the next
    if read_label(text)[0] is not None:
        return False
    if starts_non_initial(text) or ends_open(prev):
        return True
    if genre.parse_date_line(text):
        return False  # a date line stands alone (成文日期, or under the title)
    full = layout.wrap_width is not None and len(prev) >= layout.wrap_width - 2
    # A new paragraph shows by its indent, or by an empty line where empty lines separate paragraphs.
    new_paragraph = (layout.indents and line.indented) or (line.blank_before and layout.blank_separated)
    if ends_terminal(prev):
        # In hard-wrapped text a full line may end a sentence mid-paragraph.
        return full and not line.blank_before and not new_paragraph
    if full and not new_paragraph:
        return True
    if _heading_like(prev):
        return False
    # An unfinished sentence: a wrap inside a block, or a page break (removed
    # noise) in the middle of a paragraph. An empty line alone does not join
    # paragraphs when empty lines are how this text separates them.
    return line.noise_before or not (line.blank_before and layout.blank_separated)


def _seam(left: str, right: str) -> str:
    # Latin words broken across lines need their space back; CJK text does not.
    return " " if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum() else ""


def join_lines(lines: Iterable[SourceLine], layout: Layout) -> list[Para]:
    paras: list[Para] = []
    for line in lines:
        if paras and not line.starts_report and _continues(paras[-1].text, line, layout):
            prev = paras[-1]
            paras[-1] = Para(prev.first, line.no, prev.text + _seam(prev.text, line.text) + line.text, prev.starts_report)
        else:
            paras.append(Para(line.no, line.no, line.text, line.starts_report))
    return paras
