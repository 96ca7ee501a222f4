"""Text patterns the checker recognises: dates, 发文字号, 版头 lines, labels.

Loose on purpose: they find what people actually type (padded dates,
square brackets, full-width digits), so the rules can say what is wrong.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import numbering
from ..profile import HEADING_RULES

_CN_NUM = numbering.CHINESE_NUMERAL_CHARS + "○Ｏ"  # ○ and Ｏ are common mistypings of 〇
_DIGITS = "0-9０-９"

DATE_LINE_RE = re.compile(
    rf"^(?P<y>[{_DIGITS}]{{1,4}}|[{_CN_NUM}]{{2,4}})(?P<s1>年|[-/.．－／])"
    rf"(?P<m>[{_DIGITS}]{{1,2}}|[{_CN_NUM}]{{1,3}})(?P<s2>月|[-/.．－／])"
    rf"(?P<d>[{_DIGITS}]{{1,2}}|[{_CN_NUM}]{{1,3}})(?P<s3>日|号)?$"
)
# A date inside a 版记 line: "XX办公室 2022年12月6日印发".
PRINT_DATE_RE = re.compile(
    rf"(?P<date>(?:[{_DIGITS}]{{2,4}}|[{_CN_NUM}]{{2,4}})年(?:[{_DIGITS}]{{1,2}}|[{_CN_NUM}]{{1,3}})月"
    rf"(?:[{_DIGITS}]{{1,2}}|[{_CN_NUM}]{{1,3}})日)印发$"
)
DOC_NUMBER_RE = re.compile(
    rf"^(?P<org>[\u4e00-\u9fffA-Za-z×]{{1,30}}?)(?P<open>[〔\[［【(（{{｛〖])(?P<year>[{_DIGITS}]{{2,4}})"
    rf"(?P<close>[〕\]］】)）}}｝〗])(?P<di>第?)(?P<num>[{_DIGITS}]{{1,6}})号(?P<signer>签发人[:：].*)?$"
)
# A template's placeholder for a digit: "XX发〔20XX〕XX号", "20XX年XX月XX日".
_PH = "XxＸ×"
# 发文字号 as a template leaves it (placeholders for digits, or no 机关代字 as in a 信函's right-aligned number).
DOC_NUMBER_TEMPLATE_RE = re.compile(
    rf"^[\u4e00-\u9fffA-Za-z×]{{0,30}}[〔\[［【(（][{_DIGITS}{_PH}]{{2,4}}[〕\]］】)）][{_DIGITS}{_PH}]{{1,6}}号(?:签发人[:：].*)?$"
)
DATE_PLACEHOLDER_RE = re.compile(
    rf"^(?:[{_DIGITS}{_PH}]{{4}}年[{_DIGITS}{_PH}]{{1,2}}月[{_DIGITS}{_PH}]{{1,2}}日|[\[［【〔](?:成文)?日期[\]］】〕])$"
)
# A template's placeholder line: "[发文单位]", "[此处输入文件标题]".
PLACEHOLDER_RE = re.compile(r"^[\[［【〔][^\]］】〕]{1,30}[\]］】〕][:：]?$")
# 附注 and notes a 公文 prints in parentheses: "（联系人：…）", "（此件公开发布）", "（此页无正文）".
NOTE_RE = re.compile(r"^[（(](?:联系人|联系电话|此件|本件|此页无正文)")
COPY_NUMBER_RE = re.compile(rf"^[{_DIGITS}]{{6}}$")  # 份号
SECRECY_RE = re.compile(r"^(?:绝密|机密|秘密)(?:[★☆].*)?$")
URGENCY_RE = re.compile(r"^(?:特急|加急|特提|平急)$")
RECORD_RE = re.compile(r"^(?:抄送|主送|审核|校对|核稿|拟稿|签发)[:：]|印发$")
# The 附件说明 ("附件：名称") and an attachment's own label ("附件1", "附件2（可选）").
ATTACHMENT_RE = re.compile(r"^附件\s*[0-9０-９]*\s*(?:[:：]|$|[（(])")
ATTACHMENT_LABEL_RE = re.compile(r"^附件\s*[0-9０-９]*\s*(?:$|[（(])")
SENTENCE_END = "。！？"
# Marks a heading label must not be followed by ("（一）、", "（1）．").
LABEL_TRAILING_MARKS = "、，,.．:：;；"

# Both from the one heading table (profile.HEADING_RULES).
LABEL_LEVEL = {rule.label_kind: rule.level for rule in HEADING_RULES}
LEVEL_NAMES = {rule.level: rule.name_zh for rule in HEADING_RULES}


def date_line(text: str) -> re.Match[str] | None:
    """A paragraph that is nothing but a date (any way people write one)."""
    m = DATE_LINE_RE.match(squeeze(text))
    if m is None:
        return None
    # "1.2.3" is not a date: without 年 the year must be written out in full.
    if m.group("s1") != "年" and len(m.group("y")) != 4:
        return None
    return m


def squeeze(text: str) -> str:
    """Text without any white space (spaces people type to align lines)."""
    return "".join(text.split())


def is_cjk(ch: str) -> bool:
    """Chinese characters and full-width punctuation (not emoji, not Latin)."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x2FDF  # radicals
        or 0x3000 <= o <= 0x303F  # CJK punctuation
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x20000 <= o <= 0x3134F
    )


def has_cjk(text: str) -> bool:
    return any(is_cjk(ch) for ch in text)


@dataclass(frozen=True)
class Label:
    """A heading label at the start of a paragraph, typed or drawn by list numbering."""

    text: str  # as shown, without trailing space: "一、", "(一)", "1、"
    kind: str  # cn / cn_paren / num / num_paren
    value: int
    native: bool  # drawn by Word's list numbering

    @property
    def level(self) -> int:
        return LABEL_LEVEL[self.kind]


def find_label(text: str, native: str = "") -> Label | None:
    """The heading label that starts a paragraph, if any.

    ``native`` is the label Word's list numbering draws before ``text``.
    """
    source = native or text
    m = numbering.LABEL_RE.match(source)
    if m is None:
        return None
    kind = numbering.label_kind(source)
    if kind not in LABEL_LEVEL:
        return None
    core = m.group(0).strip().replace("\u3000", "")
    if kind in ("cn_paren", "num_paren"):
        # numbering.LABEL_RE takes a stray mark after the bracket ("（一）、") as
        # part of the label so the engine drops it; here it is a fault to report.
        core = core.rstrip("、，,.．")
    rest = text if native else source[m.end():]
    # "10,000元" and "3、4月份" are numbers, not labels.
    if kind == "num" and core[-1] in "，,、" and rest[:1].isdigit():
        return None
    value = numbering.label_value(source)
    if value is None:
        return None
    return Label(core, kind, value, bool(native))
