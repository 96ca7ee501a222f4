"""Placeholders in a unit template: ``{{ 标题 }}``, ``{{ 日期 }}``, ``{{ 正文 }}`` …

Word splits typed text into several runs (spell-check marks, revisions,
formatting changes), so a placeholder may arrive as ``{{ 标`` + ``题 }}``.
:func:`join_split_placeholders` first moves every placeholder into one text
element, keeping the formatting of the run it starts in.

A placeholder must be one of the contract's field names, and is filled by
looking that name up: nothing is ever evaluated, so ``{{ self }}``,
``{{ 49 }}`` or ``{{ true }}`` are refused at upload with their position
instead of rendering as template output.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from lxml import etree

from ..dates import format_date
from ..docx.xml import W_NS
from ..model import Report
from .check import UnitTemplateError

W = f"{{{W_NS}}}"
PLACEHOLDER_RE = re.compile(r"\{\{(.*?)\}\}", re.S)
STATEMENT_RE = re.compile(r"\{%|\{#")
BODY_NAMES = ("正文", "body")

PART_LABELS = (("word/document.xml", "正文"), ("word/header", "页眉"), ("word/footer", "页脚"))


def _own_texts(paragraph: etree._Element) -> list[etree._Element]:
    """The paragraph's own w:t elements (not those of text boxes nested in it)."""
    return [t for t in paragraph.iter(f"{W}t") if _nearest_paragraph(t) is paragraph]


def _nearest_paragraph(el: etree._Element) -> etree._Element | None:
    parent = el.getparent()
    while parent is not None and parent.tag != f"{W}p":
        parent = parent.getparent()
    return parent


def join_split_placeholders(root: etree._Element) -> None:
    """Make every ``{{ … }}`` sit inside a single w:t."""
    for paragraph in root.iter(f"{W}p"):
        texts = _own_texts(paragraph)
        if len(texts) < 2 or "{{" not in "".join(t.text or "" for t in texts):
            continue
        while _join_first_split(texts):
            pass


def _join_first_split(texts: list[etree._Element]) -> bool:
    values = [t.text or "" for t in texts]
    full = "".join(values)
    starts, pos = [], 0
    for value in values:
        starts.append(pos)
        pos += len(value)

    def owner(index: int) -> int:
        return next(i for i, value in enumerate(values) if starts[i] <= index < starts[i] + len(value))

    for m in PLACEHOLDER_RE.finditer(full):
        first, last = owner(m.start()), owner(m.end() - 1)
        if first == last:
            continue
        head = values[first][: m.start() - starts[first]]
        tail = values[last][m.end() - starts[last] :]
        texts[first].text = head + m.group(0)
        for i in range(first + 1, last):
            texts[i].text = ""
        texts[last].text = tail
        for i in (first, last):
            texts[i].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return True
    return False


def paragraph_text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in _own_texts(paragraph))


def expressions(root: etree._Element) -> list[str]:
    """Every placeholder expression in a part, in order (after joining)."""
    return [expression for expression, _ in located_expressions(root, "")]


def located_expressions(root: etree._Element, part: str) -> list[tuple[str, str]]:
    """Every placeholder with where it is: "正文第 3 段" (paragraphs counted from 1)."""
    label = next((text for prefix, text in PART_LABELS if part.startswith(prefix)), part)
    out = []
    for number, paragraph in enumerate(root.iter(f"{W}p"), start=1):
        for t in _own_texts(paragraph):
            if t.text and STATEMENT_RE.search(t.text):
                raise UnitTemplateError(f"模板中只能使用 {{{{ 占位符 }}}}，不支持 {{% %}} 语句或 {{# #}} 注释（{label}第 {number} 段）")
            out += [(m.group(1).strip(), f"{label}第 {number} 段") for m in PLACEHOLDER_RE.finditer(t.text or "")]
    return out


def is_body_placeholder(paragraph: etree._Element) -> bool:
    m = PLACEHOLDER_RE.fullmatch(paragraph_text(paragraph).strip())
    return bool(m) and m.group(1).strip() in BODY_NAMES


def context(report: Report | None) -> dict[str, str]:
    """The names a placeholder may use: the report's fields, in Chinese and English."""
    if report is None:  # at upload: check names against an empty report
        values: dict[str, str] = {}
    else:
        header = report.header
        values = {
            "title": " ".join(report.title.split()),
            "subtitle": report.subtitle,
            "speaker": report.speaker,
            "recipient": report.recipient,
            "salutation": report.salutation,
            "signature": report.signature,
            "unit": (header.issuer if header and header.issuer else "") or report.signature,
            "date": format_date(report.date) if report.date else "",
            "doc_number": header.doc_number if header else "",
            "signer": header.signer if header else "",
        }
    english = ("title", "subtitle", "speaker", "recipient", "salutation", "signature", "unit", "date", "doc_number", "signer")
    chinese = ("标题", "副标题", "报告人", "主送机关", "称谓", "署名", "单位名称", "日期", "发文字号", "签发人")
    ctx = {name: values.get(name, "") for name in english}
    ctx.update({zh: values.get(en, "") for zh, en in zip(chinese, english)})
    return ctx


def known_names() -> list[str]:
    return list(context(None)) + list(BODY_NAMES)


def _names_hint() -> str:
    return "、".join(n for n in known_names() if not n.isascii())


def evaluate(expression: str, ctx: dict[str, Any]) -> str:
    """A placeholder's value: the field of that name, looked up, never computed."""
    if expression not in ctx:
        raise UnitTemplateError(f"占位符 {{{{ {expression[:60]} }}}} 只能是字段名，如 {{{{ 标题 }}}}；可用的有：{_names_hint()}")
    return str(ctx[expression])


def fill(root: etree._Element, ctx: dict[str, Any]) -> None:
    """Replace every placeholder (but the body's) by its value, as literal text."""
    for t in root.iter(f"{W}t"):
        if t.text and "{{" in t.text:
            t.text = PLACEHOLDER_RE.sub(lambda m: m.group(0) if m.group(1).strip() in BODY_NAMES else evaluate(m.group(1).strip(), ctx), t.text)


def check_expressions(found: Iterable[str | tuple[str, str]]) -> list[str]:
    """At upload: every placeholder must be a field name; all others are named
    at once, each with its position when known."""
    allowed = set(context(None)) | set(BODY_NAMES)
    names, bad = [], []
    for item in found:
        expression, where = item if isinstance(item, tuple) else (item, "")
        if expression not in allowed:
            bad.append(f"{{{{ {expression[:60]} }}}}" + (f"（{where}）" if where else ""))
        names.append(expression)
    if bad:
        raise UnitTemplateError(f"占位符只能是字段名，如 {{{{ 标题 }}}}：{'、'.join(bad[:20])} 不是；可用的有：{_names_hint()}")
    return list(dict.fromkeys(names))
