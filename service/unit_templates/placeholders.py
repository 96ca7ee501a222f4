"""Placeholders in a unit template: ``{{ 标题 }}``, ``{{ 日期 }}``, ``{{ 正文 }}`` …

Word splits typed text into several runs (spell-check marks, revisions,
formatting changes), so a placeholder may arrive as ``{{ 标`` + ``题 }}``.
:func:`join_split_placeholders` first moves every placeholder into one text
element, keeping the formatting of the run it starts in.

A placeholder must be a bare field name; it is then evaluated in Jinja2's
sandbox with nothing in scope but the report's fields (no globals), so even a
crafted template can neither compute for long nor reach Python objects.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from ..dates import format_date
from ..docx.xml import W_NS
from ..model import Report
from .check import UnitTemplateError

W = f"{{{W_NS}}}"
PLACEHOLDER_RE = re.compile(r"\{\{(.*?)\}\}", re.S)
# A placeholder is a field name and nothing else: no operators, calls or
# attributes, so no expression can compute for long or reach Python objects.
NAME_RE = re.compile(r"^\w+$")
STATEMENT_RE = re.compile(r"\{%|\{#")
BODY_NAMES = ("正文", "body")

_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
_ENV.globals.clear()  # no range, cycler, joiner, lipsum, namespace …


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
    out = []
    for t in root.iter(f"{W}t"):
        if t.text and STATEMENT_RE.search(t.text):
            raise UnitTemplateError("模板中只能使用 {{ 占位符 }}，不支持 {% %} 语句或 {# #} 注释")
        out += [m.group(1).strip() for m in PLACEHOLDER_RE.finditer(t.text or "")]
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


def evaluate(expression: str, ctx: dict[str, Any]) -> str:
    if not NAME_RE.match(expression):
        names = "、".join(n for n in known_names() if not n.isascii())
        raise UnitTemplateError(f"占位符 {{{{ {expression[:60]} }}}} 只能是字段名，如 {{{{ 标题 }}}}；可用的有：{names}")
    try:
        return _ENV.from_string("{{ " + expression + " }}").render(ctx)
    except SecurityError:
        raise UnitTemplateError(f"占位符 {{{{ {expression[:60]} }}}} 含有不允许的操作") from None
    except UndefinedError:
        names = "、".join(n for n in known_names() if not n.isascii())
        raise UnitTemplateError(f"未知的占位符 {{{{ {expression[:60]} }}}}；可用的有：{names}") from None
    except TemplateSyntaxError:
        raise UnitTemplateError(f"占位符 {{{{ {expression[:60]} }}}} 写法有误") from None
    except Exception:  # anything else a crafted expression may raise
        raise UnitTemplateError(f"占位符 {{{{ {expression[:60]} }}}} 无法计算") from None


def fill(root: etree._Element, ctx: dict[str, Any]) -> None:
    """Replace every placeholder (but the body's) by its value, as literal text."""
    for t in root.iter(f"{W}t"):
        if t.text and "{{" in t.text:
            t.text = PLACEHOLDER_RE.sub(lambda m: m.group(0) if m.group(1).strip() in BODY_NAMES else evaluate(m.group(1).strip(), ctx), t.text)


def check_expressions(found: Iterable[str]) -> list[str]:
    """At upload: every placeholder must be one the service can fill."""
    ctx = context(None)
    names = []
    for expression in found:
        if expression not in BODY_NAMES:
            evaluate(expression, ctx)
        names.append(expression)
    return list(dict.fromkeys(names))
