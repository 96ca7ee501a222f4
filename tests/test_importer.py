"""The importer against hand-written answer keys, and its promises.

Each ``tests/fixtures/importer/NAME.txt`` has an answer key ``NAME.json``
written by hand: titles, every heading with its level, text (label removed)
and run-in flag, the front and back matter, which lines are noise and which
warnings must appear. The two real pages in ``../shared/samples`` have their
keys in ``fixtures/importer/samples``; those tests skip when ``../shared`` is
not there.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Iterator

import pytest
from tests.support import SHARED_DIR

from service.importer import ImportFailed, ImportResult, import_text
from service.importer.structure import UNTITLED
from service.model import validate_report

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "importer"
SAMPLES = SHARED_DIR / "samples"
needs_shared = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"{SAMPLES} is not available")

# The accuracy the importer must reach on every answer key.
MIN_F1 = 0.95

Heading = tuple[int, str, bool]


# ---------------------------------------------------------------------------
# Answer keys


def _own_cases() -> list[Any]:
    return [pytest.param(txt, txt.with_suffix(".json"), id=txt.stem) for txt in sorted(FIXTURES.glob("*.txt"))]


def _sample_cases() -> list[Any]:
    keys = sorted((FIXTURES / "samples").glob("*.json"))
    return [
        pytest.param(SAMPLES / json.loads(key.read_text(encoding="utf-8"))["sample"], key, id=key.stem, marks=needs_shared)
        for key in keys
    ]


ALL_CASES = _own_cases() + _sample_cases()


def load_case(txt: Path, key_path: Path) -> tuple[str, dict[str, Any], ImportResult]:
    text = txt.read_text(encoding="utf-8")
    return text, json.loads(key_path.read_text(encoding="utf-8")), import_text(text)


def flatten(sections: list[dict[str, Any]], level: int = 1) -> Iterator[Heading]:
    """Headings in reading order as (level, text, run_in)."""
    for section in sections:
        yield level, section["heading"], bool(section.get("run_in"))
        yield from flatten(section.get("sections", []), level + 1)


def all_paragraphs(report: dict[str, Any]) -> list[str]:
    out = list(report.get("preamble", []))

    def walk(sections: list[dict[str, Any]]) -> None:
        for section in sections:
            out.extend(section.get("paragraphs", []))
            walk(section.get("sections", []))

    walk(report.get("sections", []))
    return out + list(report.get("closing", []))


def heading_scores(predicted: list[dict[str, Any]], key: list[dict[str, Any]]) -> tuple[float, float, float]:
    """Precision, recall and F1 of headings: a heading counts when its report,
    level and text (without label) all match."""
    got = Counter((n, level, text) for n, r in enumerate(predicted) for level, text, _ in flatten(r["sections"]))
    want = Counter((n, level, text) for n, r in enumerate(key) for level, text, _ in r["headings"])
    hits = sum((got & want).values())
    precision = hits / sum(got.values()) if got else float(not want)
    recall = hits / sum(want.values()) if want else float(not got)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


# ---------------------------------------------------------------------------
# Accuracy against the keys


@pytest.mark.parametrize(("txt", "key_path"), ALL_CASES)
def test_heading_f1(txt: Path, key_path: Path) -> None:
    _, key, result = load_case(txt, key_path)
    precision, recall, f1 = heading_scores(result.reports, key["reports"])
    print(f"{txt.name}: heading P={precision:.3f} R={recall:.3f} F1={f1:.3f}")
    assert f1 >= MIN_F1, f"heading F1 {f1:.3f} (P={precision:.3f}, R={recall:.3f})"


@pytest.mark.parametrize(("txt", "key_path"), ALL_CASES)
def test_structure_matches_answer_key(txt: Path, key_path: Path) -> None:
    _, key, result = load_case(txt, key_path)
    assert [r["title"] for r in result.reports] == [r["title"] for r in key["reports"]]
    for got, want in zip(result.reports, key["reports"]):
        assert [list(h) for h in flatten(got["sections"])] == want["headings"], want["title"]
        for field in ("template", "subtitle", "speaker", "recipient", "salutation", "signature", "date", "attachments", "header", "record"):
            assert got.get(field) == want.get(field), f"{want['title']}: {field}"
        if "preamble_count" in want:
            assert len(got["preamble"]) == want["preamble_count"], want["title"]
        if want.get("closing_starts"):
            assert got["closing"] and got["closing"][0].startswith(want["closing_starts"]), want["title"]
        else:
            assert got["closing"] == [], want["title"]
        paragraphs = all_paragraphs(got)
        for snippet in want.get("paragraph_contains", []):
            assert any(snippet in p for p in paragraphs), snippet


@pytest.mark.parametrize(("txt", "key_path"), ALL_CASES)
def test_noise_lines_and_warnings_match_answer_key(txt: Path, key_path: Path) -> None:
    _, key, result = load_case(txt, key_path)
    assert sorted({r.line for r in result.removed if r.kind == "noise"}) == key["noise_lines"]
    for expected in key["warnings"]:
        assert any(expected in str(w) for w in result.warnings), (expected, result.warnings)


# ---------------------------------------------------------------------------
# Promises that hold on every input


def report_strings(report: dict[str, Any]) -> Iterator[str]:
    """Every string of a report that came from the input."""
    if report["title"] != UNTITLED:
        yield report["title"]
    for key in ("subtitle", "speaker", "recipient", "salutation", "signature"):
        yield report.get(key, "")
    for key in ("preamble", "closing", "attachments"):
        yield from report.get(key, [])
    for section_text in _section_strings(report.get("sections", [])):
        yield section_text
    yield from (v for k, v in report.get("header", {}).items())
    record = report.get("record", {})
    yield from record.get("cc", [])
    yield record.get("printer", "")


def _section_strings(sections: list[dict[str, Any]]) -> Iterator[str]:
    for section in sections:
        yield section["heading"]
        yield from section["paragraphs"]
        yield from _section_strings(section["sections"])


def visible_chars(strings: Iterable[str]) -> Counter[str]:
    return Counter(c for s in strings for c in s if not c.isspace())


def assert_every_character_accounted_for(text: str, result: ImportResult) -> None:
    """Every character that is not white space is in exactly one field of one
    report, or listed as noise, a label or a date line — never lost, never doubled."""
    output = visible_chars(s for r in result.reports for s in report_strings(r))
    output += visible_chars(r.text for r in result.removed)
    source = visible_chars([text])
    assert output - source == Counter(), "characters in the output that are not in the input"
    assert source - output == Counter(), "characters of the input that are lost"


@pytest.mark.parametrize(("txt", "key_path"), ALL_CASES)
def test_every_character_is_accounted_for(txt: Path, key_path: Path) -> None:
    text, _, result = load_case(txt, key_path)
    assert_every_character_accounted_for(text, result)


@pytest.mark.parametrize(("txt", "key_path"), ALL_CASES)
def test_every_report_is_valid_and_uses_contract_fields(txt: Path, key_path: Path) -> None:
    _, _, result = load_case(txt, key_path)
    contract = {"template", "title", "subtitle", "speaker", "recipient", "salutation", "preamble", "sections",
                "closing", "attachments", "signature", "date", "header", "record"}
    for report in result.reports:
        assert set(report) <= contract
        model = validate_report(report)
        # The model would strip a label from a heading: none may be left to strip.
        assert [h.heading for h in model.sections] == [s["heading"] for s in report["sections"]]


@pytest.mark.parametrize(("txt", "key_path"), ALL_CASES)
def test_no_noise_disappears_unseen(txt: Path, key_path: Path) -> None:
    _, _, result = load_case(txt, key_path)
    for removed in (r for r in result.removed if r.kind == "noise"):
        shown = removed.text.strip()[:20]
        assert any(f"第 {removed.where} 行" in str(w) and shown in str(w) for w in result.warnings), removed


# ---------------------------------------------------------------------------
# Rules, one at a time


def _one(text: str) -> dict[str, Any]:
    result = import_text(text)
    assert len(result.reports) == 1, result.reports
    return result.reports[0]


def _headings(text: str) -> list[Heading]:
    return list(flatten(_one(text)["sections"]))


BODY = "全年共完成重点任务十二项，群众满意度明显提升。"


def test_levels_follow_nesting_in_the_document() -> None:
    text = f"2023年工作总结\n{BODY}\n一、总体情况\n1.经济运行\n{BODY}\n（1）工业\n{BODY}\n二、主要做法\n（一）抓项目\n{BODY}\n1.重点项目\n{BODY}\n"
    assert [(level, h) for level, h, _ in _headings(text)] == [
        (1, "总体情况"), (2, "经济运行"), (3, "工业"), (1, "主要做法"), (2, "抓项目"), (3, "重点项目"),
    ]


def test_a_family_keeps_its_level_and_convention_breaks_ties() -> None:
    # "（一）" after "1." under "一、": the document does not say, the convention does.
    text = f"2023年工作总结\n{BODY}\n一、总体情况\n1.经济运行\n{BODY}\n（一）抓项目\n{BODY}\n1.重点项目\n{BODY}\n"
    assert [level for level, _, _ in _headings(text)] == [1, 2, 2, 3]


def test_every_label_style_full_and_half_width() -> None:
    labels = ["一、", "（一）", "(一)", "1.", "1、", "1．", "１．", "（1）", "(1)", "①"]
    for label in labels:
        text = f"2023年工作总结\n{BODY}\n{label}加强组织领导\n{BODY}\n"
        assert _headings(text) == [(1, "加强组织领导", False)], label


def test_unlabelled_part_headings_sit_above_labelled_ones() -> None:
    text = f"政府工作报告\n各位代表：\n{BODY}\n2013年工作回顾\n{BODY}\n一、经济\n{BODY}\n二、民生\n{BODY}\n2014年工作安排\n{BODY}\n一、项目\n{BODY}\n"
    assert [(level, h) for level, h, _ in _headings(text)] == [
        (1, "2013年工作回顾"), (2, "经济"), (2, "民生"), (1, "2014年工作安排"), (2, "项目"),
    ]


def test_short_unlabelled_line_inside_a_labelled_list_is_body_text() -> None:
    # "主要做法如下" would restart the numbering under it if it were a part
    # heading; the labels after it go on ("二、"), so it is text.
    text = f"2023年工作总结\n{BODY}\n一、总体情况\n{BODY}\n主要做法如下\n二、主要做法\n{BODY}\n"
    report = _one(text)
    assert [h for _, h, _ in flatten(report["sections"])] == ["总体情况", "主要做法"]
    assert "主要做法如下" in report["sections"][0]["paragraphs"]


def test_run_in_heading_sentence_and_its_body() -> None:
    text = f"2023年工作总结\n{BODY}\n（一）以发展为目标，促经济转型升级。镇人大紧紧围绕全镇发展大局，紧扣经济建设主题。\n"
    section = _one(text)["sections"][0]
    assert section["heading"] == "以发展为目标，促经济转型升级。"
    assert section["run_in"] is True
    assert section["paragraphs"] == ["镇人大紧紧围绕全镇发展大局，紧扣经济建设主题。"]


def test_fused_headings_are_split_where_a_reader_would() -> None:
    text = (
        f"2023年工作总结\n{BODY}\n"
        "一、工作目标　全年新增就业岗位三百个，培训农村劳动力一千人次。\n"
        "二、主要做法一年来，我局坚持问题导向，推动各项措施落地见效。\n"
        "三、存在问题 部分项目推进较慢，要素保障仍有短板。\n"
    )
    assert _headings(text) == [(1, "工作目标", True), (1, "主要做法", True), (1, "存在问题", True)]
    assert _one(text)["sections"][1]["paragraphs"] == ["一年来，我局坚持问题导向，推动各项措施落地见效。"]


def test_yishi_items_and_dash_items_are_body_text() -> None:
    text = (
        f"2023年工作总结\n{BODY}\n一、存在的问题\n"
        "一是调查研究不够深入\n二是工作作风有待改进\n——经济运行稳中向好\n——民生保障有力有效\n"
    )
    report = _one(text)
    assert _headings(text) == [(1, "存在的问题", False)]
    assert report["sections"][0]["paragraphs"] == ["一是调查研究不够深入", "二是工作作风有待改进", "——经济运行稳中向好", "——民生保障有力有效"]


def test_front_matter_of_a_speech() -> None:
    text = (
        "政 府 工 作 报 告\n\n——2024年1月8日在青禾镇第十届人民代表大会第四次会议上\n\n"
        "镇长　李明\n\n各位代表：\n\n现在，我代表镇人民政府向大会报告工作，请予审议。\n\n一、过去一年的工作\n\n" + BODY
    )
    report = _one(text)
    assert report["title"] == "政府工作报告"
    assert report["subtitle"] == "——2024年1月8日在青禾镇第十届人民代表大会第四次会议上"
    assert report["speaker"] == "镇长　李明"
    assert report["salutation"] == "各位代表："
    assert report["template"] == "work-report"
    assert report["preamble"] == ["现在，我代表镇人民政府向大会报告工作，请予审议。"]


def test_back_matter_attachments_signature_and_chinese_date() -> None:
    text = f"2022年XX镇人大工作总结\n{BODY}\n附件：1. 2022年代表建议办理情况表\n2. 代表活动统计表\nXX镇人民代表大会主席团\n二〇二二年十二月五日\n"
    report = _one(text)
    assert report["attachments"] == ["2022年代表建议办理情况表", "代表活动统计表"]
    assert report["signature"] == "XX镇人民代表大会主席团"
    assert report["date"] == "2022-12-05"
    assert report["template"] == "work-summary"


def test_paragraph_broken_mid_sentence_is_rejoined_also_across_a_page_marker() -> None:
    text = (
        "2023年工作总结\n\n全年共完成重点任务十二项，群众满意度明显提升，各项工作\n第 1 页 共 15 页\n取得了新的进展。\n\n"
        "一、主要做法\n\n镇人大主席团坚持把监督工作摆在突出位置，围绕全镇中心工作\n开展视察调研六次。\n"
    )
    result = import_text(text)
    report = result.reports[0]
    assert report["preamble"] == ["全年共完成重点任务十二项，群众满意度明显提升，各项工作取得了新的进展。"]
    assert report["sections"][0]["paragraphs"] == ["镇人大主席团坚持把监督工作摆在突出位置，围绕全镇中心工作开展视察调研六次。"]
    assert "已删除网页噪声（第 4 行）：第 1 页 共 15 页" in [str(w) for w in result.warnings]


NOISE_LINES = [
    "首页 > 范文大全 > 工作总结",
    "当前位置：首页 > 工作总结",
    "发布时间：2023-06-01 09:30 浏览次数：1024",
    "admin 分享 时间: 加入收藏 共计37565个字,预计阅读时长126分钟",
    "第 1 页 共 15 页",
    "（第2/4页）",
    "- 3 -",
    "12",
    "微信扫码分享",
    "扫码关注公众号获取更多资料",
    "分享到：微信 微博 QQ空间",
    "上一篇：2023年乡镇工作总结",
    "Copyright © 2023 范文网 All Rights Reserved",
    "本文由网友投稿整理发布，仅供参考",
    "工作总结范文（精选10篇）",
    "www.example.com",
    "Public domain",
    "▲图为新建成的村民服务中心",
    "长按识别二维码",
    "相关推荐：",
]


@pytest.mark.parametrize("noise", NOISE_LINES)
def test_noise_is_removed_and_reported(noise: str) -> None:
    text = f"2023年工作总结\n\n{BODY}\n\n{noise}\n\n一、主要做法\n\n{BODY}\n"
    result = import_text(text)
    report = result.reports[0]
    assert report["preamble"] == [BODY]
    assert [h for _, h, _ in flatten(report["sections"])] == ["主要做法"]
    assert any(str(w).startswith("已删除网页噪声（第 5 行）") for w in result.warnings), result.warnings


@pytest.mark.parametrize(
    "line",
    ["织密社会保障网", "——织密社会保障网", "推行扫码点餐服务", "加强网站建设", "12.5公里道路全面完工。", "分享发展成果",
     "全年撰写调研报告5篇", "项目申报→审批→实施", "居民普遍点赞。"],
)
def test_text_that_only_resembles_noise_is_kept(line: str) -> None:
    text = f"2023年工作总结\n\n{BODY}\n\n一、主要做法\n\n{line}\n\n{BODY}\n"
    result = import_text(text)
    assert not any(r.kind == "noise" for r in result.removed), result.warnings
    assert_every_character_accounted_for(text, result)


def test_licence_block_broken_at_every_link_is_one_noise_paragraph() -> None:
    text = f"2023年工作总结\n\n{BODY}\n\n本作品是中华人民共和国的\n法律\n、\n法规\n，属于\n公有领域\n。\n"
    result = import_text(text)
    assert result.reports[0]["preamble"] == [BODY]
    assert [r.text for r in result.removed if r.kind == "noise"] == ["本作品是中华人民共和国的法律、法规，属于公有领域。"]
    assert any("第 5–11 行" in str(w) for w in result.warnings)


def test_numbering_gaps_and_duplicates_are_reported() -> None:
    text = f"2023年工作总结\n{BODY}\n一、甲\n{BODY}\n二、乙\n{BODY}\n三、丙\n{BODY}\n五、丁\n{BODY}\n五、戊\n{BODY}\n"
    warnings = import_text(text).warnings
    # The engine numbers by position: each gap or repeat is said at its line.
    assert any(w.message.startswith("序号不连续：“三、”之后是“五、”") and w.line == 9 for w in warnings), warnings
    assert any(w.message.startswith("序号重复：“五、”之后又是“五、”") and w.line == 11 for w in warnings), warnings


def test_numbering_restarting_under_a_new_parent_is_not_a_gap() -> None:
    text = f"2023年工作总结\n{BODY}\n一、甲\n1.子一\n{BODY}\n2.子二\n{BODY}\n二、乙\n1.子三\n{BODY}\n"
    assert not any("序号" in w.message for w in import_text(text).warnings)


def test_several_reports_in_one_text() -> None:
    text = (
        f"青山镇2023年工作总结\n{BODY}\n一、主要工作\n{BODY}\n青山镇人民政府\n2023年12月20日\n"
        f"青山镇人大主席团2023年工作报告\n{BODY}\n一、依法履职\n{BODY}\n"
    )
    result = import_text(text)
    assert [r["title"] for r in result.reports] == ["青山镇2023年工作总结", "青山镇人大主席团2023年工作报告"]
    assert result.reports[0]["signature"] == "青山镇人民政府"
    assert result.reports[0]["date"] == "2023-12-20"
    assert "识别出 2 份报告，已分别导入" in [str(w) for w in result.warnings]


def test_deeper_than_four_levels_stays_body_text_with_a_warning() -> None:
    text = f"2023年工作总结\n{BODY}\n一、甲\n（一）乙\n1.丙\n{BODY}\n（1）丁\n{BODY}\n①戊\n{BODY}\n"
    result = import_text(text)
    assert [level for level, _, _ in flatten(result.reports[0]["sections"])] == [1, 2, 3, 4]
    assert any(w.message.startswith("标题超过四级") for w in result.warnings)
    assert_every_character_accounted_for(text, result)


def test_a_part_above_four_levels_nests_five_deep() -> None:
    text = f"2023年工作总结\n{BODY}\n年度回顾\n一、甲\n（一）乙\n1.丙\n{BODY}\n（1）丁\n{BODY}\n"
    result = import_text(text)
    sections = result.reports[0]["sections"]
    assert sections[0]["part"] is True and sections[0]["heading"] == "年度回顾"
    assert [level for level, _, _ in flatten(sections)] == [1, 2, 3, 4, 5]
    assert not any(w.message.startswith("标题超过四级") for w in result.warnings)
    assert_every_character_accounted_for(text, result)


def test_invisible_and_control_characters_are_removed_and_counted() -> None:
    text = f"2023年工作总结\n\u200b{BODY}\x01\n"
    result = import_text(text)
    assert result.reports[0]["preamble"] == [BODY]
    assert "已删除 2 个不可见字符或控制字符" in [str(w) for w in result.warnings]
    validate_report(result.reports[0])


@pytest.mark.parametrize("text", ["", "   \n\u3000\n", "第 1 页 共 3 页\n分享到：微信\n"])
def test_empty_or_noise_only_text_fails_in_chinese(text: str) -> None:
    with pytest.raises(ImportFailed) as info:
        import_text(text)
    assert isinstance(info.value, ValueError)
    assert any("\u4e00" <= c <= "\u9fff" for c in str(info.value))


def test_title_without_body_fails() -> None:
    with pytest.raises(ImportFailed, match="没有找到正文"):
        import_text("2023年工作总结\n")


def test_unlabelled_lines_inside_a_labelled_section_never_get_a_number() -> None:
    # Numbering invariant: "加强组织领导" printed as "（一）" would invent an ordinal.
    text = (
        f"2023年工作总结\n{BODY}\n一、主要工作\n加强组织领导\n{BODY}\n推进项目建设\n{BODY}\n"
        f"（一）抓好收尾\n{BODY}\n二、存在问题\n{BODY}\n今后打算\n{BODY}\n"
    )
    assert [(level, h) for level, h, _ in _headings(text)] == [(1, "主要工作"), (2, "抓好收尾"), (1, "存在问题")]
    report = _one(text)
    assert report["sections"][0]["paragraphs"][:2] == ["加强组织领导", BODY]
    assert "今后打算" in all_paragraphs(report)


def test_author_and_date_under_the_title_are_not_a_heading() -> None:
    report = _one(f"2023年XX街道工作总结\nXX街道办事处　2023年12月20日\n一、主要工作\n{BODY}\n")
    assert report["subtitle"] == "XX街道办事处　2023年12月20日"
    assert list(flatten(report["sections"])) == [(1, "主要工作", False)]


def test_a_repeated_title_is_removed_as_noise() -> None:
    result = import_text(f"2023年工作总结\n2023年工作总结\n{BODY}\n一、主要工作\n{BODY}\n")
    assert result.reports[0]["title"] == "2023年工作总结"
    assert "已删除网页噪声（第 2 行）：2023年工作总结" in [str(w) for w in result.warnings]


@pytest.mark.parametrize("marker", ["篇一：{t}", "【篇2】{t}", "第三篇 {t}", "{t} 篇1", "{t}（篇二）"])
def test_collection_markers_separate_reports(marker: str) -> None:
    first, second = "桂园社区2023年度工作总结", "县统计局2023年工作总结"
    text = (
        f"{marker.format(t=first)}\n{BODY}\n一、主要工作\n{BODY}\n"
        f"{marker.format(t=second).replace('一', '二').replace('1', '2').replace('三', '四')}\n{BODY}\n一、统计调查\n{BODY}\n"
    )
    result = import_text(text)
    assert [r["title"] for r in result.reports] == [first, second]
    assert_every_character_accounted_for(text, result)


def test_page_marker_inside_a_heading_line_is_removed() -> None:
    result = import_text(f"2023年工作总结\n{BODY}\n三、加强组织领导（第2/4页）\n{BODY}\n")
    assert list(flatten(result.reports[0]["sections"])) == [(1, "加强组织领导", False)]
    assert "已删除网页噪声（第 3 行）：（第2/4页）" in [str(w) for w in result.warnings]


def test_site_name_and_link_lists_frame_the_page() -> None:
    text = f"办公资源网\n2023年工作总结\n{BODY}\n一、主要做法\n{BODY}\n相关推荐：\n2023年乡镇工作总结\n2023年村委会工作总结\n"
    result = import_text(text)
    assert [r["title"] for r in result.reports] == ["2023年工作总结"]
    assert sorted(r.line for r in result.removed if r.kind == "noise") == [1, 6, 7, 8]
    # The same name inside the body is a heading ("织密社会保障网"), not a frame.
    assert not any(r.kind == "noise" for r in import_text(f"2023年工作总结\n{BODY}\n办公资源网\n{BODY}\n").removed)


def test_a_bracketed_part_line_is_a_part() -> None:
    text = "2024年工作总结\n【第一部分：工作回顾】\n一、主要工作\n全年完成各项任务。\n【第二部分：工作打算】\n一、重点任务\n明年继续努力。\n"
    result = import_text(text)
    report = result.reports[0]
    assert [(s.get("part"), s["heading"], [c["heading"] for c in s["sections"]]) for s in report["sections"]] == [
        (True, "工作回顾", ["主要工作"]), (True, "工作打算", ["重点任务"])
    ]
    assert_every_character_accounted_for(text, result)


@pytest.mark.parametrize(
    "text, heading",
    [
        ("基本情况城关镇地处县城东部，辖12个村，总人口2.1万人。", "基本情况"),
        ("主要做法全镇上下齐心协力，攻坚克难，圆满完成了全年任务。", "主要做法"),
        ("存在问题较多，主要是基础设施仍然薄弱。", "存在问题较多，主要是基础设施仍然薄弱。"),  # goes on: no cut after 问题
        ("河湖管理保护成效明显。全年完成清淤10公里。", "河湖管理保护成效明显。"),  # a short run-in sentence stays whole
        ("基本情况和主要做法", "基本情况和主要做法"),
    ],
)
def test_a_head_noun_fused_to_its_body_is_cut_where_the_body_starts(text: str, heading: str) -> None:
    from service.importer.headings import split_heading

    found = split_heading(text)
    assert found is not None and found.heading == heading
