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
from typing import Any

from .. import numbering
from . import genre
from .labels import RANK, Label

Section = dict[str, Any]


@dataclass(slots=True)
class _Open:
    kind: str
    section: Section
    last_child: dict[str, Label] = field(default_factory=dict)  # per label family


class Outline:
    def __init__(self, unit: str = "行") -> None:
        self.unit = unit  # how warnings count positions: 行 (text) or 段 (.docx)
        self.preamble: list[str] = []
        self.sections: list[Section] = []
        self.warnings: list[str] = []
        self.first_labelled_kind: str | None = None
        self._stack: list[_Open] = []
        self._root_last_child: dict[str, Label] = {}

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
        if level > numbering.MAX_LEVELS:
            return False
        del self._stack[level - 1 :]
        if label is not None:
            if self.first_labelled_kind is None:
                self.first_labelled_kind = kind
            last = self._stack[-1].last_child if self._stack else self._root_last_child
            self._check_sequence(last.get(kind), label, line)
            last[kind] = label
        section: Section = {"heading": heading, "run_in": bool(body), "paragraphs": [body] if body else [], "sections": []}
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

    def _check_sequence(self, previous: Label | None, label: Label, line: int) -> None:
        where = f"（第 {line} {self.unit}）"
        if previous is None:
            if label.value != 1:
                self.warnings.append(f"序号不连续：第一个序号是“{label.shown}”{where}")
        elif label.value == previous.value:
            self.warnings.append(f"序号重复：“{previous.shown}”之后又是“{label.shown}”{where}")
        elif label.value != previous.value + 1:
            self.warnings.append(f"序号不连续：“{previous.shown}”之后是“{label.shown}”{where}")
