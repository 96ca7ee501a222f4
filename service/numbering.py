"""Heading labels of official documents: 一、 （一） 1. （1）.

Pure functions shared by the writer, the importer and the checker, so that
all three agree on what a label looks like.
"""
from __future__ import annotations

import re

from .profile import MAX_HEADING_LEVELS, heading_rule

MAX_LEVELS = MAX_HEADING_LEVELS

_DIGITS = "零一二三四五六七八九"
_UNITS = ["", "十", "百", "千"]
_BIG_UNITS = ["", "万", "亿"]

# Every character that may appear in a Chinese counting numeral.
CHINESE_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"


def _below_ten_thousand(n: int) -> str:
    digits = [int(d) for d in str(n)]
    out: list[str] = []
    zero_pending = False
    for pos, d in enumerate(digits):
        unit = _UNITS[len(digits) - pos - 1]
        if d == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(_DIGITS[d] + unit)
    return "".join(out)


def chinese_number(n: int) -> str:
    """Write a positive integer as Chinese counting numerals: 11 → 十一, 105 → 一百零五."""
    if n <= 0:
        raise ValueError(f"chinese_number needs a positive integer, got {n}")
    groups: list[int] = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    if len(groups) > len(_BIG_UNITS):
        raise ValueError("number too large")
    parts: list[str] = []
    need_zero = False
    for idx in range(len(groups) - 1, -1, -1):
        group = groups[idx]
        if group == 0:
            need_zero = bool(parts)
            continue
        if parts and (need_zero or group < 1000):
            parts.append("零")
        parts.append(_below_ten_thousand(group) + _BIG_UNITS[idx])
        need_zero = False
    text = "".join(parts)
    # 一十 → 十 at the start (十一, not 一十一), as Word's chineseCounting does.
    if text.startswith("一十"):
        text = text[1:]
    return text


# How each Word w:numFmt the heading table uses writes a number.
WORD_NUM_FMTS = {"chineseCounting": chinese_number, "decimal": str}

MAX_POSITIONAL_DIGITS = 18
_DIGIT_VALUE = {c: i for i, c in enumerate(_DIGITS)}
_DIGIT_VALUE.update({"〇": 0, "两": 2})
_UNIT_VALUE = {"十": 10, "百": 100, "千": 1000}
_BIG_VALUE = {"万": 10_000, "亿": 100_000_000}


def parse_chinese_number(text: str) -> int:
    """Inverse of :func:`chinese_number`; also reads digit strings like 二〇二二."""
    if not text or any(c not in CHINESE_NUMERAL_CHARS for c in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if not any(c in _UNIT_VALUE or c in _BIG_VALUE for c in text):
        # Positional digits: 二〇二二 → 2022.
        if len(text) > MAX_POSITIONAL_DIGITS:
            raise ValueError(f"too many digits: {len(text)}")
        return int("".join(str(_DIGIT_VALUE[c]) for c in text))
    total = section = digit = 0
    for c in text:
        if c in _DIGIT_VALUE:
            digit = _DIGIT_VALUE[c]
        elif c in _UNIT_VALUE:
            section += (digit or 1) * _UNIT_VALUE[c]
            digit = 0
        else:
            total += (section + digit) * _BIG_VALUE[c]
            section = digit = 0
    return total + section + digit


def label(level: int, n: int) -> str:
    """The label of the ``n``-th heading (1-based) at ``level`` (1-4), as profile.HEADING_RULES draws it."""
    if n <= 0:
        raise ValueError("heading numbers start at 1")
    rule = heading_rule(level)
    return f"{rule.label_before}{WORD_NUM_FMTS[rule.word_num_fmt](n)}{rule.label_after}"


# A label's numeral is short ("一百二十三" at most in practice); an unbounded
# one would let a line of 5,000 "一" reach int() and its digit limit.
_CN = f"[{CHINESE_NUMERAL_CHARS}]{{1,8}}"
# A label at the start of a heading, in any of the forms people type:
# 一、 一. 一． （一） (一) 1. 1、 1． （1） (1) ①, with the stray mark people
# add after brackets ("（一）、") taken as part of the label. A digit label
# followed by another digit ("1.5倍", "1,000万元") is a number, not a label.
LABEL_RE = re.compile(
    rf"""^[\s\u3000]*(?:
        (?P<cn>{_CN})[、.．]
      | [（(](?P<cn_paren>{_CN})[)）][、，,.．]?
      | (?P<num>\d{{1,3}})(?:、|[，,.．](?!\d))
      | [（(](?P<num_paren>\d{{1,3}})[)）][、，,.．]?
      | (?P<circled>[\u2460-\u2473])
    )[\s\u3000]*""",
    re.VERBOSE,
)


def split_label(text: str) -> tuple[str, str]:
    """Split a heading into ``(label, rest)``; the label is "" when there is none."""
    m = LABEL_RE.match(text)
    if not m:
        return "", text
    return text[: m.end()], text[m.end() :]


def strip_label(text: str) -> str:
    """Remove a label typed in front of a heading, so a label is never doubled."""
    return split_label(text)[1]


def label_kind(text: str) -> str | None:
    """Which label family starts ``text``: 'cn', 'cn_paren', 'num', 'num_paren', 'circled'."""
    m = LABEL_RE.match(text)
    if not m:
        return None
    return next(k for k, v in m.groupdict().items() if v is not None)


def label_value(text: str) -> int | None:
    """The number a leading label stands for (一、 → 1, （3） → 3)."""
    m = LABEL_RE.match(text)
    if not m:
        return None
    for key, value in m.groupdict().items():
        if value is None:
            continue
        if key in ("cn", "cn_paren"):
            return parse_chinese_number(value)
        if key == "circled":
            return ord(value) - 0x2460 + 1
        return int(value)
    return None
