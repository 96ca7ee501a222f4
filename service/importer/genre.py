"""The vocabulary of the genre: how titles end, who speaks, who signs, how a report closes.

Small word lists, not a model: each is a convention of 工作总结 / 工作报告 /
述职报告 that any reader of the genre would recognise.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..dates import parse_date
from .chars import has_sentence_punct

# An optional trailing note on a title: "（摘要）", "(2022年)", "（草案）".
_TITLE_NOTE = r"(?:[（(][^（()）]{1,12}[)）])?"
# Endings that make a line a report title wherever it stands.
TITLE_STRONG_RE = re.compile(
    r"(?:工作总结|工作报告|述职报告|述廉报告|履职报告|总结报告|工作汇报|总结汇报|情况报告|情况的报告|的报告"
    r"|的讲话|上的讲话|讲话稿|的发言|工作小结|年度总结|年终总结|半年总结|个人总结)" + _TITLE_NOTE + "$"
)
# Endings that make the first line of a text its title.
TITLE_WEAK_RE = re.compile(r"(?:总结|报告|汇报|讲话|发言|述职|小结|致辞|汇报材料)" + _TITLE_NOTE + "$")

# "——在XX镇第五届人民代表大会第二次会议上"
SUBTITLE_RE = re.compile(r"^(?:[—－\-–]{1,3}|[（(].*[)）]$)|会议上|大会上")
SUBTITLE_DONE_RE = re.compile(r"(?:上|讲话|报告|发言|[)）])$")

_JOBS = (
    "主席|主任|总理|省长|市长|州长|县长|区长|镇长|乡长|书记|局长|校长|院长|厂长|所长|站长|部长|处长|科长"
    "|经理|董事长|秘书长|馆长|队长|社长|行长|检察长|庭长|园长|组长|负责人|委员|主任委员"
)
JOB_RE = re.compile(rf"(?:{_JOBS})")
SPEAKER_LEAD_RE = re.compile(r"^(?:报告人|述职人|发言人|汇报人|讲话人)[:：\s]")
# A personal name on its own line, possibly spaced out to fill three characters ("李　强").
NAME_RE = re.compile(r"^[\u4e00-\u9fff](?:[\s\u3000]*[\u4e00-\u9fff]){1,3}$")

_ORG_SUFFIX = (
    "主席团|委员会|常委会|人民政府|政府|人大|党委|党组|党支部|支部|总支|办公室|办事处|街道|局|厅|署|院|所|站|中心"
    "|学校|小学|中学|大学|学院|幼儿园|医院|卫生院|公司|集团|银行|协会|联合会|工会|团委|妇联|镇|乡|村|社区|村委会|居委会"
    "|部|处|科|队|馆"
)
ORG_RE = re.compile(rf"(?:{_ORG_SUFFIX})$")

# Words of a part heading ("一年来的主要工作", "存在的不足"), never of a name.
PART_WORDS_RE = re.compile(
    r"工作|回顾|情况|成绩|成效|问题|不足|打算|安排|措施|做法|经验|体会|目标|任务|思路|建议|计划|展望|要求|重点|主要|总体|基本"
)

SALUTATION_RE = re.compile(r"^(?:各位|尊敬的|亲爱的|同志们|女士们|老师们|朋友们)")

# How the closing part of a report begins.
CLOSING_RE = re.compile(
    r"^(?:各位代表|各位委员|同志们|新的一年|新征程|下一步[，,]|今后[，,]|展望|面对新形势|站在新的|以上|总之|总而言之"
    r"|最后[，,]|让我们|特此|谢谢|(?:明年|来年|\d{4}年)[，,][^。；]{0,12}将)"
)
# Lines that are body text even when short and unpunctuated.
BODY_LEAD_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+是|第[一二三四五六七八九十\d]+[，,、]|首先|其次|再次|[—－]{1,2}|各位|同志们|谢谢|特此|此致|敬礼"
    r"|现将|下面|以下)|^.*如下$"
)

ATTACHMENT_RE = re.compile(r"^附\s*件\s*[:：]\s*")


def is_strong_title(text: str) -> bool:
    return TITLE_STRONG_RE.search(text) is not None


def is_weak_title(text: str) -> bool:
    return TITLE_WEAK_RE.search(text) is not None


_ZERO_LOOKALIKES = str.maketrans({c: "〇" for c in "○◯ＯOo0０零"})
_CN_DIGITS = "〇一二三四五六七八九"
_SPACES_RE = re.compile(r"[\s\u3000]+")
# 2026年x月x日, 20xx年xx月xx日, XXXX年12月24日: a date still to be filled in.
PLACEHOLDER_DATE_RE = re.compile(
    r"^(?=.*[XxＸｘ×*＊□〇○]{1,4}[年月日])[\dXxＸｘ×*＊□]{2,4}\s*年\s*[\dXxＸｘ×*＊□]{1,2}\s*月\s*[\dXxＸｘ×*＊□]{1,2}\s*日$"
)


def _normalise_date(core: str) -> str:
    """二○二四年 (U+25CB), 二 0 一二年, 二〇 二四 年 …: spaces out, zero look-alikes read as 〇."""
    core = _SPACES_RE.sub("", core)
    year, sep, rest = core.partition("年")
    if sep and any(c in _CN_DIGITS[1:] for c in year):
        year = year.translate(_ZERO_LOOKALIKES)
    return year + sep + rest


@lru_cache(maxsize=8192)  # every pass asks about the same lines
def parse_date_line(text: str) -> str | None:
    """ISO date when the whole line is a date (also in brackets), else None."""
    core = text.strip().strip("（）()")
    if not core or len(core) > 24 or not any(c in core for c in "年-/.") :
        return None
    try:
        return parse_date(_normalise_date(core)).isoformat()
    except ValueError:
        return None


def is_placeholder_date(text: str) -> bool:
    return PLACEHOLDER_DATE_RE.match(_SPACES_RE.sub("", text.strip().strip("（）()"))) is not None


def is_name_line(text: str) -> bool:
    return NAME_RE.match(text) is not None


def is_org_line(text: str) -> bool:
    return len(text) <= 30 and not has_sentence_punct(text) and ORG_RE.search(text) is not None
