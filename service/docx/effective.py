"""Effective formatting of paragraphs and runs in any .docx.

Word resolves a run's formatting from document defaults, then the paragraph
style and its based-on chain, then the run's character style chain, then
the run's own properties. This module does the same with lxml, so tests and
the checker judge what a reader will actually see, not what one element says.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Iterator

from lxml import etree

from .xml import W_NS

W = f"{{{W_NS}}}"
_FONT_SLOTS = ("ascii", "eastAsia", "hAnsi", "cs")
_THEME_SLOTS = ("asciiTheme", "eastAsiaTheme", "hAnsiTheme", "cstheme")


def w(tag: str) -> str:
    return W + tag


def _on(el: etree._Element | None) -> bool | None:
    """A toggle property (``w:b``): present means on unless w:val says off."""
    if el is None:
        return None
    return el.get(w("val"), "true") not in ("0", "false", "off")


@dataclass
class RunFormat:
    fonts: dict[str, str] = field(default_factory=dict)
    theme_fonts: dict[str, str] = field(default_factory=dict)
    size_half_points: int | None = None
    bold: bool = False
    condense_twips: int = 0
    color: str | None = None

    @property
    def east_asia_font(self) -> str | None:
        return self.fonts.get("eastAsia")

    @property
    def size_pt(self) -> float | None:
        return None if self.size_half_points is None else self.size_half_points / 2

    def apply(self, rpr: etree._Element | None) -> None:
        if rpr is None:
            return
        fonts = rpr.find(w("rFonts"))
        if fonts is not None:
            for slot in _FONT_SLOTS:
                value = fonts.get(w(slot))
                if value is not None:
                    self.fonts[slot] = value
                    self.theme_fonts.pop(slot, None)
            for theme_slot, slot in zip(_THEME_SLOTS, _FONT_SLOTS):
                value = fonts.get(w(theme_slot))
                if value is not None:
                    # A theme font overrides the named font in the same slot.
                    self.theme_fonts[slot] = value
        sz = rpr.find(w("sz"))
        if sz is not None:
            self.size_half_points = int(sz.get(w("val")))
        bold = _on(rpr.find(w("b")))
        if bold is not None:
            self.bold = bold
        spacing = rpr.find(w("spacing"))
        if spacing is not None:
            self.condense_twips = int(spacing.get(w("val"), "0"))
        color = rpr.find(w("color"))
        if color is not None:
            self.color = color.get(w("val"))


@dataclass
class ParagraphFormat:
    style_id: str | None = None
    line_twips: int | None = None
    line_rule: str | None = None
    before_twips: int = 0
    after_twips: int = 0
    left_twips: int = 0
    right_twips: int = 0
    first_line_twips: int = 0
    hanging_twips: int = 0
    jc: str | None = None
    outline_level: int | None = None
    widow_control: bool | None = None
    num_id: int | None = None
    num_level: int | None = None

    def apply(self, ppr: etree._Element | None) -> None:
        if ppr is None:
            return
        spacing = ppr.find(w("spacing"))
        if spacing is not None:
            if spacing.get(w("line")) is not None:
                self.line_twips = int(spacing.get(w("line")))
                self.line_rule = spacing.get(w("lineRule"), "auto")
            if spacing.get(w("before")) is not None:
                self.before_twips = int(spacing.get(w("before")))
            if spacing.get(w("after")) is not None:
                self.after_twips = int(spacing.get(w("after")))
        ind = ppr.find(w("ind"))
        if ind is not None:
            for attr, name in (("left", "left_twips"), ("start", "left_twips"), ("right", "right_twips"), ("end", "right_twips")):
                if ind.get(w(attr)) is not None:
                    setattr(self, name, int(ind.get(w(attr))))
            if ind.get(w("firstLine")) is not None:
                self.first_line_twips, self.hanging_twips = int(ind.get(w("firstLine"))), 0
            if ind.get(w("hanging")) is not None:
                self.hanging_twips, self.first_line_twips = int(ind.get(w("hanging"))), 0
        jc = ppr.find(w("jc"))
        if jc is not None:
            self.jc = jc.get(w("val"))
        outline = ppr.find(w("outlineLvl"))
        if outline is not None:
            self.outline_level = int(outline.get(w("val")))
        widow = ppr.find(w("widowControl"))
        if widow is not None:
            self.widow_control = _on(widow)
        num = ppr.find(w("numPr"))
        if num is not None:
            ilvl, num_id = num.find(w("ilvl")), num.find(w("numId"))
            if num_id is not None:
                self.num_id = int(num_id.get(w("val")))
            if ilvl is not None:
                self.num_level = int(ilvl.get(w("val")))


@dataclass
class RunInfo:
    text: str
    format: RunFormat


@dataclass
class ParagraphInfo:
    index: int
    text: str
    format: ParagraphFormat
    runs: list[RunInfo]


class DocxFormatting:
    """Styles and body of a .docx, with effective formatting resolved."""

    def __init__(self, docx: bytes):
        with zipfile.ZipFile(io.BytesIO(docx)) as zf:
            names = set(zf.namelist())
            self.document = etree.fromstring(zf.read("word/document.xml"))
            self.styles = etree.fromstring(zf.read("word/styles.xml")) if "word/styles.xml" in names else None
        self._styles: dict[str, etree._Element] = {}
        self.default_paragraph_style: str | None = None
        self.default_character_style: str | None = None
        if self.styles is not None:
            for st in self.styles.iter(w("style")):
                sid = st.get(w("styleId"))
                self._styles[sid] = st
                if st.get(w("default")) in ("1", "true", "on"):
                    if st.get(w("type")) == "paragraph":
                        self.default_paragraph_style = sid
                    elif st.get(w("type")) == "character":
                        self.default_character_style = sid

    # -- styles ---------------------------------------------------------------
    def style_chain(self, style_id: str | None) -> list[etree._Element]:
        """The style and its based-on ancestors, ancestors first."""
        chain: list[etree._Element] = []
        seen: set[str] = set()
        while style_id and style_id in self._styles and style_id not in seen:
            seen.add(style_id)
            st = self._styles[style_id]
            chain.append(st)
            based = st.find(w("basedOn"))
            style_id = based.get(w("val")) if based is not None else None
        return list(reversed(chain))

    def style_name(self, style_id: str | None) -> str | None:
        st = self._styles.get(style_id or "")
        if st is None:
            return None
        name = st.find(w("name"))
        return name.get(w("val")) if name is not None else None

    def _defaults(self, tag: str) -> etree._Element | None:
        if self.styles is None:
            return None
        return self.styles.find(f"{w('docDefaults')}/{w(tag + 'Default')}/{w(tag)}")

    # -- resolution ----------------------------------------------------------
    def paragraph_style_id(self, p: etree._Element) -> str | None:
        ps = p.find(f"{w('pPr')}/{w('pStyle')}")
        return ps.get(w("val")) if ps is not None else self.default_paragraph_style

    def paragraph_format(self, p: etree._Element) -> ParagraphFormat:
        fmt = ParagraphFormat(style_id=self.paragraph_style_id(p))
        fmt.apply(self._defaults("pPr"))
        for st in self.style_chain(fmt.style_id):
            fmt.apply(st.find(w("pPr")))
        fmt.apply(p.find(w("pPr")))
        return fmt

    def run_format(self, p: etree._Element, r: etree._Element) -> RunFormat:
        fmt = RunFormat()
        fmt.apply(self._defaults("rPr"))
        for st in self.style_chain(self.paragraph_style_id(p)):
            fmt.apply(st.find(w("rPr")))
        rpr = r.find(w("rPr"))
        rstyle = rpr.find(w("rStyle")) if rpr is not None else None
        if rstyle is not None:
            for st in self.style_chain(rstyle.get(w("val"))):
                fmt.apply(st.find(w("rPr")))
        fmt.apply(rpr)
        return fmt

    def paragraphs(self) -> Iterator[ParagraphInfo]:
        """Body paragraphs in order (tables' paragraphs included), with their runs."""
        body = self.document.find(w("body"))
        for i, p in enumerate(body.iter(w("p"))):
            runs = [RunInfo(run_text(r), self.run_format(p, r)) for r in p.iter(w("r"))]
            yield ParagraphInfo(i, "".join(r.text for r in runs), self.paragraph_format(p), runs)

    def section_properties(self) -> etree._Element | None:
        body = self.document.find(w("body"))
        return body.find(w("sectPr"))


def run_text(r: etree._Element) -> str:
    out = []
    for child in r:
        if child.tag == w("t"):
            out.append(child.text or "")
        elif child.tag == w("tab"):
            out.append("\t")
        elif child.tag in (w("br"), w("cr")):
            out.append("\n")
    return "".join(out)
