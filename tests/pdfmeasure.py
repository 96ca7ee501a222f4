"""Measure a rendered PDF the way a person checks a printed page."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pymupdf

MM_PER_PT = 25.4 / 72


@dataclass
class Char:
    c: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    font: str


@dataclass
class Line:
    page: int  # 1-based
    baseline: float  # pt from the top of the page
    chars: list[Char]

    @property
    def text(self) -> str:
        return "".join(ch.c for ch in self.chars)

    @property
    def x0(self) -> float:
        return min(ch.x0 for ch in self.chars)

    @property
    def x1(self) -> float:
        return max(ch.x1 for ch in self.chars)

    @property
    def top(self) -> float:
        return min(ch.y0 for ch in self.chars)

    @property
    def visible(self) -> str:
        return "".join(ch.c for ch in self.chars if not ch.c.isspace())


@dataclass
class Page:
    number: int
    width_pt: float
    height_pt: float
    lines: list[Line]


def read_pages(pdf: Path | bytes) -> list[Page]:
    doc = pymupdf.open(stream=pdf, filetype="pdf") if isinstance(pdf, bytes) else pymupdf.open(pdf)
    pages = []
    for pno, page in enumerate(doc, start=1):
        by_baseline: dict[float, list[Char]] = {}
        for block in page.get_text("rawdict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    for ch in span["chars"]:
                        key = round(ch["origin"][1] * 2) / 2
                        by_baseline.setdefault(key, []).append(
                            Char(ch["c"], *ch["bbox"], span["size"], span["font"])
                        )
        lines = []
        for y in sorted(by_baseline):
            chars = sorted(by_baseline[y], key=lambda c: c.x0)
            if any(not c.c.isspace() for c in chars):
                lines.append(Line(pno, y, chars))
        pages.append(Page(pno, page.rect.width, page.rect.height, lines))
    doc.close()
    return pages


def mm(pt: float) -> float:
    return pt * MM_PER_PT
