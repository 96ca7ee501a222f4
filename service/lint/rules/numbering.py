"""Heading labels: 一、 （一） 1. （1） — their sequence and their form."""
from __future__ import annotations

from typing import Iterator

from ... import numbering
from ..document import HEADING, PART, LintDocument, Para
from ..findings import Issue, excerpt
from ..patterns import LABEL_LEVEL, LABEL_TRAILING_MARKS, LEVEL_NAMES

_KINDS = tuple(LABEL_LEVEL)  # cn, cn_paren, num, num_paren: outermost first
_FULL_WIDTH_BRACKETS = ("（", "）")
# The separator each unbracketed label kind takes.
_SEPARATORS = {"cn": ("、",), "num": (".", "．")}


def _standard(kind: str, value: int) -> str:
    return numbering.label(LABEL_LEVEL[kind], value)


def _issue(p: Para, message: str) -> Issue:
    return Issue(message, p.index, excerpt(p.text))


def check_sequence(doc: LintDocument) -> Iterator[Issue]:
    """Each level counts 1, 2, 3 … and restarts under each new parent.

    Levels are told apart by the label's kind, so a document with only two
    levels ("一、" then "1.") is checked the same way.
    """
    last: dict[str, int] = {}
    for p in doc.by_role(HEADING, PART, "attachment-label"):
        if p.role in (PART, "attachment-label"):
            last.clear()  # 一、 restarts in every part and every attachment
            continue
        label = p.label
        if label is None:
            continue
        rank = _KINDS.index(label.kind)
        for deeper in _KINDS[rank + 1 :]:
            last.pop(deeper, None)
        prev = last.get(label.kind)
        expected = 1 if prev is None else prev + 1
        name = LEVEL_NAMES[label.level]
        shown, want = label.text, _standard(label.kind, expected)
        if label.value == expected:
            pass
        elif prev is not None and label.value == prev:
            yield _issue(p, f"{name}序号重复：上一个已是“{_standard(label.kind, prev)}”，此处“{shown}”应为“{want}”。")
        elif label.value > expected:
            missing = "、".join(f"“{_standard(label.kind, n)}”" for n in range(expected, min(label.value, expected + 3)))
            if prev is None:
                yield _issue(p, f"{name}序号应从“{want}”开始，此处为“{shown}”，缺少{missing}。")
            else:
                yield _issue(p, f"{name}序号不连续：“{_standard(label.kind, prev)}”之后应为“{want}”，此处为“{shown}”，缺少{missing}。")
        else:
            yield _issue(p, f"{name}序号顺序错误：上一个是“{_standard(label.kind, prev or 1)}”，此处“{shown}”应为“{want}”。")
        last[label.kind] = label.value


def check_label_form(doc: LintDocument) -> Iterator[Issue]:
    """一、 takes 、 and 1. takes a full stop: "1、" and "一." are wrong."""
    for p in doc.headings():
        label = p.label
        if label is None or label.kind not in _SEPARATORS:
            continue
        if not label.text.endswith(_SEPARATORS[label.kind]):
            want = _standard(label.kind, label.value)
            mark = "顿号“、”" if label.kind == "cn" else "下脚点“.”"
            yield _issue(p, f"{LEVEL_NAMES[label.level]}序号应为“{want}”（用{mark}），此处为“{label.text}”。")


def check_brackets(doc: LintDocument) -> Iterator[Issue]:
    """（一） and （1） use full-width brackets."""
    for p in doc.headings():
        label = p.label
        if label is None or label.kind not in ("cn_paren", "num_paren"):
            continue
        if label.text[0] != _FULL_WIDTH_BRACKETS[0] or label.text[-1] != _FULL_WIDTH_BRACKETS[1]:
            want = _standard(label.kind, label.value)
            yield _issue(p, f"{LEVEL_NAMES[label.level]}序号“{label.text}”用了半角括号，应为全角括号“{want}”。")


def check_trailing_punctuation(doc: LintDocument) -> Iterator[Issue]:
    """Nothing follows （一） or （1）: "（一）、" and "（1）." are wrong."""
    for p in doc.headings():
        label = p.label
        if label is None or label.kind not in ("cn_paren", "num_paren"):
            continue
        after = p.text[p.text.find(label.text) + len(label.text) :].lstrip(" \u3000\t")
        if after[:1] and after[0] in LABEL_TRAILING_MARKS:
            want = _standard(label.kind, label.value)
            yield _issue(p, f"“{label.text}”后面不加标点：此处为“{label.text}{after[0]}”，应直接写“{want}”后接标题文字。")
