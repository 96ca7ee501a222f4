"""成文日期 and 发文字号: Arabic numerals, no padding, the brackets 〔 〕, no 第."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Iterator

from ...dates import format_date
from ...numbering import parse_chinese_number
from ..document import DATE, DOC_NUMBER, RECORD, LintDocument, Para
from ..findings import Issue, excerpt
from ..patterns import DOC_NUMBER_RE, PRINT_DATE_RE, date_line, squeeze

_FULL_WIDTH_DIGIT_RE = re.compile("[０-９]")
_MISTYPED_ZERO = str.maketrans({"○": "〇", "Ｏ": "〇"})


def _number(part: str) -> int | None:
    part = unicodedata.normalize("NFKC", part).translate(_MISTYPED_ZERO)
    if part.isdigit():
        return int(part)
    try:
        return parse_chinese_number(part)
    except ValueError:
        return None


def _is_chinese(part: str) -> bool:
    return not unicodedata.normalize("NFKC", part).isdigit()


def _date_faults(m: re.Match[str]) -> tuple[list[str], str | None, bool]:
    """(faults, the date written correctly, written in Chinese numerals)."""
    y, mo, d = m.group("y"), m.group("m"), m.group("d")
    chinese = all(_is_chinese(x) for x in (y, mo, d))
    faults = []
    if not chinese and any(_is_chinese(x) for x in (y, mo, d)):
        faults.append("阿拉伯数字和汉字混用")
    if _FULL_WIDTH_DIGIT_RE.search(y + mo + d):
        faults.append("用了全角数字")
    if (m.group("s1"), m.group("s2"), m.group("s3")) != ("年", "月", "日"):
        faults.append("应用“年”“月”“日”")
    if not chinese and ((len(mo) == 2 and mo[0] in "0０") or (len(d) == 2 and d[0] in "0０")):
        faults.append("月、日不编虚位（不补 0）")
    numbers = [_number(x) for x in (y, mo, d)]
    correct = None
    if None not in numbers:
        try:
            correct = format_date(dt.date(*numbers))  # type: ignore[arg-type]
        except ValueError:
            faults.append(f"日期不存在（{numbers[0]}年{numbers[1]}月{numbers[2]}日）")
    return faults, correct, chinese


def _date_issue(p: Para, text: str) -> tuple[str, Issue] | None:
    m = date_line(text)
    if m is None:
        return None
    faults, correct, chinese = _date_faults(m)
    fix = f"应写作“{correct}”" if correct else "应写作“2022年12月5日”这样的形式（阿拉伯数字，月、日不编虚位）"
    if faults:
        return "form", Issue(f"成文日期“{text.strip()}”写法不对：{'；'.join(faults)}，{fix}。", p.index, excerpt(p.text))
    if chinese:
        return "chinese", Issue(f"成文日期“{text.strip()}”用了汉字数字：GB/T 9704-2012 规定用阿拉伯数字，{fix}。",
                                p.index, excerpt(p.text))
    return None


def _dated_paragraphs(doc: LintDocument) -> Iterator[tuple[Para, str]]:
    for p in doc.by_role(DATE):
        yield p, p.text
    for p in doc.by_role(RECORD):
        m = PRINT_DATE_RE.search(squeeze(p.text))
        if m:
            yield p, m.group("date")


def check_date_form(doc: LintDocument) -> Iterator[Issue]:
    for p, text in _dated_paragraphs(doc):
        found = _date_issue(p, text)
        if found and found[0] == "form":
            yield found[1]


def check_date_chinese_numerals(doc: LintDocument) -> Iterator[Issue]:
    for p, text in _dated_paragraphs(doc):
        found = _date_issue(p, text)
        if found and found[0] == "chinese":
            yield found[1]


def check_doc_number(doc: LintDocument) -> Iterator[Issue]:
    """发文字号: 机关代字〔年份〕序号号 — 〔 〕 brackets, full year, no 第, no padding."""
    for p in doc.by_role(DOC_NUMBER):
        m = DOC_NUMBER_RE.match(squeeze(p.text))
        if m is None:
            continue
        faults = []
        if (m.group("open"), m.group("close")) != ("〔", "〕"):
            faults.append(f"年份应用六角括号“〔 〕”括入，此处用了“{m.group('open')}{m.group('close')}”")
        year, num = unicodedata.normalize("NFKC", m.group("year")), unicodedata.normalize("NFKC", m.group("num"))
        if _FULL_WIDTH_DIGIT_RE.search(m.group("year") + m.group("num")):
            faults.append("应使用阿拉伯数字（半角）")
        if len(year) != 4:
            faults.append("年份应写全 4 位，不能简写")
        if m.group("di"):
            faults.append("序号前不加“第”")
        if len(num) > 1 and num[0] == "0":
            faults.append("序号不编虚位（不补 0）")
        if faults:
            correct = f"{m.group('org')}〔{year}〕{int(num)}号"
            yield Issue(f"发文字号写法不对：{'；'.join(faults)}。应写作“{correct}”。", p.index, excerpt(p.text))
