"""Page numbers: present, "— N —", 4号宋体, odd pages right and even pages left,
each one character in from the text block's edge."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from lxml import etree

from ...ooxml.reader import ParagraphFormat, RunFormat, _containers, _owner_paragraph, run_text, w
from ...ooxml.vocab import R_NS, V_NS, WP_NS
from ...profile import PROFILE, TWIPS_PER_PT, mm_to_twips
from ..document import LintDocument
from ..families import family, role_families, role_font_names
from ..findings import Issue
from .common import pt

P = PROFILE
PAGE_FIELD_RE = re.compile(r"^\s*PAGE\b", re.IGNORECASE)
PLACEHOLDER = "\0"  # where the PAGE field's number goes
PAGE_NUMBER_FORM_RE = re.compile(rf"^{P.page_number_dash} ?{PLACEHOLDER} ?{P.page_number_dash}$")
INSET_TOLERANCE_TWIPS = mm_to_twips(P.margin_tolerance_mm)
_DASH_NAMES = {"-": "连字符“-”", "–": "半字线“–”", "－": "全角减号“－”", "―": "横线“―”", "─": "制表符“─”", "—": None}


@dataclass
class PageNumberParagraph:
    kind: str  # the footer's w:type: default (odd pages, or all), even, first
    part: str  # the footer's relationship id
    text: str  # as shown, with the cached page number
    pattern: str  # the text with the page number replaced by PLACEHOLDER
    format: ParagraphFormat
    runs: list[tuple[str, RunFormat]]
    in_header: bool = False
    # The formats the page number's digits are drawn in (the field's result, or
    # the field's own run when Word computes it without a cached result).
    number_formats: list[RunFormat] = field(default_factory=list)
    # Where a text box or frame puts it ("center", "outside", "left", "right"),
    # which wins over the paragraph's alignment; None: the paragraph decides.
    position: str | None = None


@dataclass
class _Field:
    instruction: str = ""
    in_result: bool = False
    number_written: bool = False
    run: etree._Element | None = None  # where the field begins

    @property
    def is_page(self) -> bool:
        return bool(PAGE_FIELD_RE.match(self.instruction))


@dataclass
class _FieldText:
    shown: list[str] = field(default_factory=list)
    pattern: list[str] = field(default_factory=list)
    has_page: bool = False
    number_runs: list[etree._Element] = field(default_factory=list)


def _own_items(p: etree._Element) -> Iterator[etree._Element]:
    """The paragraph's own runs and simple fields, in order (not those of a text box inside it)."""
    for el in p.iter(w("r"), w("fldSimple")):
        if _owner_paragraph(el) is p:
            yield el


def _field_text(p: etree._Element) -> tuple[str, str, bool, list[etree._Element]]:
    """(shown text, text with the PAGE number as PLACEHOLDER, has a PAGE field, runs drawing the number).

    Reads complex fields (fldChar begin / instrText / separate / end, also
    all in one run) and simple ones (w:fldSimple); the number shown is the
    cached result.
    """
    out = _FieldText()
    stack: list[_Field] = []
    inside_simple: set[etree._Element] = set()
    for el in _own_items(p):
        if el.tag == w("fldSimple"):
            runs = list(el.iter(w("r")))
            result = "".join(run_text(r) for r in runs)
            inside_simple.update(runs)
            out.shown.append(result)
            is_page = bool(PAGE_FIELD_RE.match(el.get(w("instr"), "")))
            out.has_page = out.has_page or is_page
            out.pattern.append(PLACEHOLDER if is_page else result)
            if is_page:
                out.number_runs.extend(runs)
            continue
        if el in inside_simple:
            continue
        for child in el:
            _field_step(child, el, stack, out)
    return "".join(out.shown), "".join(out.pattern), out.has_page, out.number_runs


def _field_step(child: etree._Element, run: etree._Element, stack: list[_Field], out: _FieldText) -> None:
    """One child of a run: a field character, an instruction, or text."""
    if child.tag == w("fldChar"):
        kind = child.get(w("fldCharType"))
        if kind == "begin":
            stack.append(_Field(run=run))
        elif kind == "separate" and stack:
            stack[-1].in_result = True
        elif kind == "end" and stack:
            done = stack.pop()
            if done.is_page:
                out.has_page = True
                if not done.number_written and not stack:
                    out.pattern.append(PLACEHOLDER)  # a field without a cached number: Word computes it
                    if done.run is not None:
                        out.number_runs.append(done.run)
        return
    if child.tag == w("instrText"):
        if stack:
            stack[-1].instruction += child.text or ""
        return
    text = _child_text(child)
    if not text or (stack and not stack[-1].in_result):
        return
    out.shown.append(text)
    page = next((f for f in stack if f.in_result and f.is_page), None)
    if page is None:
        out.pattern.append(text)
    else:
        out.number_runs.append(run)
        if not page.number_written:
            out.pattern.append(PLACEHOLDER)
            page.number_written = True


def _child_text(child: etree._Element) -> str:
    if child.tag == w("t"):
        return child.text or ""
    if child.tag == w("tab"):
        return "\t"
    if child.tag in (w("br"), w("cr")):
        return "\n"
    return ""


def _parts(doc: LintDocument, tag: str) -> list[tuple[str, str, etree._Element]]:
    """(type, relationship id, root) of every footer (or header) the sections refer to."""
    seen: dict[str, tuple[str, str, etree._Element]] = {}
    for section in doc.sections:
        for ref in section.element.findall(w(tag)):
            rid = ref.get(f"{{{R_NS}}}id", "")
            kind = ref.get(w("type"), "default")
            if rid in seen:
                continue
            root = doc.fmt.related_part(rid)
            if root is not None:
                seen[rid] = (kind, rid, root)
    return list(seen.values())


_VML_ALIGN_RE = re.compile(r"mso-position-horizontal:\s*(\w+)")


def _position(p: etree._Element) -> str | None:
    """Where a frame or a text box puts the paragraph across the page, if one does."""
    frame = p.find(f"{w('pPr')}/{w('framePr')}")
    if frame is not None and frame.get(w("xAlign")):
        return frame.get(w("xAlign"))
    for anc in p.iterancestors():
        if anc.tag == f"{{{WP_NS}}}anchor":
            align = anc.find(f"{{{WP_NS}}}positionH/{{{WP_NS}}}align")
            return align.text.strip() if align is not None and align.text else None
        if anc.tag.startswith(f"{{{V_NS}}}"):
            m = _VML_ALIGN_RE.search(anc.get("style", ""))
            if m:
                return m.group(1)
    return None


def _page_number_paragraphs(doc: LintDocument) -> list[PageNumberParagraph]:
    """Paragraphs of the footers (and headers) that hold a PAGE field.

    A text box is read once: WPS and Word keep a VML copy of it (mc:Fallback)
    that no one sees next to the drawing.
    """
    cached = doc.cache.get("page_numbers")
    if cached is not None:
        return cached  # type: ignore[return-value]
    out = []
    for tag, in_header in (("footerReference", False), ("headerReference", True)):
        for kind, rid, root in _parts(doc, tag):
            for p in root.iter(w("p")):
                if _containers(p)[2]:
                    continue  # the VML fallback copy of a text box
                shown, pattern, has_page, number_runs = _field_text(p)
                if not has_page:
                    continue
                runs = [(run_text(r), doc.fmt.run_format(p, r)) for r in p.iter(w("r")) if _owner_paragraph(r) is p]
                numbers = [doc.fmt.run_format(p, r) for r in number_runs]
                out.append(PageNumberParagraph(kind, rid, shown, pattern, doc.fmt.paragraph_format(p), runs, in_header,
                                               numbers, _position(p)))
    doc.cache["page_numbers"] = out
    return out


def _footer_numbers(doc: LintDocument) -> list[PageNumberParagraph]:
    return [p for p in _page_number_paragraphs(doc) if not p.in_header]


def check_missing(doc: LintDocument) -> Iterator[Issue]:
    if _page_number_paragraphs(doc):
        return
    yield Issue(
        f"没有页码。公文一般应在版心下方标注页码：4 号半角宋体阿拉伯数字，左右各放一条一字线（“{P.page_number_dash} 1 {P.page_number_dash}”）。"
        "只有一页的公文可不标页码。",
        None,
        "",
    )


def _dash_hint(pattern: str) -> str:
    wrong = [name for ch, name in _DASH_NAMES.items() if name and ch in pattern]
    return f"；此处用的是{'、'.join(wrong)}，应为一字线“{P.page_number_dash}”" if wrong else ""


def check_form(doc: LintDocument) -> Iterator[Issue]:
    reported: set[str] = set()
    for pn in _page_number_paragraphs(doc):
        pattern = pn.pattern.strip()
        if PAGE_NUMBER_FORM_RE.match(pattern) or pattern in reported:
            continue
        reported.add(pattern)
        shown = pn.text.strip() or "（只有页码域）"
        yield Issue(
            f"页码应为“{P.page_number_dash} 1 {P.page_number_dash}”的形式（数字左右各一条一字线），此处为“{shown}”{_dash_hint(pattern)}。",
            None,
            shown,
        )


def _face(doc: LintDocument, fmt: RunFormat, slot: str) -> str | None:
    theme = fmt.theme_fonts.get(slot)
    return (doc.fmt.theme_font(theme) or theme) if theme else fmt.fonts.get(slot)


def check_font(doc: LintDocument) -> Iterator[Issue]:
    """The digits are drawn in the run's ASCII font (the East Asian one draws
    only Chinese characters); the size applies to the whole number line."""
    faults: dict[str, str] = {}
    for pn in _page_number_paragraphs(doc):
        for fmt in pn.number_formats:
            face = _face(doc, fmt, "ascii")
            if family(face) not in role_families("page_number"):
                faults.setdefault("font", f"数字字体为“{face}”" if face else "数字未指定字体")
        sized = [fmt for text, fmt in pn.runs if text.strip()] + pn.number_formats
        for fmt in sized:
            if fmt.size_half_points != P.page_number_size_half_points:
                faults.setdefault("size", f"字号为 {pt(fmt.size_pt)} 磅")
    if faults:
        yield Issue(
            f"页码应为 4 号（{pt(P.page_number_size_pt)} 磅）宋体（{role_font_names('page_number')}）阿拉伯数字，此处{'，'.join(faults.values())}。",
            None,
            next((pn.text.strip() for pn in _page_number_paragraphs(doc)), ""),
        )


def _side(pn: PageNumberParagraph) -> tuple[str, int]:
    """Where a footer paragraph puts its text, and its inset from that edge."""
    fmt = pn.format
    if pn.position in ("center", "outside", "inside"):
        return pn.position, 0
    if pn.position in ("left", "right"):
        return pn.position, P.page_number_inset_twips  # a frame's offset is not judged
    jc = fmt.jc or "left"
    if jc == "center":
        return "center", 0
    if jc in ("right", "end"):
        return "right", fmt.right_twips
    return "left", fmt.left_twips + fmt.first_line_twips - fmt.hanging_twips


def _inset_ok(inset: int) -> bool:
    return abs(inset - P.page_number_inset_twips) <= INSET_TOLERANCE_TWIPS


_SIDE_NAMES = {"left": "左侧", "right": "右侧", "center": "居中", "inside": "内侧"}
# A frame aligned "outside" sits right on odd pages and left on even ones; "inside" the reverse.
_ODD_SIDE = {"outside": "right", "inside": "left"}
_EVEN_SIDE = {"outside": "left", "inside": "right"}


def _placement_faults(doc: LintDocument) -> list[str]:
    numbers = _page_number_paragraphs(doc)
    if not numbers:
        return []
    if all(pn.in_header for pn in numbers):
        return ["页码在页眉中，应在版心下方的页脚中"]
    footers = _footer_numbers(doc)
    odd = next((pn for pn in footers if pn.kind == "default"), None)
    even = next((pn for pn in footers if pn.kind == "even"), None)
    inset_mm = f"{P.page_number_inset_chars} 个字（{pt(P.page_number_inset_twips / TWIPS_PER_PT)} 磅）"
    if not doc.fmt.even_and_odd_headers:
        if odd is None:
            return ["只有首页有页码"] if footers else []
        side, _ = _side(odd)
        if side in ("center", "outside"):
            return []  # a frame aligned "outside": right on odd pages, left on even ones
        return [f"所有页的页码都在{_SIDE_NAMES[side]}：单页码应居右、双页码应居左，需要在“页面设置→版式”中勾选“奇偶页不同”并分别设置页脚（或者统一居中）"]
    faults = []
    if odd is None:
        faults.append("单页没有页码")
    if even is None:
        faults.append("设置了“奇偶页不同”，但没有偶数页页脚，双页没有页码")
    if odd is None or even is None:
        return faults
    (odd_side, odd_inset), (even_side, even_inset) = _side(odd), _side(even)
    if odd_side in _ODD_SIDE:
        odd_side, odd_inset = _ODD_SIDE[odd_side], P.page_number_inset_twips
    if even_side in _EVEN_SIDE:
        even_side, even_inset = _EVEN_SIDE[even_side], P.page_number_inset_twips
    if odd_side == even_side == "center":
        return []
    if odd_side != "right":
        faults.append(f"单页码应居右，此处{_SIDE_NAMES[odd_side]}")
    elif not _inset_ok(odd_inset):
        faults.append(f"单页码应右空 {inset_mm}，此处右缩进 {pt(odd_inset / TWIPS_PER_PT)} 磅")
    if even_side != "left":
        faults.append(f"双页码应居左，此处{_SIDE_NAMES[even_side]}")
    elif not _inset_ok(even_inset):
        faults.append(f"双页码应左空 {inset_mm}，此处左缩进 {pt(even_inset / TWIPS_PER_PT)} 磅")
    return faults


def check_placement(doc: LintDocument) -> Iterator[Issue]:
    faults = _placement_faults(doc)
    if faults:
        yield Issue(f"页码位置不对：{'；'.join(faults)}。", None, "")


def check_centred(doc: LintDocument) -> Iterator[Issue]:
    footers = _footer_numbers(doc)
    if footers and not _placement_faults(doc) and all(_side(pn)[0] == "center" for pn in footers):
        yield Issue("页码居中：这是部分单位的做法；GB/T 9704 为单页码居右、双页码居左（各空一字）。", None, footers[0].text.strip())


def check_first_page(doc: LintDocument) -> Iterator[Issue]:
    """"首页不同" without a first-page footer that numbers it: Word prints no number on page 1."""
    if not _footer_numbers(doc):
        return  # pagenum.missing says so
    numbered = {pn.part for pn in _footer_numbers(doc)}
    for section in doc.sections[:1]:
        title_pg = section.element.find(w("titlePg"))
        if title_pg is None or title_pg.get(w("val"), "true") in ("0", "false", "off"):
            return
        first = next((ref for ref in section.element.findall(w("footerReference")) if ref.get(w("type")) == "first"), None)
        if first is None or first.get(f"{{{R_NS}}}id", "") not in numbered:
            yield Issue("设置了“首页不同”，但首页页脚没有页码，Word 打印时第 1 页没有页码。公文首页也应标注页码："
                        "请取消“首页不同”，或在首页页脚中也插入页码。", None, "")
