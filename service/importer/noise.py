"""Web-page noise: what a scraped page adds around a report.

Site names, navigation and breadcrumbs, reading statistics, pagination,
share and QR-code lines, watermarks, bare page numbers and licence blocks.
Nothing is dropped silently: every removal is recorded as a
:class:`~service.importer.result.Removed` and becomes a warning.

Most patterns apply only to short lines: a body paragraph that mentions
"版权所有" is still body text.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Sequence

from . import chrome, genre
from .chars import has_cjk, has_sentence_punct
from .labels import read_label
from .lines import SHORT_LINE_MAX, Para, SourceLine
from .result import Removed

SHORT_NOISE_MAX = 80

# Pagination markers, removed wherever they stand (also inside a line).
_PAGE_MARK_RE = re.compile(
    r"[（(]\s*第\s*\d+\s*[/／]\s*\d+\s*页\s*[)）]"
    r"|第\s*\d+\s*页\s*[,，/／]?\s*共\s*\d+\s*页"
    r"|共\s*\d+\s*页\s*[,，]?\s*第\s*\d+\s*页"
    # A PDF's page number left inside the text: "积极争取 -1- 资金", "…为谢。 -2-"
    r"|(?<=\s)[-—－]\s?\d{1,3}\s?[-—－](?=\s|$)"
)

# Noise that fills a whole short line, by where it must match. Two regexes,
# not one: a branch that may start anywhere ("\\S…") would make Python's re
# try every branch at every position of every line.
_LINE_STARTS = [
    r"[-—－–_\s]*\d+[-—－–_\s]*$",  # bare page numbers, "— 1 —", counters
    r"第\s*\d+\s*页$",
    r"\d+\s*[/／]\s*\d+$",  # "3/15"
    r"(?:发布|更新|上传|录入|编辑)?(?:时间|日期)\s*[:：]",
    r"(?:来源|作者|编辑|责任编辑|责编|审核|供稿|文章来源|信息来源|出处|录入)\s*[:：]",
    r"字体\s*[:：]",
    r"首页\s*[>›»＞/→]",  # breadcrumbs
    r"\S{1,12}(?:网|文库)\s*[-—_|｜◆★·]",  # "XX文库◆记住我"
    r"分享$",
    r"[▲△▼↑]|图为|图片来源|图/|摄影\s*[:：]|配图\s*[:：]",  # image captions
]
# Noise anywhere in a short line. "Strong" patterns are never the words of a
# report; "weak" ones are words a report may well use ("本站现有职工12人。",
# "二、推广“扫一扫”便民服务"), so they count only in a line that has no label
# and no sentence-ending punctuation.
SENTENCE_END = "。！？!?；;"  # a line ending a sentence is written text, not page furniture
_ANYWHERE_STRONG = [
    # breadcrumbs
    r"[>›»＞][^>›»＞]*[>›»＞]",
    # reading statistics and publishing data
    r"共计?\s*\d+\s*个?字|阅读时长|预计阅读|阅读(?:量|次数|数)\s*[:：]?\s*\d|浏览(?:量|次数)?\s*[:：]\s*\d",
    r"点击(?:量|数|率|次数)?\s*[:：]\s*\d|\d+\s*(?:人|次)(?:阅读|浏览)",
    r"字号\s*[:：]|【\s*字体|[【\[]\s*[大中小]\s*[】\]]",
    # site furniture
    r"加入收藏|收藏本站|设为首页|关闭窗口|打印本页|【打印】|【关闭】|\[打印\]|\[关闭\]",
    r"当前位置|您的位置|你的位置|您现在的位置|所在位置",
    r"版权所有|Copyright|©|ICP\s*备|公网安备|免责声明|网站地图|隐私政策",
    r"(?:\s[-—–]|[_|｜◆★])\s*\S{1,12}(?:网|文库|在线)\s*$",  # "…工作总结 - 公文网"
    r"记住我|网址\s*[:：]",
    r"(?:微信|手机)?扫(?:码|一扫|描二维码)(?:关注|分享|领取|下载|阅读|查看|添加|获取)|微信扫码",
    r"(?:精选|优选|通用|合集|汇编|大全)\s*[（(]?\s*\d+\s*篇|[-—_－(（]\s*\d+\s*篇\s*[)）]?\s*$",
]
_ANYWHERE_WEAK = [
    # pagers and article navigation
    r"上一页|下一页|上一篇|下一篇(?!章)|尾页|返回列表|返回顶部|返回首页|联系我们|关于我们",
    r"本站|扫一扫",
    # An address alone is the page's; inside a written sentence it is the report's.
    r"https?://|www\.|\.(?:com|cn|net|org)\b",
    r"长按(?:识别|扫描|关注)?(?:二维码|图片)?|点击上方|阅读原文|点个?在看|点赞(?:、|和)?(?:在看|转发|分享)",
    r"分享到|一键分享|微信分享|分享至|朋友圈|QQ空间|新浪微博",
    r"领取福利|关注(?:我们|公众号)|公众号\s*[:：]|免费下载|点击下载|复制链接|本文链接|原文链接|原文地址",
    r"下载(?:本文|全文|文档|word|Word|WORD|PDF)",
    # watermarks and collection titles ("工作总结范文")
    r"仅供(?:参考|学习|个人)|严禁转载|转载请|未经(?:许可|授权)|如有侵权|侵权(?:请)?联系|内容来源于网络",
    r"本文(?:由|来源|来自)|整理发布|整理提供|范文",
]
_LINE_STARTS_RE = re.compile("^(?:" + "|".join(_LINE_STARTS) + ")")
_ANYWHERE_STRONG_RE = re.compile("|".join(_ANYWHERE_STRONG))
_ANYWHERE_WEAK_RE = re.compile("|".join(_ANYWHERE_WEAK))

_LICENCE_RE = re.compile(
    r"公有领域|Public\s+domain|Creative\s+Commons|知识共享|维基文库|维基百科|Wikisource|Wikipedia|CC[\s-]*BY|GNU\s+Free",
    re.IGNORECASE,
)
_LICENCE_CONTEXT_RE = re.compile(r"本作品|此作品|该作品|许可协议|授权条款|社群|著作权法")

# "篇一：…", "【篇2】", "第三篇" separate the reports of a collection page.
_REPORT_MARKER_RE = re.compile(
    r"^[【\[]?\s*(?:篇\s*[一二三四五六七八九十\d]+|第\s*[一二三四五六七八九十\d]+\s*篇|范文\s*[一二三四五六七八九十\d]+)"
    r"\s*[】\]]?\s*[:：.、]?\s*"
)

# … or stand after a title: "2023年社区工作总结 篇1", "……工作总结（篇二）".
_REPORT_MARKER_END_RE = re.compile(r"[\s\u3000]*[（(【\[]?\s*篇\s*[一二三四五六七八九十\d]+\s*[)）】\]]?$")
# A collection's count after its headline: "……工作总结报告【六篇】".
_COLLECTION_COUNT_RE = re.compile(r"[\s\u3000]*[【\[（(]\s*[一二三四五六七八九十\d]+\s*篇\s*[】\]）)]$")

# "相关推荐：" and the like start a list of links to other articles; the links
# (short lines, often other reports' titles) are noise up to the next real text.
_LINK_LIST_RE = re.compile(
    r"^(?:相关推荐|相关文章|相关阅读|相关范文|推荐阅读|猜你喜欢|热门推荐|热门文章|精彩推荐|最新文章|延伸阅读|本文关键词"
    r"|更多(?:相关)?(?:文章|范文|推荐|内容))"
)
_LINK_MAX = 40
# A bare site name ("办公资源网") at the top or bottom of a page.
_SITE_NAME_RE = re.compile(r"^[\w\u4e00-\u9fff·]{2,12}(?:网|文库|网站|之家)$")

# A short line seen this often is a watermark.
_WATERMARK_REPEATS = 3


def is_short_noise(text: str) -> bool:
    if len(text) > SHORT_NOISE_MAX:
        return False
    if _LINE_STARTS_RE.match(text) is not None or _ANYWHERE_STRONG_RE.search(text) is not None:
        return True
    return (
        _ANYWHERE_WEAK_RE.search(text) is not None
        and not any(c in SENTENCE_END for c in text)
        and read_label(text)[0] is None
    )


def is_licence(text: str) -> bool:
    if _LICENCE_RE.search(text) is None:
        return False
    # Licence blocks are judged as whole paragraphs: their lines are often
    # broken at every link ("本作品是中华人民共和国的" / "法律" / "、" …).
    return len(text) <= SHORT_NOISE_MAX or _LICENCE_CONTEXT_RE.search(text) is not None


def _is_content_line(text: str) -> bool:
    """Lines that look like noise by their shape but carry the report's own structure."""
    return genre.parse_date_line(text) is not None or read_label(text)[0] is not None


def _watermarks(lines: Sequence[SourceLine]) -> set[str]:
    counts = Counter(line.text for line in lines if len(line.text) <= 30)
    return {
        text
        for text, n in counts.items()
        if n >= _WATERMARK_REPEATS
        and not has_sentence_punct(text)
        and not _is_content_line(text)
        and not genre.is_weak_title(text)
        and not genre.is_org_line(text)
        and not genre.BODY_LEAD_RE.match(text)
    }


def _clean_line(line: SourceLine, short_noise: bool, watermarks: set[str], removed: list[Removed]) -> tuple[str, bool]:
    """The line's text after removing noise, and whether a report marker led it.

    ``short_noise``: whether the line as it stands is short noise (computed once).
    """
    text = line.text
    marks = _PAGE_MARK_RE.findall(text)
    if marks:
        removed.extend(Removed("noise", line.no, m) for m in marks)
        text = _PAGE_MARK_RE.sub("", text).strip()
        short_noise = is_short_noise(text)
    if _is_content_line(text) and not short_noise:
        return text, False  # "12" is a page number, "2023年12月20日" and "1." are not noise
    starts_report = False
    marker = _REPORT_MARKER_RE.match(text)
    if marker:
        removed.append(Removed("noise", line.no, marker.group()))
        text = text[marker.end() :].strip()
        starts_report = True
    marker = _REPORT_MARKER_END_RE.search(text) if len(text) <= SHORT_NOISE_MAX else None
    if marker and marker.start() > 0:
        removed.append(Removed("noise", line.no, marker.group()))
        text = text[: marker.start()].strip()
        starts_report = True
    count = _COLLECTION_COUNT_RE.search(text) if len(text) <= SHORT_NOISE_MAX and not starts_report else None
    if count and count.start() > 0:
        removed.append(Removed("noise", line.no, count.group()))
        text = text[: count.start()].strip()
        short_noise = is_short_noise(text)
    if starts_report:
        short_noise = is_short_noise(text)
    if text and (text in watermarks or short_noise):
        removed.append(Removed("noise", line.no, text))
        text = ""
    return text, starts_report


def _is_link(text: str) -> bool:
    return (
        len(text) <= _LINK_MAX
        and not any(c in "。！？!?；;" for c in text)
        and not _is_content_line(text)  # a heading or a date ends the list
    )


def _is_substantial(text: str, short_noise: bool) -> bool:
    if short_noise:
        return False
    return (
        len(text) > SHORT_LINE_MAX
        or has_sentence_punct(text)
        or read_label(text)[0] is not None
        or genre.is_weak_title(text)
    )


def _page_edges(lines: Sequence[SourceLine], short_noise: Sequence[bool]) -> tuple[int, int]:
    """Indexes of the first and last substantial lines: a paragraph, a
    labelled line or a title. Outside them is the page's frame."""
    substantial = [i for i, line in enumerate(lines) if _is_substantial(line.text, short_noise[i])]
    return (substantial[0], substantial[-1]) if substantial else (len(lines), -1)


_EDGE_PIPES_RE = re.compile(r"^[|｜│\s]+|[\s|｜│]+$")
# Site advertising fused in front of the text is looked for in the first lines only.
_PREFIX_LINES = 3


def _chrome(line: SourceLine, hints: dict[str, object], removed: list[Removed]) -> bool:
    """Is the whole line chrome of a known category? (Recorded; a 文件名称 cell kept as a hint.)"""
    kind = chrome.category(line.text)
    if kind is None or _is_content_line(line.text):
        return False
    if kind == "disclosure":
        title = chrome.title_cell(chrome.disclosure_row(line.text) or [])
        if title and "title" not in hints:
            hints["title"] = (line.no, title)
    removed.append(Removed("noise", line.no, line.text))
    return True


def _unframe(line: SourceLine, seen: int, removed: list[Removed]) -> SourceLine:
    """A flattened table cell ("东柳街道2023年工作总结 |") without its bars, and
    site advertising fused in front of the first lines' text, each recorded."""
    text = line.text
    if any(c in text[:1] + text[-1:] for c in "|｜│"):
        stripped = _EDGE_PIPES_RE.sub("", text)
        if stripped != text:
            removed.append(Removed("noise", line.no, text.replace(stripped, "", 1) if stripped else text))
            text = stripped
    if seen < _PREFIX_LINES and text:
        ad, rest = chrome.strip_prefix(text)
        if ad and rest.strip():
            removed.append(Removed("noise", line.no, ad))
            text = rest.strip()
    return replace(line, text=text) if text != line.text else line


def filter_lines(
    lines: Sequence[SourceLine], removed: list[Removed], hints: dict[str, object] | None = None
) -> list[SourceLine]:
    """Drop noise lines and inline page markers; mark where noise interrupted the text.

    ``hints`` receives what chrome tells about the report (a disclosure
    table's 文件名称: ``hints["title"] = (line, title)``).
    """
    hints = {} if hints is None else hints
    lines = [_unframe(line, i, removed) for i, line in enumerate(lines)]
    lines = [line for line in lines if line.text]
    watermarks = _watermarks(lines)
    short_noise = [is_short_noise(line.text) for line in lines]
    first, last = _page_edges(lines, short_noise)
    out: list[SourceLine] = []
    blank = noise = report = in_links = False
    for i, line in enumerate(lines):
        # A list of links ends at the next real text, or at chrome of another kind (a byline).
        in_links = (in_links and _is_link(line.text) and chrome.category(line.text) is None) or _LINK_LIST_RE.match(line.text) is not None
        at_edge = (i < first or i > last) and _SITE_NAME_RE.match(line.text) is not None
        if in_links or at_edge or _chrome(line, hints, removed):
            if in_links or at_edge:
                removed.append(Removed("noise", line.no, line.text))
            text, starts_report = "", False
        else:
            text, starts_report = _clean_line(line, short_noise[i], watermarks, removed)
        blank = blank or line.blank_before
        report = report or starts_report
        if not text:
            noise = True
            continue
        out.append(replace(line, text=text, blank_before=blank, noise_before=noise, starts_report=report))
        blank = noise = report = False
    return out


def filter_paras(paras: Sequence[Para], removed: list[Removed]) -> list[Para]:
    """Drop paragraphs that are noise only once their lines are joined (licence blocks, no Chinese)."""
    out: list[Para] = []
    carry_marker = False
    for para in paras:
        if is_licence(para.text) or not (has_cjk(para.text) or _is_content_line(para.text)):
            removed.append(Removed("noise", para.first, para.text, para.last))
            carry_marker = carry_marker or para.starts_report
            continue
        out.append(replace(para, starts_report=True) if carry_marker else para)
        carry_marker = False
    return out
