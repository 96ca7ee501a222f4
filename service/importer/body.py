"""The plain-text body of the no-JavaScript form: labelled lines → sections.

Part of the importer's public API (``service.importer.parse_body``): it uses
the importer's own label, nesting and run-in rules, but guesses nothing else.
"""
from __future__ import annotations

from typing import Any

from .. import numbering
from .headings import split_heading
from .labels import RANK, read_label
from .outline import Outline
from .structure import part_label


def numbered_lines(text: str) -> list[tuple[int, str]]:
    """Non-blank lines with their 1-based line numbers."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [(n, line.strip()) for n, line in enumerate(lines, start=1) if line.strip()]


def parse_body(
    text: str, origins: dict[str, tuple[str, int]], lead_start: int = 0
) -> tuple[list[dict[str, Any]], list[str]]:
    """Sections from the plain-text body, plus the lines before the first heading
    (opening text, which joins ``preamble`` from index ``lead_start``).

    Each non-blank line is one paragraph. A line starting with a label is a
    heading, read by the importer's own rules (:mod:`service.importer`):
    every label form people type (一、 （一） 1. （1） ① and also 1） （一）、),
    levels decided by nesting in this text (a family keeps the level at which
    it first appeared, so （1） right under 一、 nests one level down, never
    deeper), and a run-in heading cut off its body at the first sentence end
    (also a colon) or where a body sentence visibly starts. Unlike a full
    import, nothing else is guessed: the person typing decides which lines
    are headings, so an unlabelled line is always body text. A line that is
    only a label stays a heading with no words, so the form can point at it;
    a labelled line that cannot be a heading (a fifth level, more than a
    heading can hold) stays body text, unchanged.
    """
    outline = Outline("行")
    # (section, its JSON Pointer) from level 1 down to the open section; mirrors the outline.
    stack: list[tuple[dict[str, Any], str]] = []
    lines = numbered_lines(text)
    labels = [read_label(line) for _, line in lines]
    for i, (lineno, line) in enumerate(lines):
        label, rest = labels[i]
        part = part_label(line) if label is None else None
        # "第一部分　2023年工作回顾": a part; 一、 restarts under it.
        if part is not None and outline.add_heading("part", None, part[1] or line, "", lineno):
            stack[:] = [(outline.sections[-1], f"/sections/{len(outline.sections) - 1}")]
            origins[stack[0][1]] = ("body", lineno)
            continue
        heading: tuple[str, str] | None = None
        if label is not None:
            if not rest.strip():
                heading = ("", "")
            else:
                nxt = labels[i + 1][0] if i + 1 < len(lines) else None
                leads_in = nxt is not None and RANK[nxt.kind] > RANK[label.kind]
                split = split_heading(rest, leads_in)
                # A heading that still starts with a label would lose it in the model.
                if split is not None and split.heading and not numbering.split_label(split.heading)[0]:
                    heading = (split.heading, split.body)
        if label is not None and heading is not None:
            level = outline.level_for(label.kind)
            if outline.add_heading(label.kind, label, heading[0], heading[1], lineno):
                del stack[level - 1 :]
                parent, parent_pointer = (stack[-1][0]["sections"], stack[-1][1]) if stack else (outline.sections, "")
                pointer = f"{parent_pointer}/sections/{len(parent) - 1}"
                stack.append((parent[-1], pointer))
                origins[pointer] = ("body", lineno)
                if heading[1]:
                    origins[f"{pointer}/paragraphs/0"] = ("body", lineno)
                continue
        outline.add_paragraph(line)
        if stack:
            node, pointer = stack[-1]
            origins[f"{pointer}/paragraphs/{len(node['paragraphs']) - 1}"] = ("body", lineno)
        else:
            origins[f"/preamble/{lead_start + len(outline.preamble) - 1}"] = ("body", lineno)
    return outline.sections, outline.preamble
