"""Effective formatting of paragraphs and runs in any .docx.

Word resolves a run's formatting from document defaults, then the paragraph
style and its based-on chain, then the run's character style chain, then
the run's own properties. This module does the same with lxml, so tests and
the checker judge what a reader will actually see, not what one element says.

It also renders the labels of Word's native list numbering (numbering.xml:
``chineseCounting`` with ``%1、`` and the like), because a paragraph numbered
that way shows a label that is in no ``w:t`` of the document, and reads the
section properties, footers, settings and theme a checker needs.
"""
from __future__ import annotations

import copy
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Iterator, Mapping

from lxml import etree

from ..numbering import chinese_number
from .vocab import A_NS as _A_NS, MC_NS, PKG_REL_NS as _PKG_REL_NS, REL_BASE as _REL_BASE, W, W_NS, XML_PARSER, parse_xml, w

_FONT_SLOTS = ("ascii", "eastAsia", "hAnsi", "cs")
_THEME_SLOTS = ("asciiTheme", "eastAsiaTheme", "hAnsiTheme", "cstheme")

def _on(el: etree._Element | None) -> bool | None:
    """A toggle property (``w:b``): present means on unless w:val says off."""
    if el is None:
        return None
    return el.get(w("val"), "true") not in ("0", "false", "off")


def _int(value: str | None, default: int = 0) -> int:
    """Integer attributes as Word writes them; some writers put "567.0" or junk."""
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        try:
            return int(float(value))
        except (ValueError, OverflowError):  # "inf", "1e999", "nan"
            return default


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

    def copy(self) -> "RunFormat":
        return RunFormat(dict(self.fonts), dict(self.theme_fonts), self.size_half_points, self.bold, self.condense_twips, self.color)

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
            self.size_half_points = _int(sz.get(w("val")), self.size_half_points or 0)
        bold = _on(rpr.find(w("b")))
        if bold is not None:
            self.bold = bold
        spacing = rpr.find(w("spacing"))
        if spacing is not None:
            self.condense_twips = _int(spacing.get(w("val"), "0"))
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
    # Indents in hundredths of a character (w:firstLineChars="200"): Word
    # uses them instead of the twips when present.
    first_line_chars: int | None = None
    hanging_chars: int | None = None
    jc: str | None = None
    outline_level: int | None = None
    widow_control: bool | None = None
    num_id: int | None = None
    num_level: int | None = None

    def copy(self) -> "ParagraphFormat":
        return copy.copy(self)

    def apply(self, ppr: etree._Element | None) -> None:
        if ppr is None:
            return
        spacing = ppr.find(w("spacing"))
        if spacing is not None:
            if spacing.get(w("line")) is not None:
                self.line_twips = _int(spacing.get(w("line")))
                self.line_rule = spacing.get(w("lineRule"), "auto")
            if spacing.get(w("before")) is not None:
                self.before_twips = _int(spacing.get(w("before")))
            if spacing.get(w("after")) is not None:
                self.after_twips = _int(spacing.get(w("after")))
        ind = ppr.find(w("ind"))
        if ind is not None:
            for attr, name in (("left", "left_twips"), ("start", "left_twips"), ("right", "right_twips"), ("end", "right_twips")):
                if ind.get(w(attr)) is not None:
                    setattr(self, name, _int(ind.get(w(attr))))
            if ind.get(w("firstLine")) is not None:
                self.first_line_twips, self.hanging_twips = _int(ind.get(w("firstLine"))), 0
                self.hanging_chars = None
            if ind.get(w("hanging")) is not None:
                self.hanging_twips, self.first_line_twips = _int(ind.get(w("hanging"))), 0
                self.first_line_chars = None
            if ind.get(w("firstLineChars")) is not None:
                self.first_line_chars, self.hanging_chars = _int(ind.get(w("firstLineChars"))), None
            if ind.get(w("hangingChars")) is not None:
                self.hanging_chars, self.first_line_chars = _int(ind.get(w("hangingChars"))), None
        jc = ppr.find(w("jc"))
        if jc is not None:
            self.jc = jc.get(w("val"))
        outline = ppr.find(w("outlineLvl"))
        if outline is not None:
            self.outline_level = _int(outline.get(w("val")))
        widow = ppr.find(w("widowControl"))
        if widow is not None:
            self.widow_control = _on(widow)
        num = ppr.find(w("numPr"))
        if num is not None:
            ilvl, num_id = num.find(w("ilvl")), num.find(w("numId"))
            if num_id is not None:
                self.num_id = _int(num_id.get(w("val")))
            if ilvl is not None:
                self.num_level = _int(ilvl.get(w("val")))


@dataclass
class RunInfo:
    text: str
    format: RunFormat
    char_style: str | None = None


@dataclass
class ParagraphInfo:
    index: int
    text: str  # the runs' text; a native list label is in ``label``, not here
    format: ParagraphFormat
    runs: list[RunInfo]
    label: str = ""  # the label Word's list numbering draws ("一、", "（二）"), suffix excluded
    label_suffix: str = ""  # "\t", " " or "" (w:suff)
    label_format: RunFormat | None = None
    in_table: bool = False
    in_textbox: bool = False
    # In the VML copy Word keeps of a text box (mc:Fallback): the same text again.
    in_fallback: bool = False
    element: etree._Element | None = field(default=None, repr=False, compare=False)


# ---------------------------------------------------------------------------
# Native list numbering (numbering.xml)

_TEN_STEMS = "甲乙丙丁戊己庚辛壬癸"
_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
_LEGAL = str.maketrans("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟")
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


MAX_LIST_START = 32767  # Word's own limit for w:start and w:startOverride


def _list_start(value: str | None) -> int:
    """A list level's start, within Word's limits: "1e12" would otherwise make
    roman numerals or letters take minutes and gigabytes to write."""
    return min(max(_int(value, 1) if value is not None else 1, 0), MAX_LIST_START)


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word repeats the letter: 27 → AA, 28 → BB.
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, num_fmt: str) -> str:
    """One counter as Word's w:numFmt draws it (decimal, chineseCounting, …)."""
    if num_fmt == "none":
        return ""
    if n <= 0:
        return str(n)
    if num_fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting", "ideographDigital"):
        return chinese_number(n)
    if num_fmt == "chineseLegalSimplified":
        return chinese_number(n).translate(_LEGAL)
    if num_fmt in ("ideographTraditional",) and n <= len(_TEN_STEMS):
        return _TEN_STEMS[n - 1]
    if num_fmt in ("ideographZodiac",) and n <= len(_ZODIAC):
        return _ZODIAC[n - 1]
    if num_fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(d) - ord("0") + 0xFF10) for d in str(n))
    if num_fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and n <= 20:
        return chr(0x2460 + n - 1)
    if num_fmt == "decimalEnclosedParen" and n <= 20:
        return chr(0x2474 + n - 1)
    if num_fmt == "decimalEnclosedFullstop" and n <= 20:
        return chr(0x2488 + n - 1)
    if num_fmt == "decimalZero":
        return f"{n:02d}"
    if num_fmt == "upperLetter":
        return _letters(n)
    if num_fmt == "lowerLetter":
        return _letters(n).lower()
    if num_fmt == "upperRoman":
        return _roman(n)
    if num_fmt == "lowerRoman":
        return _roman(n).lower()
    return str(n)


@dataclass(frozen=True)
class ListLevel:
    start: int
    num_fmt: str
    text: str  # w:lvlText, e.g. "%1、"
    suffix: str  # drawn after the label
    is_legal: bool
    restart: int | None  # w:lvlRestart; None = after any higher level
    ppr: etree._Element | None = field(repr=False, compare=False)
    rpr: etree._Element | None = field(repr=False, compare=False)


def _list_level(lvl: etree._Element) -> ListLevel:
    def val(tag: str) -> str | None:
        el = lvl.find(w(tag))
        return None if el is None else el.get(w("val"))

    suff = val("suff") or "tab"
    restart = val("lvlRestart")
    return ListLevel(
        start=_list_start(val("start")),
        num_fmt=val("numFmt") or "decimal",
        text=val("lvlText") or "",
        suffix={"tab": "\t", "space": " "}.get(suff, ""),
        is_legal=_on(lvl.find(w("isLgl"))) or False,
        restart=None if restart is None else _int(restart),
        ppr=lvl.find(w("pPr")),
        rpr=lvl.find(w("rPr")),
    )


class NumberingDefinitions:
    """numbering.xml: list instances (w:num) and their abstract definitions."""

    def __init__(self, root: etree._Element | None, styles: Mapping[str, etree._Element]):
        self._abstract: dict[int, dict[int, ListLevel]] = {}
        self._abstract_link: dict[int, str] = {}  # abstractNumId → numStyleLink
        self._style_abstract: dict[str, int] = {}  # numbering style id → abstractNumId (w:styleLink)
        self._num_abstract: dict[int, int] = {}
        self._num_overrides: dict[int, dict[int, ListLevel]] = {}
        self._num_starts: dict[int, dict[int, int]] = {}
        self._styles = styles
        if root is None:
            return
        for an in root.iter(w("abstractNum")):
            aid = _int(an.get(w("abstractNumId")), -1)
            self._abstract[aid] = {_int(l.get(w("ilvl"))): _list_level(l) for l in an.findall(w("lvl"))}
            link = an.find(w("numStyleLink"))
            if link is not None:
                self._abstract_link[aid] = link.get(w("val"), "")
            slink = an.find(w("styleLink"))
            if slink is not None:
                self._style_abstract[slink.get(w("val"), "")] = aid
        for num in root.iter(w("num")):
            nid = _int(num.get(w("numId")), -1)
            ref = num.find(w("abstractNumId"))
            if ref is None:
                continue
            self._num_abstract[nid] = _int(ref.get(w("val")), -1)
            for ov in num.findall(w("lvlOverride")):
                ilvl = _int(ov.get(w("ilvl")))
                start = ov.find(w("startOverride"))
                if start is not None:
                    self._num_starts.setdefault(nid, {})[ilvl] = _list_start(start.get(w("val")))
                lvl = ov.find(w("lvl"))
                if lvl is not None:
                    self._num_overrides.setdefault(nid, {})[ilvl] = _list_level(lvl)

    def abstract_id(self, num_id: int) -> int | None:
        aid = self._num_abstract.get(num_id)
        # A definition that only links to a numbering style takes that style's list.
        for _ in range(3):
            if aid is None or aid not in self._abstract_link:
                break
            style = self._styles.get(self._abstract_link[aid])
            linked = self._style_abstract.get(self._abstract_link[aid])
            if linked is not None and linked != aid:
                aid = linked
                continue
            num_pr = style.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}") if style is not None else None
            aid = self._num_abstract.get(_int(num_pr.get(w("val")))) if num_pr is not None else None
        return aid

    def level(self, num_id: int, ilvl: int) -> ListLevel | None:
        override = self._num_overrides.get(num_id, {}).get(ilvl)
        if override is not None:
            return override
        aid = self.abstract_id(num_id)
        return None if aid is None else self._abstract.get(aid, {}).get(ilvl)

    def levels(self, num_id: int) -> dict[int, ListLevel]:
        aid = self.abstract_id(num_id)
        out = dict(self._abstract.get(aid, {})) if aid is not None else {}
        out.update(self._num_overrides.get(num_id, {}))
        return out

    def start_override(self, num_id: int, ilvl: int) -> int | None:
        return self._num_starts.get(num_id, {}).get(ilvl)

    def restarts(self, num_id: int) -> bool:
        """Whether this list instance restarts some level (w:startOverride)."""
        return bool(self._num_starts.get(num_id))


class ListCounter:
    """Counts list items in document order and renders their labels.

    Instances of one abstract list share their counters (Word continues the
    numbering) unless an instance restarts a level with w:startOverride.
    """

    def __init__(self, defs: NumberingDefinitions):
        self._defs = defs
        self._counters: dict[tuple[int, int | None], dict[int, int]] = {}
        self._started: set[tuple[int, int]] = set()

    def next_label(self, num_id: int, ilvl: int) -> tuple[str, ListLevel] | None:
        level = self._defs.level(num_id, ilvl)
        aid = self._defs.abstract_id(num_id)
        if level is None or aid is None:
            return None
        levels = self._defs.levels(num_id)
        key = (aid, num_id if self._defs.restarts(num_id) else None)
        counters = self._counters.setdefault(key, {})
        override = self._defs.start_override(num_id, ilvl)
        if override is not None and (num_id, ilvl) not in self._started:
            self._started.add((num_id, ilvl))
            counters[ilvl] = override
        elif ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = level.start
        for deeper in [k for k in counters if k > ilvl]:
            deeper_level = levels.get(deeper)
            restart = deeper_level.restart if deeper_level is not None else None
            # w:lvlRestart="n": restart after a level-n item (1-based); 0: never.
            if restart is None or (restart != 0 and ilvl < restart):
                del counters[deeper]
        text = level.text
        for k in range(9):
            token = f"%{k + 1}"
            if token not in text:
                continue
            lvl_k = levels.get(k)
            value = counters.get(k, lvl_k.start if lvl_k else 1)
            fmt = "decimal" if (level.is_legal and k != ilvl) else (lvl_k.num_fmt if lvl_k else "decimal")
            text = text.replace(token, format_number(value, fmt))
        if level.num_fmt == "bullet":
            text = level.text
        return text, level


# ---------------------------------------------------------------------------
# The document


def _rels(data: bytes | None) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, target) of a .rels part."""
    if not data:
        return {}
    root = parse_xml(data)
    out = {}
    for rel in root.iter(f"{{{_PKG_REL_NS}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        out[rel.get("Id", "")] = (rel.get("Type", ""), rel.get("Target", ""))
    return out


def _resolve(base_dir: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base_dir, target))


def read_parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        return {name: zf.read(name) for name in zf.namelist() if not name.endswith("/")}


@dataclass
class SectionInfo:
    """One section: its w:sectPr and the paragraph that ends it (None: the last section)."""

    element: etree._Element
    paragraph_index: int | None


class DocxFormatting:
    """Styles and body of a .docx, with effective formatting resolved.

    ``docx`` is the file's bytes or its parts already read (name → bytes).
    """

    def __init__(self, docx: bytes | Mapping[str, bytes]):
        parts = read_parts(docx) if isinstance(docx, (bytes, bytearray)) else docx
        self._parts = parts
        self.document_part = self._main_part_name(parts)
        self.document = parse_xml(parts[self.document_part])
        self._doc_dir = posixpath.dirname(self.document_part)
        rels_name = posixpath.join(self._doc_dir, "_rels", posixpath.basename(self.document_part) + ".rels")
        self._doc_rels = _rels(parts.get(rels_name))
        self.styles = self._related_root("styles", "word/styles.xml")
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
        self._default_rpr = self._defaults("rPr")
        self._default_ppr = self._defaults("pPr")
        self._run_base: dict[tuple[str | None, str | None], RunFormat] = {}
        self._para_base: dict[str | None, ParagraphFormat] = {}
        self._numbering_root = self._related_root("numbering", "word/numbering.xml")
        self.numbering = NumberingDefinitions(self._numbering_root, self._styles)
        self.settings = self._related_root("settings", "word/settings.xml")
        self.theme = self._related_root("theme", "word/theme/theme1.xml")

    # -- parts ------------------------------------------------------------------
    @staticmethod
    def _main_part_name(parts: Mapping[str, bytes]) -> str:
        for rtype, target in _rels(parts.get("_rels/.rels")).values():
            if rtype.endswith("/officeDocument") and _resolve("", target) in parts:
                return _resolve("", target)
        return "word/document.xml"

    def _related_root(self, rel_type: str, fallback: str) -> etree._Element | None:
        name = next((_resolve(self._doc_dir, t) for rt, t in self._doc_rels.values() if rt == _REL_BASE + rel_type), None)
        name = name if name in self._parts else (fallback if fallback in self._parts else None)
        return parse_xml(self._parts[name]) if name else None

    def related_part(self, rel_id: str) -> etree._Element | None:
        """The part a relationship id of the main document points to (a footer, a header)."""
        rel = self._doc_rels.get(rel_id)
        if rel is None:
            return None
        name = _resolve(self._doc_dir, rel[1])
        return parse_xml(self._parts[name]) if name in self._parts else None

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

    def has_style(self, style_id: str) -> bool:
        return style_id in self._styles

    def _defaults(self, tag: str) -> etree._Element | None:
        if self.styles is None:
            return None
        return self.styles.find(f"{w('docDefaults')}/{w(tag + 'Default')}/{w(tag)}")

    # -- resolution ----------------------------------------------------------
    def paragraph_style_id(self, p: etree._Element) -> str | None:
        ps = p.find(f"{w('pPr')}/{w('pStyle')}")
        return ps.get(w("val")) if ps is not None else self.default_paragraph_style

    def _paragraph_base(self, style_id: str | None) -> ParagraphFormat:
        base = self._para_base.get(style_id)
        if base is None:
            base = ParagraphFormat(style_id=style_id)
            base.apply(self._default_ppr)
            for st in self.style_chain(style_id):
                base.apply(st.find(w("pPr")))
            self._para_base[style_id] = base
        return base.copy()

    def paragraph_format(self, p: etree._Element) -> ParagraphFormat:
        style_id = self.paragraph_style_id(p)
        fmt = self._paragraph_base(style_id)
        fmt.apply(p.find(w("pPr")))
        if fmt.num_id:
            level = self.numbering.level(fmt.num_id, fmt.num_level or 0)
            if level is not None and level.ppr is not None:
                # A list level's indents sit between the style and the paragraph's own.
                numbered = self._paragraph_base(style_id)
                numbered.apply(level.ppr)
                numbered.apply(p.find(w("pPr")))
                numbered.num_id, numbered.num_level = fmt.num_id, fmt.num_level
                fmt = numbered
        return fmt

    def _run_base_format(self, para_style: str | None, char_style: str | None) -> RunFormat:
        key = (para_style, char_style)
        base = self._run_base.get(key)
        if base is None:
            base = RunFormat()
            base.apply(self._default_rpr)
            for st in self.style_chain(para_style):
                base.apply(st.find(w("rPr")))
            for st in self.style_chain(char_style):
                base.apply(st.find(w("rPr")))
            self._run_base[key] = base
        return base.copy()

    def style_run_format(self, para_style: str | None, char_style: str | None = None) -> RunFormat:
        """What a run without direct formatting gets in a paragraph of ``para_style``."""
        return self._run_base_format(para_style, char_style)

    def run_format(self, p: etree._Element, r: etree._Element) -> RunFormat:
        rpr = r.find(w("rPr"))
        rstyle = rpr.find(w("rStyle")) if rpr is not None else None
        fmt = self._run_base_format(self.paragraph_style_id(p), rstyle.get(w("val")) if rstyle is not None else None)
        fmt.apply(rpr)
        return fmt

    def label_format(self, p: etree._Element, level: ListLevel) -> RunFormat:
        """A list label's formatting: the paragraph's, its mark's, then the level's."""
        fmt = self._run_base_format(self.paragraph_style_id(p), None)
        fmt.apply(p.find(f"{w('pPr')}/{w('rPr')}"))
        fmt.apply(level.rpr)
        return fmt

    def paragraphs(self) -> Iterator[ParagraphInfo]:
        """Body paragraphs in order (tables' and text boxes' paragraphs included), with their runs.

        A run belongs to the innermost paragraph around it, so the text of a
        text box is not counted twice.
        """
        body = self.document.find(w("body"))
        counter = ListCounter(self.numbering)
        for i, p in enumerate(body.iter(w("p"))):
            runs = [
                RunInfo(run_text(r), self.run_format(p, r), _char_style(r))
                for r in p.iter(w("r"))
                if _owner_paragraph(r) is p
            ]
            fmt = self.paragraph_format(p)
            info = ParagraphInfo(i, "".join(r.text for r in runs), fmt, runs, element=p)
            info.in_table, info.in_textbox, info.in_fallback = _containers(p)
            if fmt.num_id:
                rendered = counter.next_label(fmt.num_id, fmt.num_level or 0)
                if rendered is not None:
                    info.label, level = rendered
                    info.label_suffix = level.suffix if info.label else ""
                    info.label_format = self.label_format(p, level)
            yield info

    def section_properties(self) -> etree._Element | None:
        body = self.document.find(w("body"))
        return body.find(w("sectPr"))

    def sections(self) -> list[SectionInfo]:
        """Every section in order: those ended by a paragraph, then the body's last one."""
        body = self.document.find(w("body"))
        out = []
        for i, p in enumerate(body.iter(w("p"))):
            sect = p.find(f"{w('pPr')}/{w('sectPr')}")
            if sect is not None:
                out.append(SectionInfo(sect, i))
        last = body.find(w("sectPr"))
        if last is not None:
            out.append(SectionInfo(last, None))
        return out

    # -- notes and structure ----------------------------------------------------
    def notes(self) -> dict[tuple[str, str], str]:
        """Footnote and endnote texts: ("footnote" | "endnote", w:id) → text."""
        out: dict[tuple[str, str], str] = {}
        for kind in ("footnote", "endnote"):
            root = self._related_root(kind + "s", f"word/{kind}s.xml")
            if root is None:
                continue
            for note in root.iter(w(kind)):
                if note.get(w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                text = "".join(visible_text(p) for p in note.iter(w("p"))).strip()
                if text:
                    out[(kind, note.get(w("id"), ""))] = text
        return out

    def heading_level(self, fmt: ParagraphFormat) -> int | None:
        """1-9 for a paragraph Word treats as a heading (outline level, or a
        built-in heading style), None for body text."""
        if fmt.outline_level is not None and 0 <= fmt.outline_level < 9:
            return fmt.outline_level + 1
        name = (self.style_name(fmt.style_id) or "").strip().lower()
        match = _HEADING_STYLE_RE.match(name)
        return int(match.group(1)) if match else None

    def is_title_style(self, style_id: str | None) -> bool:
        """The built-in Title style (or a style based on it)."""
        return any(
            (self.style_name(st.get(w("styleId"))) or "").strip().lower() in ("title", "标题")
            for st in self.style_chain(style_id)
        )

    # -- settings and theme ------------------------------------------------------
    @property
    def even_and_odd_headers(self) -> bool:
        if self.settings is None:
            return False
        return bool(_on(self.settings.find(w("evenAndOddHeaders"))))

    def theme_font(self, theme_name: str) -> str | None:
        """The typeface a theme font reference (``minorEastAsia``…) stands for."""
        if self.theme is None:
            return None
        major = theme_name.startswith("major")
        scheme = self.theme.find(f".//{{{_A_NS}}}{'majorFont' if major else 'minorFont'}")
        if scheme is None:
            return None
        kind = theme_name[5:]
        tag = {"EastAsia": "ea", "Bidi": "cs"}.get(kind, "latin")
        el = scheme.find(f"{{{_A_NS}}}{tag}")
        face = el.get("typeface") if el is not None else None
        if not face and tag == "ea":
            # An empty ea typeface falls back to the script font for Simplified Chinese.
            hans = scheme.find(f"{{{_A_NS}}}font[@script='Hans']")
            face = hans.get("typeface") if hans is not None else None
        return face or None


def _char_style(r: etree._Element) -> str | None:
    rs = r.find(f"{w('rPr')}/{w('rStyle')}")
    return rs.get(w("val")) if rs is not None else None


_P, _TC, _TXBX = w("p"), w("tc"), w("txbxContent")
_MC_FALLBACK = f"{{{MC_NS}}}Fallback"


def _owner_paragraph(r: etree._Element) -> etree._Element | None:
    node = r.getparent()
    while node is not None and node.tag != _P:
        node = node.getparent()
    return node


def _containers(p: etree._Element) -> tuple[bool, bool, bool]:
    """Whether a paragraph is in a table, in a text box, in a text box's fallback copy."""
    in_table = in_textbox = in_fallback = False
    node = p.getparent()
    while node is not None:
        if node.tag == _TC:
            in_table = True
        elif node.tag == _TXBX:
            in_textbox = True
        elif node.tag == _MC_FALLBACK:
            in_fallback = True
        node = node.getparent()
    return in_table, in_textbox, in_fallback


_HEADING_STYLE_RE = re.compile(r"^(?:heading|标题)\s*([1-9])$")
_NOT_SHOWN = (w("del"), w("moveFrom"))


def visible_text(p: etree._Element, notes: Mapping[tuple[str, str], str] | None = None) -> str:
    """A paragraph's text as Word shows it: its own runs (not those of a text
    box inside it), tracked deletions left out; with ``notes``, each footnote
    or endnote reference is replaced by the note's text in brackets."""
    out = []
    for r in p.iter(w("r")):
        if _owner_paragraph(r) is not p or any(a.tag in _NOT_SHOWN for a in r.iterancestors()):
            continue
        out.append(run_text(r))
        if notes:
            for ref in r:
                if ref.tag in (w("footnoteReference"), w("endnoteReference")):
                    kind = "footnote" if ref.tag == w("footnoteReference") else "endnote"
                    text = notes.get((kind, ref.get(w("id"), "")))
                    if text:
                        out.append(f"（注：{text}）")
    return "".join(out)


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
