"""Page numbers: present, "— N —", 4号宋体, odd pages right and even pages left,
each one character in from the text block's edge."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from lxml import etree

from ...ooxml.reader import ParagraphFormat, RunFormat, run_text, w
from ...docx.xml import R_NS
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


@dataclass
class _Field:
    instruction: str = ""
    in_result: bool = False
    number_written: bool = False

    @property
    def is_page(self) -> bool:
        return bool(PAGE_FIELD_RE.match(self.instruction))


def _field_text(p: etree._Element) -> tuple[str, str, bool]:
    """(shown text, text with the PAGE number as PLACEHOLDER, has a PAGE field).

    Reads complex fields (fldChar begin / instrText / separate / end) and
    simple ones (w:fldSimple); the number shown is the cached result.
    """
    shown: list[str] = []
    pattern: list[str] = []
    stack: list[_Field] = []
    has_page = False
    inside_simple: set[etree._Element] = set()
    for el in p.iter(w("r"), w("fldSimple")):
        if el.tag == w("fldSimple"):
            result = "".join(run_text(r) for r in el.iter(w("r")))
            inside_simple.update(el.iter(w("r")))
            shown.append(result)
            is_page = bool(PAGE_FIELD_RE.match(el.get(w("instr"), "")))
            has_page = has_page or is_page
            pattern.append(PLACEHOLDER if is_page else result)
            continue
        if el in inside_simple:
            continue
        fld = el.find(w("fldChar"))
        if fld is not None:
            kind = fld.get(w("fldCharType"))
            if kind == "begin":
                stack.append(_Field())
            elif kind == "separate" and stack:
                stack[-1].in_result = True
            elif kind == "end" and stack:
                done = stack.pop()
                if done.is_page:
                    has_page = True
                    if not done.number_written and not stack:
                        pattern.append(PLACEHOLDER)  # a field without a cached number
            continue
        instr = el.find(w("instrText"))
        if instr is not None:
            if stack:
                stack[-1].instruction += instr.text or ""
            continue
        text = run_text(el)
        if not text or (stack and not stack[-1].in_result):
            continue
        shown.append(text)
        page = next((f for f in stack if f.in_result and f.is_page), None)
        if page is None:
            pattern.append(text)
        elif not page.number_written:
            pattern.append(PLACEHOLDER)
            page.number_written = True
    return "".join(shown), "".join(pattern), has_page


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


def _page_number_paragraphs(doc: LintDocument) -> list[PageNumberParagraph]:
    """Paragraphs of the footers (and headers) that hold a PAGE field."""
    cached = doc.cache.get("page_numbers")
    if cached is not None:
        return cached  # type: ignore[return-value]
    out = []
    for tag, in_header in (("footerReference", False), ("headerReference", True)):
        for kind, rid, root in _parts(doc, tag):
            for p in root.iter(w("p")):
                shown, pattern, has_page = _field_text(p)
                if not has_page:
                    continue
                runs = [(run_text(r), doc.fmt.run_format(p, r)) for r in p.iter(w("r"))]
                out.append(PageNumberParagraph(kind, rid, shown, pattern, doc.fmt.paragraph_format(p), runs, in_header))
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


def _face(doc: LintDocument, fmt: RunFormat) -> str | None:
    theme = fmt.theme_fonts.get("eastAsia")
    return (doc.fmt.theme_font(theme) or theme) if theme else fmt.east_asia_font


def check_font(doc: LintDocument) -> Iterator[Issue]:
    faults: dict[str, str] = {}
    for pn in _page_number_paragraphs(doc):
        for text, fmt in pn.runs:
            if not text.strip():
                continue
            face = _face(doc, fmt)
            if family(face) not in role_families("page_number"):
                faults.setdefault("font", f"字体为“{face}”" if face else "未指定中文字体")
            if fmt.size_half_points != P.page_number_size_half_points:
                faults.setdefault("size", f"字号为 {pt(fmt.size_pt)} 磅")
    if faults:
        yield Issue(
            f"页码应为 4 号（{pt(P.page_number_size_pt)} 磅）宋体（{role_font_names('page_number')}），此处{'，'.join(faults.values())}。",
            None,
            next((pn.text.strip() for pn in _page_number_paragraphs(doc)), ""),
        )


def _side(fmt: ParagraphFormat) -> tuple[str, int]:
    """Where a footer paragraph puts its text, and its inset from that edge."""
    jc = fmt.jc or "left"
    if jc == "center":
        return "center", 0
    if jc in ("right", "end"):
        return "right", fmt.right_twips
    return "left", fmt.left_twips + fmt.first_line_twips - fmt.hanging_twips


def _inset_ok(inset: int) -> bool:
    return abs(inset - P.page_number_inset_twips) <= INSET_TOLERANCE_TWIPS


_SIDE_NAMES = {"left": "左侧", "right": "右侧", "center": "居中"}


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
        side, _ = _side(odd.format)
        if side == "center":
            return []
        return [f"所有页的页码都在{_SIDE_NAMES[side]}：单页码应居右、双页码应居左，需要在“页面设置→版式”中勾选“奇偶页不同”并分别设置页脚（或者统一居中）"]
    faults = []
    if odd is None:
        faults.append("单页没有页码")
    if even is None:
        faults.append("设置了“奇偶页不同”，但没有偶数页页脚，双页没有页码")
    if odd is None or even is None:
        return faults
    (odd_side, odd_inset), (even_side, even_inset) = _side(odd.format), _side(even.format)
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
    if footers and not _placement_faults(doc) and all(_side(pn.format)[0] == "center" for pn in footers):
        yield Issue("页码居中：这是部分单位的做法；GB/T 9704 为单页码居右、双页码居左（各空一字）。", None, footers[0].text.strip())
