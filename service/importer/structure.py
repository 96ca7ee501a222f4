"""Paragraphs → reports in the contract's JSON.

One text may hold several reports (a scraped page often does); each starts
at a report title or at a marker such as "篇二". Within a report the front
and back matter are read first, then every body paragraph is a heading (by
its label, or a short unlabelled part heading) or body text.
"""
from __future__ import annotations

import re
from typing import Any, Sequence

from .. import numbering
from ..model import MAX_PARAGRAPH_CHARS
from . import genre
from .chars import SENTENCE_END, SENTENCE_PUNCT, ellipsize, has_cjk
from .frontmatter import is_report_title, read_back, read_front
from .fused import contents_end
from .headings import HeadingSplit, fused_heading, split_heading
from .labels import RANK, Label, read_label
from .lines import SHORT_LINE_MAX, Para
from .outline import Outline
from .result import ImportWarning, Removed

UNTITLED = "未命名报告"


# ---------------------------------------------------------------------------
# Several reports in one text


def _has_content(paras: Sequence[Para]) -> bool:
    return any(len(p.text) > SHORT_LINE_MAX or read_label(p.text)[0] is not None for p in paras)


def split_reports(paras: Sequence[Para]) -> list[list[Para]]:
    starts = [0]
    # Whether the current report has content yet, kept as we go: rescanning
    # from its start at every title-like line made long texts quadratic.
    content_since_start = False
    for i in range(1, len(paras)):
        para = paras[i]
        new_report = para.starts_report or (
            is_report_title(para.text)
            and content_since_start
            and _has_content(paras[i + 1 : i + 6])
        )
        if new_report:
            starts.append(i)
            content_since_start = False
        else:
            content_since_start = content_since_start or _has_content((para,))
    ends = starts[1:] + [len(paras)]
    return [list(paras[a:b]) for a, b in zip(starts, ends)]


# ---------------------------------------------------------------------------
# Body


# A heading names a topic, not a day: "XX镇人民政府　2023年12月20日" is not one.
_FULL_DATE_RE = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零一二三四五六七八九十]月[〇零一二三四五六七八九十]+日")


def _is_part_candidate(text: str) -> bool:
    """Short, unlabelled, unpunctuated: "2013年工作回顾", "今后工作的建议"."""
    return (
        2 <= len(text) <= SHORT_LINE_MAX
        and has_cjk(text)
        and _FULL_DATE_RE.search(text) is None
        and not any(c in SENTENCE_PUNCT for c in text)
        and read_label(text)[0] is None
        and genre.parse_date_line(text) is None
        and not genre.BODY_LEAD_RE.match(text)
    )


def _next_label(labels: Sequence[Label | None], i: int) -> Label | None:
    """The first label after paragraph ``i``."""
    return next((label for label in labels[i + 1 :] if label is not None), None)


_PART_LABEL_RE = re.compile(r"^[\s\u3000]*(?P<open>[【\[［])?第(?P<n>[一二三四五六七八九十]{1,3})部分[\s\u3000、.．:：，,]*")
_CLOSE = {"【": "】", "[": "]", "［": "］"}


def part_label(text: str) -> tuple[int, str] | None:
    """"第二部分　2024年工作安排" → (2, "2024年工作安排"); also in brackets:
    "【第一部分：笔试环节】" → (1, "笔试环节")."""
    m = _PART_LABEL_RE.match(text)
    if m is None:
        return None
    rest = text[m.end() :].strip()
    if m["open"]:
        if not rest.endswith(_CLOSE[m["open"]]):
            return None
        rest = rest[:-1].strip()
    return numbering.parse_chinese_number(m["n"]), rest


def _is_part_heading(labels: Sequence[Label | None], parts: Sequence[bool], i: int, outline: Outline) -> bool:
    """An unlabelled part heading stands above the labelled headings that follow
    it, which (re)start at 1: "2023年工作回顾" / 一、…… / "2024年工作安排" / 一、……

    The first part comes before any labelled heading, so that every top-level
    section is a part or none is (contract: parts are all or none).
    """
    if not parts[i] or i == len(parts) - 1 or outline.numbered_parts:
        return False  # a text that numbers its parts ("第一部分") has no unlabelled ones
    nxt = _next_label(labels, i)
    if nxt is None or nxt.value != 1:
        return False
    if not outline.has_parts:
        return outline.first_labelled_kind is None
    return outline.first_labelled_kind in (None, nxt.kind)


def _fused_part(body: Sequence[Para], labels: Sequence[Label | None], i: int, outline: Outline) -> HeadingSplit | None:
    """A part heading fused with the paragraph under it, right above 一、:
    "2022年以来工作的回忆三年来，在市委……" (a page that lost its line breaks)."""
    nxt = labels[i + 1] if i + 1 < len(labels) else None
    if labels[i] is not None or nxt is None or nxt.value != 1 or outline.has_parts or outline.first_labelled_kind is not None:
        return None
    found = fused_heading(body[i].text)
    if found is None or not _is_part_candidate(found.heading) or genre.PART_WORDS_RE.search(found.heading) is None:
        return None
    return found


def _leads_in(labels: Sequence[Label | None], i: int) -> bool:
    """Sub-headings follow right after paragraph ``i``."""
    here, nxt = labels[i], labels[i + 1] if i + 1 < len(labels) else None
    return here is not None and nxt is not None and RANK[nxt.kind] > RANK[here.kind]


def _add_labelled(outline: Outline, para: Para, label: Label, rest: str, leads_in: bool, removed: list[Removed]) -> bool:
    split = split_heading(rest, leads_in) if rest.strip() else None
    # The model strips a label from a heading once more; a heading that
    # still starts with one would lose it, so it stays body text.
    if split is None or not split.heading or numbering.split_label(split.heading)[0]:
        return False
    if not outline.add_heading(label.kind, label, split.heading, split.body, para.first):
        outline.warn(f"标题超过四级，已作为正文保留（第 {para.where} {outline.unit}）：{ellipsize(para.text)}", para.first, "too_deep")
        return False
    removed.append(Removed("label", para.first, label.text))
    return True


def _add_numbered_part(outline: Outline, para: Para, removed: list[Removed]) -> bool:
    """"第一部分　……": a part, its ordinal kept by ``options.part_labels = ordinal``."""
    found = part_label(para.text)
    if found is None or outline.first_labelled_kind is not None and not outline.has_parts:
        return False
    value, heading = found
    expected = outline.part_count + 1
    if value != expected:
        outline.warn(f"部分序号不连续：应为第{numbering.chinese_number(expected)}部分，原文为“{para.text[:6]}”", para.first, "sequence")
    head, body = (heading, "") if len(heading) <= 40 else (split_heading(heading) or HeadingSplit(heading[:40], heading[40:]))
    if not head:
        return False
    outline.add_heading("part", None, head, body, para.first)
    outline.numbered_parts += 1
    removed.append(Removed("label", para.first, para.text[: para.text.index(heading)] if heading else para.text))
    if para.text.rstrip().endswith(tuple(_CLOSE.values())) and not heading.endswith(tuple(_CLOSE.values())):
        removed.append(Removed("label", para.first, para.text.rstrip()[-1]))
    return True


_PAGE_REF_RE = re.compile(r"[\s\u3000.…·]+\d{1,3}$")
_TOC_RUN = 3


def _contents_entries(body: Sequence[Para], labels: Sequence[Label | None]) -> set[int]:
    """Lines of a table of contents ("1.…工作计划 3"): labelled, ending in a page
    number, three or more in a row. They are text, not headings."""
    entry = [label is not None and _PAGE_REF_RE.search(p.text) is not None for p, label in zip(body, labels)]
    out: set[int] = {i for i, p in enumerate(body) if labels[i] is not None and contents_end(p.text) is not None}
    i = 0
    while i < len(entry):
        j = i
        while j < len(entry) and (entry[j] or (j > i and labels[j] is None and len(body[j].text) <= SHORT_LINE_MAX and j + 1 < len(entry) and entry[j + 1])):
            j += 1
        if j - i >= _TOC_RUN:
            out.update(range(i, j))
        i = max(j, i + 1)
    return out


def _numbered_paragraphs(body: Sequence[Para], read: list[tuple[Label | None, str]]) -> set[int]:
    """Items of a numbered list that are paragraphs, not headings.

    Siblings of one label family (1、 2、 3、 under the same parent) are all
    headings or all numbered paragraphs: when most of them cannot be a
    heading (a long first sentence), the others are paragraphs too."""
    labels = [label for label, _ in read]
    out: set[int] = set()
    i = 0
    while i < len(body):
        label = labels[i]
        if label is None or label.kind not in ("num", "num_paren", "num_rparen", "circled"):
            i += 1
            continue
        group = [i]
        j = i + 1
        while j < len(body):
            other = labels[j]
            if other is not None and RANK[other.kind] < RANK[label.kind]:
                break  # a new parent: the list is over
            if other is not None and other.kind == label.kind:
                if other.value != labels[group[-1]].value + 1:
                    break
                group.append(j)
            j += 1
        if len(group) >= 3:
            paragraphs = [k for k in group if read[k][1].strip() and split_heading(read[k][1]) is None]
            if 2 * len(paragraphs) > len(group):
                out.update(group)
        i = group[-1] + 1
    return out


def read_body(body: Sequence[Para], removed: list[Removed], unit: str) -> Outline:
    outline = Outline(unit)
    read = [read_label(p.text) for p in body]
    contents = _contents_entries(body, [label for label, _ in read])
    if contents:
        outline.warn(f"第 {body[min(contents)].first}–{body[max(contents)].last} 行像目录（带页码），已作为正文保留", body[min(contents)].first, "contents")
    listed = _numbered_paragraphs(body, read)
    if contents or listed:
        read = [(None, p.text) if i in contents or i in listed else r for i, (p, r) in enumerate(zip(body, read))]
    labels = [label for label, _ in read]
    parts = [label is None and _is_part_candidate(p.text) for p, label in zip(body, labels)]
    for i, para in enumerate(body):
        label, rest = read[i]
        if label is not None and _add_labelled(outline, para, label, rest, _leads_in(labels, i), removed):
            continue
        if label is None and _add_numbered_part(outline, para, removed):
            continue
        if _is_part_heading(labels, parts, i, outline) or (label is None and para.part_head and outline.first_labelled_kind is None):
            outline.add_heading("part", None, para.text, "", para.first)
            continue
        fused = _fused_part(body, labels, i, outline)
        if fused is not None:
            outline.add_heading("part", None, fused.heading, fused.body, para.first)
            outline.warn(f"“{fused.heading}”与正文连在一起，已识别为部分标题（其下“一、”重新编号）", para.first, "fused_part")
            continue
        # An unlabelled line inside a section is never given a number: it
        # stays a paragraph, however much it looks like a heading.
        outline.add_paragraph(para.text)
    return outline


# ---------------------------------------------------------------------------
# Reports


def _cap_paragraphs(paragraphs: list[str], warnings: list[ImportWarning]) -> list[str]:
    """Split a paragraph the model cannot hold at sentence ends; nothing is cut off."""
    out: list[str] = []
    for text in paragraphs:
        while len(text) > MAX_PARAGRAPH_CHARS:
            window = text[:MAX_PARAGRAPH_CHARS]
            cut = max(window.rfind(c) for c in SENTENCE_END) + 1 or MAX_PARAGRAPH_CHARS
            out.append(text[:cut])
            text = text[cut:]
            warnings.append(ImportWarning(f"段落超过 {MAX_PARAGRAPH_CHARS} 字，已在句末拆分：{ellipsize(out[-1])}", None, "split_paragraph"))
        out.append(text)
    return out


def _cap_sections(sections: list[dict[str, Any]], warnings: list[ImportWarning]) -> None:
    for section in sections:
        section["paragraphs"] = _cap_paragraphs(section["paragraphs"], warnings)
        _cap_sections(section["sections"], warnings)


def _all_paragraphs(report: dict[str, Any]) -> list[str]:
    out = list(report.get("preamble", [])) + list(report.get("closing", []))
    stack = list(report.get("sections", []))
    while stack:
        section = stack.pop()
        out += section["paragraphs"]
        stack += section["sections"]
    return out


def _template(report: dict[str, Any]) -> str:
    """A speech to a congress ("各位代表") is a work report; anything else a work
    summary — unless the source has a 版头 (document number), which only the
    red-header kind prints."""
    if report.get("header"):
        return "red-header-report"
    if report.get("salutation", "").startswith("各位代表"):
        return "work-report"
    return "work-report" if any(p.startswith("各位代表") for p in _all_paragraphs(report)) else "work-summary"


def build_report(
    paras: Sequence[Para], number: int, removed: list[Removed], warnings: list[ImportWarning], unit: str,
    hints: dict[str, Any] | None = None,
) -> dict[str, Any]:
    front = read_front(paras, removed)
    back = read_back(paras, front.end, removed, warnings)
    outline = read_body(paras[front.end : back.start], removed, unit)
    warnings += outline.warnings
    closing = outline.take_closing() + back.closing_after
    title = front.title
    hint = (hints or {}).get("title") if number == 1 else None
    if not title and hint:
        # No title line, but the portal's table named the document (文件名称).
        title = hint[1]
        warnings.append(ImportWarning(f"正文前没有标题行，已用网页信息表中的文件名称“{ellipsize(title)}”作标题", hint[0], "title_from_table"))
    report: dict[str, Any] = {"title": title or UNTITLED}
    if not title:
        warnings.append(ImportWarning(f"第 {number} 份报告没有找到标题，已暂用“{UNTITLED}”，请补上标题", paras[0].first, "no_title"))
    for key in ("subtitle", "speaker", "recipient", "salutation"):
        if getattr(front, key):
            report[key] = getattr(front, key)
    report["preamble"] = _cap_paragraphs(outline.preamble, warnings)
    _cap_sections(outline.sections, warnings)
    report["sections"] = outline.sections
    report["closing"] = _cap_paragraphs(closing, warnings)
    if back.attachments:
        report["attachments"] = back.attachments
    if back.signature:
        report["signature"] = back.signature
    if back.date:
        report["date"] = back.date
    if front.header and _header_problem(front.header) is None:
        report["header"] = front.header
    elif front.header:
        # A 发文字号 the model would refuse: kept as the first line of text, never lost.
        report["preamble"] = [" ".join(front.header.values())] + report["preamble"]
        warnings.append(ImportWarning(f"版头“{front.header.get('doc_number', '')}”格式不规范（{_header_problem(front.header)}），已作为正文保留", paras[0].first, "header_kept_as_text"))
    if back.record:
        report["record"] = back.record
    report["template"] = _template(report)
    if outline.has_parts and outline.numbered_parts == outline.part_count:
        report["options"] = {"part_labels": "ordinal"}  # "第一部分" as the source wrote it
    return report


def _header_problem(header: dict[str, str]) -> str | None:
    from ..model import Header

    try:
        Header.model_validate(header)
    except Exception as exc:  # pydantic's ValidationError: its first message is enough here
        errors = getattr(exc, "errors", None)
        return errors()[0]["msg"] if callable(errors) else str(exc)
    return None


def _has_body(report: dict[str, Any]) -> bool:
    return bool(report["preamble"] or report["sections"] or report["closing"])


def _build(group: Sequence[Para], number: int, unit: str, hints: dict[str, Any]) -> tuple[dict[str, Any], list[Removed], list[ImportWarning]]:
    removed: list[Removed] = []
    warnings: list[ImportWarning] = []
    return build_report(group, number, removed, warnings, unit, hints), removed, warnings


def build_reports(
    paras: Sequence[Para], removed: list[Removed], warnings: list[ImportWarning], unit: str = "行",
    hints: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Every report in the text. A piece without body text (only a title, a
    signature …) is not a report of its own: it joins its neighbour."""
    built: list[tuple[list[Para], tuple[dict[str, Any], list[Removed], list[str]]]] = []
    carry: list[Para] = []
    for group in split_reports(paras):
        group = carry + group
        result = _build(group, len(built) + 1, unit, hints or {})
        carry = [] if _has_body(result[0]) else group
        if not carry:
            built.append((group, result))
    if carry and built:
        group = built[-1][0] + carry
        built[-1] = (group, _build(group, len(built), unit, hints or {}))
    for _, (_, report_removed, report_warnings) in built:
        removed += report_removed
        warnings += report_warnings
    return [report for _, (report, _, _) in built]
