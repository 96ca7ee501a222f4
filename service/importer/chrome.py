"""Web-page chrome by category, recognised by its parts rather than by one site's wording.

A byline is a date or a time together with byline fields (来源、作者、浏览、点击…);
a disclosure table is a row of ``|`` cells naming 政府信息公开 fields; a
content-farm blurb speaks of 小编 or of what was "整理" for the reader; a
document-sharing site says who uploaded the file or asks you to log in. Each
category is a small set of parts; a line is chrome when its parts say so,
whatever the site.

:func:`category` names the category of a whole line (or None);
:func:`strip_prefix` cuts chrome fused in front of a report's first words.
"""
from __future__ import annotations

import re
from functools import lru_cache

# ---------------------------------------------------------------------------
# Bylines and clocks: a date or time plus byline fields

_WEB_DATE = r"\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}"
_CN_DATE = r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
_TIME = r"\d{1,2}\s*:\s*\d{2}(?:\s*:\s*\d{2})?"
_WEEKDAY = r"星期[一二三四五六日天]|周[一二三四五六日]"
_WEB_DATE_RE = re.compile(rf"{_WEB_DATE}|{_TIME}|{_WEEKDAY}")
_ANY_DATE_RE = re.compile(rf"{_WEB_DATE}|{_CN_DATE}|{_TIME}|{_WEEKDAY}")
_BYLINE_FIELD_RE = re.compile(
    r"(?:发布|发表|更新|上传|生成|成文|公开)?(?:时间|日期)|(?:信息|文章|稿件)?来源|作者|责任编辑|编辑|责编|审核|校对|供稿|录入"
    r"|浏览(?:量|数|次数)?|点击(?:量|数|次数)?|阅读(?:量|数|次数)?|访问(?:量|数|次数)?|评论(?:数)?|字号|字体|栏目|分类"
    r"|分享到|打印本页|打印|关闭窗口|关闭|收藏|简体|繁體|繁体"
)
# What is left of a byline once its fields, dates and separators are gone: short.
_BYLINE_REST_MAX = 14
_SEPARATORS_RE = re.compile(r"[\s\u3000|｜│/／·•:：\-—_【】\[\]()（）>＞,，]+")


def _rest_after(text: str, *patterns: re.Pattern[str]) -> str:
    for pattern in patterns:
        text = pattern.sub(" ", text)
    return _SEPARATORS_RE.sub("", text)


def is_byline(text: str) -> bool:
    """"发布时间：2023-12-09 10:45 来源：XX 浏览：35", "2023-09-11 │ 学校工作总结", clocks."""
    if len(text) > 120 or any(c in "。！？!?；;" for c in text):
        return False
    fields = _BYLINE_FIELD_RE.findall(text)
    web_date = _WEB_DATE_RE.search(text) is not None
    any_date = web_date or _ANY_DATE_RE.search(text) is not None
    rest = _rest_after(text, _ANY_DATE_RE, _BYLINE_FIELD_RE, re.compile(r"\d+"))
    if len(fields) >= 2 and (any_date or ":" in text or "：" in text):
        return len(rest) <= 3 * _BYLINE_REST_MAX
    if fields and (any_date or re.search(r"[:：]", text)):
        return len(rest) <= _BYLINE_REST_MAX
    # A web-style date or a clock with a few words: "2023-09-11 │ 学校工作总结".
    # (A document's own date is written 2023年12月20日 and never stands with a clock.)
    return web_date and len(rest) <= _BYLINE_REST_MAX


# ---------------------------------------------------------------------------
# Disclosure tables (政府信息公开): rows of "|" cells with their field names

_CELL_SPLIT_RE = re.compile(r"\s*[|｜│]\s*")
_DISCLOSURE_FIELD_RE = re.compile(
    r"^(?:索引号|组配分类|发布机构|发文机关|生成日期|成文日期|发布日期|公开日期|公开方式|公开范围|公开形式|公开目录|公开责任部门"
    r"|主题分类|体裁分类|服务对象|文号|发文字号|有效性|效力状况|文件名称|标题|名称|关键词|信息分类|所属机构|来源)[:：]?$"
)
# Cells whose value is the document's own title.
TITLE_FIELD_RE = re.compile(r"^(?:文件名称|标题|名称)[:：]?$")


def cells(text: str) -> list[str]:
    return [c for c in _CELL_SPLIT_RE.split(text.strip().strip("|｜│")) if c]


def disclosure_row(text: str) -> list[str] | None:
    """The cells of a disclosure-table row, or None when the line is not one."""
    if not any(c in text for c in "|｜│"):
        return None
    row = cells(text)
    if any(_DISCLOSURE_FIELD_RE.match(c) for c in row):
        return row
    return None


def title_cell(row: list[str]) -> str | None:
    """The value of a 文件名称 cell: the document's title as the portal files it."""
    for i, cell in enumerate(row[:-1]):
        if TITLE_FIELD_RE.match(cell):
            return row[i + 1]
    return None


# ---------------------------------------------------------------------------
# Content farms, document-sharing sites, login prompts, menus

_BLURB_RE = re.compile(
    r"小编|为(?:大家|您|你)(?:精心)?(?:整理|收集|搜集|准备|带来|推荐)|(?:供|仅供)(?:大家|您|你)?参考|希望(?:能够|能|可以)?(?:帮助|对)(?:到)?(?:大家|您|你)"
    r"|欢迎(?:大家)?(?:阅读|借鉴|参考)|(?:以下|下面)是[^。]{0,30}(?:整理|收集|搜集|分享)"
)
_DOC_SHARE_RE = re.compile(
    r"本文档?(?:由|是)?(?:用户|会员|网友)?(?:上传|分享)|文档(?:来源于|来自)网络|如有侵权|侵权(?:请)?联系|精选优质文档|倾情为你奉上"
    r"|专心[-—]*专注[-—]*专业|下载(?:文档|本文|全文|地址|网址)|(?:开通|成为|充值)(?:VIP|会员)|VIP|付费(?:阅读|下载)|此处隐藏\d*个?字"
    r"|(?:海量|免费)(?:公文|文档|范文|资料)|润笔|加微"
)
_LOGIN_RE = re.compile(r"(?:请|需要|需|先)(?:先)?登录|登录后|立即登录|注册登录|登录(?:查看|阅读|下载)|阅读全(?:部|文)")
_MENU_RE = re.compile(r"^[•·●■◆▪►▶※]\s*\S{0,12}[:：]?$|热门搜索|热门标签|热搜|搜索[:：]?$|^搜\s*索$")
_COPYRIGHT_RE = re.compile(r"版权所有|版权声明|Copyright|©|All\s+Rights\s+Reserved|ICP\s*[备证]|公网安备|主办单位|承办单位|技术支持[:：]", re.I)
_SCRIPT_RE = re.compile(r"^(?:简体|繁體|繁体|简|繁)(?:\s*[|｜/]?\s*(?:简体|繁體|繁体|简|繁|无障碍|长辈版|English))+$|无障碍浏览|长辈版|适老化")
_NAV_RE = re.compile(r"^(?:上一篇|下一篇|上一页|下一页|上篇|下篇)\s*[:：]?")


@lru_cache(maxsize=8192)
def category(text: str) -> str | None:
    """The chrome category of a whole line, or None when it may be the report's."""
    if len(text) > 400:
        return None
    if disclosure_row(text) is not None:
        return "disclosure"
    if _BLURB_RE.search(text):
        return "blurb"
    if len(text) > 160:
        return None
    if _DOC_SHARE_RE.search(text):
        return "docshare"
    if _NAV_RE.match(text):
        return "pager"
    if len(text) > 80:
        return None
    if _LOGIN_RE.search(text) and not text.rstrip().endswith("。"):
        return "login"
    if is_byline(text):
        return "byline"
    if _MENU_RE.search(text):
        return "menu"
    if _COPYRIGHT_RE.search(text) or _SCRIPT_RE.search(text):
        return "copyright"
    return None


# ---------------------------------------------------------------------------
# Chrome fused in front of a report's first words

_PREFIX_SENTENCE_RE = re.compile(r"[^。！!？?]*[。！!？?]")
_AD_MARK_RE = re.compile(r"https?://|www\.|\.(?:com|cn|net|org)\b|公众\W?号|微信|加微|QQ|下载网址|网址|素材|范文网|文库")
_PREFIX_MAX = 160


def strip_prefix(text: str) -> tuple[str, str]:
    """(chrome, rest): sentences of site advertising and slogans fused before the text.

    "老金范文,海量公文素材资料,下载网址:www…。 卫生健康局…" → the ad, the rest;
    "精选优质文档-倾情为你奉上某某卫生院…" → the slogan, the rest.
    """
    m = _DOC_SHARE_SLOGAN_RE.match(text)
    if m:
        return text[: m.end()], text[m.end() :]
    cut = 0
    pos = 0
    while pos < min(len(text), _PREFIX_MAX):
        sentence = _PREFIX_SENTENCE_RE.match(text, pos)
        if sentence is None:
            break
        body = sentence.group()
        ad = _AD_MARK_RE.search(body) is not None or _DOC_SHARE_RE.search(body) is not None
        # A two- to six-character tail ("整理汇总。") after an ad is still the ad.
        if ad or (cut and len(body.strip()) <= 6):
            cut = pos = sentence.end()
            continue
        break
    return text[:cut], text[cut:]


_DOC_SHARE_SLOGAN_RE = re.compile(r"^(?:精选优质文档[-—\s]*倾情为你奉上|专心[-—]*专注[-—]*专业)[\s\u3000]*")
