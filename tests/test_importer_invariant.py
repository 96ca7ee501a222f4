"""The numbering invariant, as a property (issue 12).

Render a random report as plain text the way the engine numbers it (parts,
一、 （一） 1. （1）), add random web chrome lines and random line breaks inside
sentences, import it, and compare: the headings come back in the same tree
(so the engine prints every ordinal as before), nothing unlabelled gets a
number, and no character of the body is lost.
"""
from __future__ import annotations

from typing import Any

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service import numbering
from service.importer import import_text
from service.model import validate_report

TITLES = ["青山镇2023年工作总结", "县统计局2024年工作要点", "东湖街道2023年工作总结和2024年工作思路", "关于安置房建设进展情况的报告",
          "县市场监管局2024年工作计划"]
PART_HEADINGS = ["2023年工作回顾", "2024年工作打算", "存在的主要问题", "下一步工作安排"]
HEADINGS = ["加强组织领导", "推进项目建设", "抓好安全生产", "提升服务水平", "深化改革创新", "强化队伍建设", "优化营商环境",
            "守牢民生底线", "坚持党建引领", "狠抓作风建设"]
SENTENCES = ["全年完成固定资产投资3.2亿元，同比增长5.1%。", "群众满意度明显提升，各项工作取得新进展。", "坚持问题导向，补齐短板弱项。",
             "新建村级服务中心12个，惠及群众1,200余户。", "组织专题培训6期，参训干部达300人次。", "按照县委部署，扎实推进重点任务。"]
CHROME = [
    "发布时间：2023-06-01 09:30 浏览次数：1024",
    "来源：青山镇人民政府 作者：党政办 点击：35",
    "索引号 | 001/2024-0012 | 发布机构 | 青山镇 |",
    "下面是小编为大家整理的工作总结，供大家参考。",
    "本文档由用户上传，如有侵权请联系删除",
    "（阅读全部内容，请先登录！）",
    "上一篇：2022年工作总结",
    "版权所有 © 青山镇人民政府",
    "简体 | 繁體",
    "2024年04月28日 14:31 星期日",
    "分享到：微信 微博 QQ空间",
]

Section = dict[str, Any]


def _sections(depth: int, max_depth: int) -> st.SearchStrategy[list[Section]]:
    child = _sections(depth + 1, max_depth) if depth < max_depth else st.just([])
    return st.lists(
        st.builds(
            lambda h, ps, cs: {"heading": h, "paragraphs": ps, "sections": cs},
            st.sampled_from(HEADINGS),
            st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=2),
            child,
        ),
        min_size=1,
        max_size=3,
    )


@st.composite
def reports(draw: st.DrawFn) -> dict[str, Any]:
    with_parts = draw(st.booleans())
    report: dict[str, Any] = {"title": draw(st.sampled_from(TITLES)), "preamble": [draw(st.sampled_from(SENTENCES))]}
    if with_parts:
        names = draw(st.lists(st.sampled_from(PART_HEADINGS), min_size=2, max_size=3, unique=True))
        report["sections"] = [
            {"part": True, "heading": name, "paragraphs": [], "sections": draw(_sections(1, 4))} for name in names
        ]
    else:
        report["sections"] = draw(_sections(1, 4))
    return report


def render_text(report: dict[str, Any]) -> list[str]:
    """The report as plain lines, labelled as the engine labels it."""
    lines = [report["title"], *report["preamble"]]

    def walk(sections: list[Section], level: int) -> None:
        for n, section in enumerate(sections, start=1):
            lines.append(numbering.label(level, n) + section["heading"])
            lines.extend(section["paragraphs"])
            walk(section["sections"], level + 1)

    if report["sections"][0].get("part"):
        for part in report["sections"]:
            lines.append(part["heading"])  # unlabelled, above 一、
            lines.extend(part["paragraphs"])
            walk(part["sections"], 1)
    else:
        walk(report["sections"], 1)
    return lines


def shape(sections: list[Section], depth: int = 1) -> list[tuple[int, str, bool]]:
    out: list[tuple[int, str, bool]] = []
    for section in sections:
        out.append((depth, section["heading"], bool(section.get("part"))))
        out += shape(section.get("sections", []), depth + 1)
    return out


def body_text(report: dict[str, Any]) -> str:
    parts = list(report.get("preamble", [])) + list(report.get("closing", []))
    stack = list(report.get("sections", []))
    while stack:
        section = stack.pop()
        parts += section.get("paragraphs", [])
        stack += section.get("sections", [])
    return "".join(parts)


def _noisy(lines: list[str], draw: st.DrawFn) -> str:
    out: list[str] = []
    for i, line in enumerate(lines):
        if i and draw(st.integers(0, 4)) == 0:
            out.append(draw(st.sampled_from(CHROME)))
        comma = line.find("，")
        if comma > 0 and line.endswith("。") and draw(st.booleans()):
            out += [line[: comma + 1], line[comma + 1 :]]  # a line break inside the sentence
        else:
            out.append(line)
    if draw(st.booleans()):
        out.insert(0, draw(st.sampled_from(CHROME)))
    if draw(st.booleans()):
        out.append(draw(st.sampled_from(CHROME)))
    return "\n".join(out)


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    report = draw(reports())
    return report, _noisy(render_text(report), draw)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_ordinals_survive_chrome_and_line_breaks(case: tuple[dict[str, Any], str]) -> None:
    source, text = case
    result = import_text(text)
    assert len(result.reports) == 1, (text, [r["title"] for r in result.reports])
    got = result.reports[0]
    validate_report(got)
    assert got["title"] == source["title"], text
    # The same tree of headings: the engine prints the same ordinals.
    assert shape(got["sections"]) == shape(source["sections"]), text
    # No body character lost (and no chrome added to the body).
    want = "".join(source["preamble"]) + "".join(
        p for s in _all(source["sections"]) for p in s["paragraphs"]
    )
    assert sorted(body_text(got)) == sorted(want), text


def _all(sections: list[Section]) -> list[Section]:
    out: list[Section] = []
    for section in sections:
        out.append(section)
        out += _all(section["sections"])
    return out
