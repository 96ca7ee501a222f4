"""One fixture per class of mistake the importer made on real pasted pages (issue 12).

Every text here is written for this test (none is copied from a web page):
titles by position and shape, web chrome by category, the numbering
invariant and parts, the end of a report, one-line documents, full-width
punctuation and warnings as objects.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from tests.test_importer import all_paragraphs, assert_every_character_accounted_for, flatten

from service.importer import ImportResult, import_text
from service.importer.structure import UNTITLED
from service.model import validate_report

BODY = "全年完成重点任务十二项，群众满意度明显提升。"
MORE = "坚持问题导向，补齐民生短板，办好十件实事。"


def _import(text: str, **kwargs: Any) -> ImportResult:
    result = import_text(text, **kwargs)
    for report in result.reports:
        validate_report(report)
    return result


def _one(text: str, **kwargs: Any) -> dict[str, Any]:
    result = _import(text, **kwargs)
    assert len(result.reports) == 1, [r["title"] for r in result.reports]
    return result.reports[0]


def _headings(report: dict[str, Any]) -> list[tuple[int, str]]:
    return [(level, heading) for level, heading, _ in flatten(report["sections"])]


def _codes(result: ImportResult) -> list[str]:
    return [w.code for w in result.warnings]


# ---------------------------------------------------------------------------
# Titles by position and shape


@pytest.mark.parametrize(
    "title",
    ["柳溪街道2025年工作思路", "县农业农村局2025年工作打算", "青禾镇2025年工作计划", "县档案馆2025年重点工作安排",
     "市住建局2025年工作要点", "县城区燃气管网改造实施方案", "关于秸秆综合利用工作的情况汇报", "新时代文明实践中心建设情况"],
)
def test_the_first_prominent_line_is_the_title_whatever_its_ending(title: str) -> None:
    report = _one(f"{title}\n{BODY}\n一、主要任务\n{MORE}\n二、保障措施\n{MORE}\n")
    assert report["title"] == title
    assert _headings(report) == [(1, "主要任务"), (1, "保障措施")]


def test_a_slogan_title_keeps_its_dash_subtitle() -> None:
    report = _one(f"守正创新谋发展　同心聚力开新局\n——青禾镇2024年工作总结\n{BODY}\n一、经济运行\n{MORE}\n")
    assert report["title"] == "守正创新谋发展　同心聚力开新局"
    assert report["subtitle"] == "——青禾镇2024年工作总结"
    assert _headings(report) == [(1, "经济运行")]


def test_a_title_after_a_byline_and_a_related_list_is_still_first() -> None:
    text = (
        "相关文章：\n乡镇半年工作总结\n社区年度工作总结\n"
        "发稿时间：2024-07-02 16:05　稿源：县融媒体中心　阅读：812\n"
        f"县水利局2024年上半年工作总结\n{BODY}\n一、水利项目建设\n{MORE}\n"
    )
    result = _import(text)
    assert result.reports[0]["title"] == "县水利局2024年上半年工作总结"
    assert _codes(result).count("noise_removed") == 4


def test_a_title_repeated_by_the_portal_is_kept_once() -> None:
    text = f"青禾镇2024年工作总结\n青禾镇2024年工作总结\n{BODY}\n一、主要成效\n{MORE}\n"
    result = _import(text)
    assert result.reports[0]["title"] == "青禾镇2024年工作总结"
    assert "青禾镇2024年工作总结" not in all_paragraphs(result.reports[0])


def test_a_title_over_three_lines_is_joined() -> None:
    report = _one(f"青禾镇人民政府\n关于2024年度防汛工作\n情况的报告\n县应急管理局：\n{BODY}\n")
    assert report["title"] == "青禾镇人民政府关于2024年度防汛工作情况的报告"
    assert report["recipient"] == "县应急管理局："


def test_without_a_title_nothing_is_promoted_and_a_warning_says_so() -> None:
    result = _import(f"{BODY}\n一、主要做法\n{MORE}\n二、存在问题\n{MORE}\n")
    report = result.reports[0]
    assert report["title"] == UNTITLED
    assert _headings(report) == [(1, "主要做法"), (1, "存在问题")]
    warning = next(w for w in result.warnings if w.code == "no_title")
    assert warning.line == 1


# ---------------------------------------------------------------------------
# Chrome by category: recognised by its parts, every removal reported


@pytest.mark.parametrize(
    "chrome",
    [
        "发稿时间：2024-07-02 16:05　稿源：县融媒体中心",  # byline in other words
        "作者：综合科　　时间：2023年12月29日　　浏览：356次",
        "2024-01-08 │ 工作总结",  # date and category
        "索引号 | 11330100/2024-00012 | 发布机构 | 青禾镇 |",  # disclosure table row
        "以下是小编精心整理的乡镇工作总结，希望能够帮助到大家。",  # content-farm blurb
        "本文档由会员上传分享，如有侵权请联系删除。",  # doc-sharing disclaimer
        "（登录后可阅读全文）",  # login prompt
        "下一篇：2023年社区工作总结",
        "Copyright © 2024 青禾镇人民政府 版权所有",
        "简体 | 繁體 | 无障碍",
        "2025年01月06日 08:31 星期一",  # clock
    ],
)
def test_chrome_of_every_category_goes_and_is_reported(chrome: str) -> None:
    text = f"青禾镇2024年工作总结\n{chrome}\n{BODY}\n一、主要成效\n{MORE}\n"
    result = _import(text)
    report = result.reports[0]
    assert report["title"] == "青禾镇2024年工作总结"
    assert report["preamble"] == [BODY]
    assert _headings(report) == [(1, "主要成效")]
    assert any(w.code == "noise_removed" and w.line == 2 for w in result.warnings), result.warnings
    assert_every_character_accounted_for(text, result)


def test_a_disclosure_table_names_the_title_when_the_page_has_no_title_line() -> None:
    text = (
        "文件名称 | 青禾镇2024年政府工作报告 | |\n索引号 | 1133/2025-01 | 文号 | |\n"
        f"各位代表：\n现在，我代表镇人民政府向大会报告工作，请予审议。\n一、2024年工作回顾\n{MORE}\n"
    )
    result = _import(text)
    assert result.reports[0]["title"] == "青禾镇2024年政府工作报告"
    assert "title_from_table" in _codes(result)


# ---------------------------------------------------------------------------
# The numbering invariant and parts


def test_a_short_line_after_the_last_section_is_not_a_new_numbered_heading() -> None:
    report = _one(f"青禾镇2024年工作总结\n{BODY}\n一、主要成效\n{MORE}\n二、存在问题\n{MORE}\n下步打算\n{MORE}\n")
    assert _headings(report) == [(1, "主要成效"), (1, "存在问题")]
    assert "下步打算" in all_paragraphs(report)


def test_unlabelled_part_lines_above_one_become_parts_and_one_restarts() -> None:
    text = (
        f"青禾镇2024年工作总结和2025年工作打算\n{BODY}\n2024年工作回顾\n一、经济发展\n{MORE}\n二、社会事业\n{MORE}\n"
        f"2025年工作打算\n一、抓项目\n{MORE}\n二、优服务\n{MORE}\n三、保民生\n{MORE}\n"
    )
    report = _one(text)
    assert [(s.get("part"), s["heading"]) for s in report["sections"]] == [(True, "2024年工作回顾"), (True, "2025年工作打算")]
    assert [[c["heading"] for c in s["sections"]] for s in report["sections"]] == [["经济发展", "社会事业"], ["抓项目", "优服务", "保民生"]]
    assert "options" not in report  # unnumbered parts print without 第一部分


def test_numbered_parts_keep_their_ordinals_as_part_labels() -> None:
    text = f"县统计局工作报告\n{BODY}\n第一部分　2024年工作回顾\n一、统计改革\n{MORE}\n第二部分　2025年工作安排\n一、数据质量\n{MORE}\n"
    report = _one(text)
    assert [s["heading"] for s in report["sections"]] == ["2024年工作回顾", "2025年工作安排"]
    assert report["options"] == {"part_labels": "ordinal"}


def test_a_label_style_changed_to_the_standard_one_is_said_once() -> None:
    text = f"青禾镇2024年工作总结\n{BODY}\n一、主要成效\n1.抓项目\n{MORE}\n2.优服务\n{MORE}\n二、下步打算\n1.强队伍\n{MORE}\n"
    result = _import(text)
    assert _headings(result.reports[0]) == [(1, "主要成效"), (2, "抓项目"), (2, "优服务"), (1, "下步打算"), (2, "强队伍")]
    style = [w for w in result.warnings if w.code == "label_style"]
    assert len(style) == 1 and "“1.”" in style[0].message and "（一）" in style[0].message and style[0].line == 4


def test_a_numbered_paragraph_is_not_cut_into_a_heading_at_a_comma() -> None:
    long = "1、" + "自开展创建活动以来，社区党总支多次召开专题会议，传达上级精神，部署具体工作，" * 2 + "取得了明显成效。"
    report = _one(f"青禾社区创建工作小结\n{BODY}\n一、加强领导\n{long}\n")
    assert _headings(report) == [(1, "加强领导")]
    assert report["sections"][0]["paragraphs"] == [long]  # its ordinal kept as written


# ---------------------------------------------------------------------------
# The end of a report


def test_attachments_on_one_line_with_a_closing_sentence_after_them() -> None:
    text = f"关于2024年度项目资金使用情况的报告\n县财政局：\n{BODY}\n附件：1.项目资金明细表 2.绩效自评报告 3.佐证材料目录\n特此报告。\n青禾镇人民政府\n2025年1月6日\n"
    report = _one(text)
    assert report["attachments"] == ["项目资金明细表", "绩效自评报告", "佐证材料目录"]
    assert report["closing"] == ["特此报告。"]
    assert report["signature"] == "青禾镇人民政府" and report["date"] == "2025-01-06"


def test_attachments_over_several_lines_do_not_swallow_the_signature() -> None:
    text = (
        f"关于2024年度项目资金使用情况的报告\n县财政局：\n{BODY}\n"
        "附件：1.青禾镇2024年度乡村振兴衔接资金项目实施情况明细表\n2.绩效自评报告\n\n青禾镇人民政府\n二〇二五年一月六日\n"
    )
    report = _one(text)
    assert report["attachments"] == ["青禾镇2024年度乡村振兴衔接资金项目实施情况明细表", "绩效自评报告"]
    assert report["signature"] == "青禾镇人民政府" and report["date"] == "2025-01-06"


def test_attachment_numbers_that_skip_are_said() -> None:
    result = _import(f"关于防汛工作的报告\n{BODY}\n附件：1.物资清单\n3.值班表\n青禾镇人民政府\n2025年1月6日\n")
    assert result.reports[0]["attachments"] == ["物资清单", "值班表"]
    assert "sequence" in _codes(result)


@pytest.mark.parametrize(
    "signature",
    ["青禾镇人民政府、青禾镇人大主席团", "青禾镇人民政府\n青禾镇人大主席团"],
)
def test_signatures_of_several_bodies(signature: str) -> None:
    report = _one(f"关于防汛工作的报告\n{BODY}\n{signature}\n2025年1月6日\n")
    assert report["signature"].replace("\u3000", "、") == "青禾镇人民政府、青禾镇人大主席团"
    assert report["date"] == "2025-01-06"


@pytest.mark.parametrize(
    "date",
    ["2025年1月6日", "2025 年 1 月 6 日", "二〇二五年一月六日", "二○二五年一月六日", "二\u25cb二五年一月六日", "二 0 二五年一月六日"],
)
def test_dates_in_every_form_people_type(date: str) -> None:
    report = _one(f"关于防汛工作的报告\n{BODY}\n青禾镇人民政府\n{date}\n")
    assert report["date"] == "2025-01-06" and report["signature"] == "青禾镇人民政府"
    assert not report["sections"]


@pytest.mark.parametrize("placeholder", ["2026年x月x日", "20xx年xx月xx日", "XXXX年12月24日"])
def test_a_placeholder_date_is_kept_as_text_with_a_warning(placeholder: str) -> None:
    result = _import(f"关于防汛工作的报告\n{BODY}\n青禾镇人民政府\n{placeholder}\n")
    report = result.reports[0]
    assert report["signature"] == "青禾镇人民政府" and "date" not in report
    assert placeholder in report["closing"]
    assert "placeholder_date" in _codes(result)


# ---------------------------------------------------------------------------
# Documents that lost their line breaks


def test_a_one_line_speech_is_cut_at_title_salutation_and_labels() -> None:
    text = (
        "青禾镇2025年政府工作报告各位代表：现在，我代表镇人民政府向大会报告工作，请予审议。"
        "一、2024年工作回顾过去一年，全镇上下团结奋进，经济社会稳中有进。"
        "（一）产业发展提质增效。新引进项目8个，总投资12亿元。（二）民生保障更加有力。新增就业岗位600个。"
    )
    report = _one(text)
    assert report["title"] == "青禾镇2025年政府工作报告"
    assert report["salutation"] == "各位代表："
    assert _headings(report) == [(1, "2024年工作回顾"), (2, "产业发展提质增效。"), (2, "民生保障更加有力。")]


def test_an_ordinal_inside_a_sentence_is_not_a_heading() -> None:
    report = _one(f"青禾镇2024年工作总结\n{BODY}\n一、主要成效\n全年办结事项3、4类共计500件，群众满意率达98%。\n")
    assert _headings(report) == [(1, "主要成效")]


def test_a_one_line_document_with_a_document_number_and_end_matter() -> None:
    text = (
        "青禾镇请示文件下载 青禾镇呈〔2025〕3 号 青禾镇人民政府 关于申请防汛物资补助资金的报告 县应急管理局: "
        "今年入汛以来，我镇降雨量较常年偏多三成，防汛物资消耗较大。为保障群众安全，恳请解决补助资金20万元。 "
        "特此报告 青禾镇人民政府 二〇二五年七月八日"
    )
    result = _import(text)
    report = result.reports[0]
    assert report["title"] == "关于申请防汛物资补助资金的报告"
    assert report["recipient"] == "县应急管理局:"
    assert report["header"] == {"doc_number": "青禾镇呈〔2025〕3号", "issuer": "青禾镇人民政府"}
    assert report["signature"] == "青禾镇人民政府" and report["date"] == "2025-07-08"


# ---------------------------------------------------------------------------
# Punctuation and warnings as objects


def test_fullwidth_punctuation_spares_numbers_times_urls_and_latin_words() -> None:
    text = (
        "青禾镇2024年工作总结\n全年投资1,200万元,增长3.5%,会议于17:30结束;详见http://www.example.cn/a,b。\n"
        "一、推进(数字乡村)建设\n引入\"云上青禾\"平台,支持COVID-19, mRNA等检测。\n"
    )
    result = _import(text, punctuation="fullwidth")
    report = result.reports[0]
    assert report["preamble"] == ["全年投资1,200万元，增长3.5%，会议于17:30结束；详见http://www.example.cn/a,b。"]
    assert report["sections"][0]["heading"] == "推进（数字乡村）建设"
    assert report["sections"][0]["paragraphs"] == ["引入“云上青禾”平台，支持COVID-19, mRNA等检测。"]
    counted = next(w for w in result.warnings if w.code == "punctuation")
    assert "8 个" in counted.message
    # Kept as typed unless asked.
    assert _import(text).reports[0]["preamble"][0].count(",") == 4


def test_api_import_takes_the_punctuation_parameter_and_returns_warning_objects(client: FlaskClient) -> None:
    text = f"青禾镇2024年工作总结\n发布时间：2024-01-08 09:30\n全年投资1,200万元,增长3.5%。\n一、主要成效\n{MORE}\n".encode()
    response = client.post("/api/v1/import?punctuation=fullwidth", data=text, content_type="text/plain; charset=utf-8")
    assert response.status_code == 200
    body = response.get_json()
    assert body["reports"][0]["preamble"] == ["全年投资1,200万元，增长3.5%。"]
    for warning in body["warnings"]:
        assert set(warning) == {"line", "message", "code"}
    assert {"line": 2, "code": "noise_removed"}.items() <= next(w for w in body["warnings"] if w["code"] == "noise_removed").items()
    bad = client.post("/api/v1/import?punctuation=half", data=text, content_type="text/plain; charset=utf-8")
    assert bad.status_code == 400
    assert bad.get_json()["error"]["details"][0]["path"] == "/punctuation"


def test_cli_import_fullwidth(tmp_path: Path) -> None:
    source = tmp_path / "report.txt"
    source.write_text(f"青禾镇2024年工作总结\n全年投资1,200万元,增长3.5%。\n一、主要成效\n{MORE}\n", encoding="utf-8")
    out = tmp_path / "out.json"
    done = subprocess.run(
        [sys.executable, "-m", "service", "import", str(source), "--fullwidth", "-o", str(out)],
        capture_output=True, text=True, timeout=120,  # hang guard
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["preamble"] == ["全年投资1,200万元，增长3.5%。"]
    assert "半角标点改为全角" in done.stderr


def test_a_contents_line_stays_text_and_the_first_text_follows_it() -> None:
    text = (
        "乡镇工作总结汇编（3篇） 目录 1. 青禾镇2024年工作总结 2 2.柳溪镇2024年工作总结 9 3.石桥镇2024年工作总结 15 "
        f"青禾镇2024年工作总结 2024年，全镇上下团结奋进，各项工作取得新进展。一、主要成效　{BODY}二、存在问题　{MORE}"
    )
    result = _import(text)
    assert result.reports[0]["title"] == "乡镇工作总结汇编"
    assert not result.reports[0]["sections"]  # the contents are text, not headings
    second = result.reports[1]
    assert second["title"] == "青禾镇2024年工作总结"
    assert _headings(second) == [(1, "主要成效"), (1, "存在问题")]


def test_a_numbered_list_is_all_headings_or_all_paragraphs() -> None:
    items = [
        "1、获得省级卫生乡镇、市级征兵工作先进单位、县级信访工作先进单位、市级平安建设先进集体等多项荣誉称号，受到上级通报表扬。",
        "2、经济运行考核全县第一。",
        "3、乡镇消防安全服务中心和专职消防队建设在全市开展的第三轮实地督查中取得全县第一名的好成绩，得到市消防救援支队的充分肯定。",
    ]
    report = _one("青禾镇2024年工作总结\n" + BODY + "\n一、主要成效\n（一）获得的荣誉\n" + "\n".join(items) + "\n")
    assert _headings(report) == [(1, "主要成效"), (2, "获得的荣誉")]
    assert report["sections"][0]["sections"][0]["paragraphs"] == items
