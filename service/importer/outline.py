"""Headings → nested sections, levels decided by nesting in this document.

A label family takes the level at which it first appears under its parent:
"1." directly under "一、" is the second level, not the third. A family
already open keeps its level (a new "（二）" closes the "1." under "（一）").
Only when the document does not say — a family appearing for the first time
while a deeper-by-convention family is open — does the convention
(一、 > （一） > 1. > （1） > ①) decide. An unlabelled part heading
("2013年工作回顾") sits above every labelled family; an unlabelled heading
inside a labelled section ("sub") sits below whatever is open.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .. import numbering
from . import genre
from .labels import RANK, Label
from .result import ImportWarning

Section = dict[str, Any]


@dataclass(slots=True)
class _Open:
    kind: str
    section: Section
    last_child: dict[str, Label] = field(default_factory=dict)  # per label family


@lru_cache(maxsize=8)
def _printed_kind(level: int) -> str | None:
    return numbering.label_kind(numbering.label(level, 1))


class Outline:
    def __init__(self, unit: str = "行") -> None:
        self.unit = unit  # how warnings count positions: 行 (text) or 段 (.docx)
        self.preamble: list[str] = []
        self.sections: list[Section] = []
        self.warnings: list[ImportWarning] = []
        self.first_labelled_kind: str | None = None
        self.part_count = 0
        self.numbered_parts = 0  # parts typed "第一部分……"
        self._style_warned: set[tuple[str, str]] = set()
        self._stack: list[_Open] = []
        self._root_last_child: dict[str, Label] = {}

    @property
    def has_parts(self) -> bool:
        return self.part_count > 0

    def warn(self, message: str, line: int | None, code: str) -> None:
        self.warnings.append(ImportWarning(message, line, code))

    def level_for(self, kind: str) -> int:
        kinds = [o.kind for o in self._stack]
        if kind in kinds:
            return kinds.index(kind) + 1
        depth = len(kinds)
        while depth and RANK[kinds[depth - 1]] > RANK[kind]:
            depth -= 1
        return depth + 1

    def add_heading(self, kind: str, label: Label | None, heading: str, body: str, line: int) -> bool:
        """Open a section; False (and nothing changed) when it would be deeper than four levels."""
        level = self.level_for(kind)
        if level > numbering.MAX_LEVELS + (1 if self.has_parts else 0):
            return False
        if self.has_parts and kind != "part" and level == 1:
            return False  # below the parts or not at all: parts are all or none
        del self._stack[level - 1 :]
        if kind == "part":
            self.part_count += 1
        if label is not None:
            self._check_style(label, level - 1 if self.has_parts else level, line)
            if self.first_labelled_kind is None:
                self.first_labelled_kind = kind
            last = self._stack[-1].last_child if self._stack else self._root_last_child
            self._check_sequence(last.get(kind), label, line)
            last[kind] = label
        section: Section = {"heading": heading, "run_in": bool(body), "paragraphs": [body] if body else [], "sections": []}
        if kind == "part":
            section = {"part": True, **section}
        siblings = self._stack[-1].section["sections"] if self._stack else self.sections
        siblings.append(section)
        self._stack.append(_Open(kind, section))
        return True

    def add_paragraph(self, text: str) -> None:
        (self._stack[-1].section["paragraphs"] if self._stack else self.preamble).append(text)

    def take_closing(self) -> list[str]:
        """The closing: trailing paragraphs of the last section from a closing formula on.

        The last section keeps at least its first paragraph, so a section
        "下一步打算" whose only text begins "下一步，…" keeps it.
        """
        if not self.sections:
            return []
        owner = self.sections[-1]
        while owner["sections"]:
            owner = owner["sections"][-1]
        paragraphs: list[str] = owner["paragraphs"]
        for i in range(1, len(paragraphs)):
            if genre.CLOSING_RE.match(paragraphs[i]):
                closing = paragraphs[i:]
                del paragraphs[i:]
                return closing
        return []

    def _check_style(self, label: Label, level: int, line: int) -> None:
        """A label family printed in the standard style of its level: said once per family."""
        wanted = _printed_kind(level)
        family = "cn_paren" if label.kind == "cn_rparen" else "num_paren" if label.kind == "num_rparen" else label.kind
        if wanted is None or family == wanted or (family, wanted) in self._style_warned:
            return
        printed = numbering.label(level, 1)
        self._style_warned.add((family, wanted))
        self.warn(
            f"第{numbering.chinese_number(level)}级标题原文写作“{label.shown}”，已按公文格式改用“{printed}”的写法（第几项不变）",
            line,
            "label_style",
        )

    def _check_sequence(self, previous: Label | None, label: Label, line: int) -> None:
        # The engine numbers by position: a gap or a repeat in the source would
        # change an ordinal, so each is said where it is.
        if previous is None:
            if label.value != 1:
                self.warn(f"序号不连续：第一个序号是“{label.shown}”，排版后从 1 起编号", line, "sequence")
        elif label.value == previous.value:
            self.warn(f"序号重复：“{previous.shown}”之后又是“{label.shown}”，排版后按顺序编号", line, "sequence")
        elif label.value != previous.value + 1:
            self.warn(f"序号不连续：“{previous.shown}”之后是“{label.shown}”，排版后按顺序编号", line, "sequence")
