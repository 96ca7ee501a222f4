"""Reading the dates people type, and writing 成文日期 the standard's way."""
from __future__ import annotations

import datetime as dt
import re

from .numbering import CHINESE_NUMERAL_CHARS, parse_chinese_number

_NUMERIC_DATE_RE = re.compile(
    r"^\s*(\d{4})\s*(?:[-/.．]|年)\s*(\d{1,2})\s*(?:[-/.．]|月)\s*(\d{1,2})\s*日?\s*$"
)
_CN_DATE_RE = re.compile(
    rf"^\s*([{CHINESE_NUMERAL_CHARS}]{{4}})\s*年\s*([{CHINESE_NUMERAL_CHARS}]{{1,3}})\s*月"
    rf"\s*([{CHINESE_NUMERAL_CHARS}]{{1,3}})\s*日\s*$"
)


def parse_date(text: str) -> dt.date:
    """Read ISO ``2022-12-05`` and the usual Chinese forms (2022年12月5日,
    2022/12/5, 2022.12.5, 二〇二二年十二月五日).

    Raises ``ValueError`` with a Chinese message for anything else, including
    dates that do not exist (2022-13-45).
    """
    m = _NUMERIC_DATE_RE.match(text)
    if m:
        year, month, day = (int(g) for g in m.groups())
    else:
        m = _CN_DATE_RE.match(text)
        if not m:
            raise ValueError("日期格式无法识别，请使用 YYYY-MM-DD，例如 2022-12-05")
        year, month, day = (parse_chinese_number(g) for g in m.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"日期不存在：{year}年{month}月{day}日") from None


def format_date(value: dt.date) -> str:
    """成文日期: Arabic numerals, full year, no zero padding — 2022年12月5日."""
    return f"{value.year}年{value.month}月{value.day}日"
