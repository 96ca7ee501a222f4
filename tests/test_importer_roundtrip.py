"""Round trip: the plain text of a document the engine rendered imports back
into the same report.

Rendered documents are read the way a user would copy them: the paragraph
texts, extracted with python-docx and joined with newlines. The .docx itself
goes through ``import_docx``, which must agree.
"""
from __future__ import annotations

import io
from typing import Any

import pytest
from tests.support import load_examples
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.test_importer import assert_every_character_accounted_for

from service import render_report
from service.importer import import_docx, import_text
from service.model import validate_report

# The contract's fields the importer reads back from text (options, filename
# and the like are not in the text of a document).
_COMPARED = ("template", "title", "subtitle", "speaker", "recipient", "salutation", "preamble", "sections",
             "closing", "attachments", "signature", "date", "header")


def plain_text(docx: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)


def _sections(sections: list[Any]) -> list[dict[str, Any]]:
    # A run-in heading without a paragraph is printed as a stand-alone one.
    return [
        {"heading": s.heading, "run_in": s.run_in and bool(s.paragraphs), "paragraphs": s.paragraphs,
         "sections": _sections(s.sections)}
        for s in sections
    ]


def comparable(data: dict[str, Any]) -> dict[str, Any]:
    """What survives printing: line breaks in the title and subtitle are layout,
    the recipient's colon is printed either way, and only a speech to a
    congress is told apart from a summary by its text."""
    model = validate_report(data)
    out = model.model_dump(mode="json", include=set(_COMPARED))
    out["sections"] = _sections(model.sections)
    out["title"] = model.title.replace("\n", "")
    out["subtitle"] = model.subtitle.replace("\n", "")
    out["recipient"] = model.recipient.rstrip("：:")
    if out["template"] not in ("work-report", "red-header-report"):
        out["template"] = "work-summary"
    if out["header"]:
        out["header"] = {k: v for k, v in out["header"].items() if v}
    return out


def assert_round_trip(data: dict[str, Any]) -> None:
    docx = render_report(data)
    text = plain_text(docx)
    from_text = import_text(text)
    assert len(from_text.reports) == 1, from_text.warnings
    assert comparable(from_text.reports[0]) == comparable(data)
    assert not any("序号" in str(w) or "噪声" in str(w) for w in from_text.warnings), from_text.warnings
    assert_every_character_accounted_for(text, from_text)
    from_docx = import_docx(docx)
    assert [comparable(r) for r in from_docx.reports] == [comparable(data)]


@pytest.mark.parametrize("name", sorted(load_examples()))
def test_examples_round_trip(name: str) -> None:
    assert_round_trip(load_examples()[name])


def test_native_word_numbering_round_trips_through_docx() -> None:
    # With Word's own numbering the labels are not in the paragraph text:
    # import_docx rebuilds them from numbering.xml.
    data = dict(load_examples()["town-renda-summary-long"])
    data["options"] = {"numbering": "word"}
    docx = render_report(data)
    assert "一、" not in plain_text(docx)
    assert [comparable(r) for r in import_docx(docx).reports] == [comparable(data)]


# ---------------------------------------------------------------------------
# Random reports in the genre's own words

_ORGS = ["青山镇人大主席团", "松川县水利局", "桂园社区党委", "县统计局", "柳溪中学", "青峰县农业农村局机关党委", "青禾镇人民政府"]
_KINDS = ["工作总结", "工作报告", "述职报告", "年度工作总结", "上半年工作总结"]
_VERBS = ["加强", "推进", "深化", "强化", "健全", "完善", "提升", "狠抓", "聚焦", "优化"]
_OBJECTS = ["组织领导", "作风建设", "制度建设", "民生保障", "生态保护", "安全生产", "队伍建设", "基层治理", "产业发展",
            "项目建设", "代表工作", "宣传教育", "“三农”工作", "营商环境"]
_SUBJECTS = ["全年", "我们", "镇政府", "各部门", "主席团", "全县", "一年来，我们", "局党组"]
_CLOSING_LEADS = ["新的一年，我们将", "下一步，我们将", "总之，我们将", "面对新形势新任务，我们将"]

_phrase = st.builds(lambda v, o: v + o, st.sampled_from(_VERBS), st.sampled_from(_OBJECTS))
_standalone = st.one_of(_phrase, st.builds(lambda a, b: f"{a}，{b}", _phrase, _phrase))
_run_in = _standalone.map(lambda h: h + "。")
_sentence = st.builds(
    lambda s, p, n, m: f"{s}{p}，完成重点任务{n}项、投入资金{m}万元。",
    st.sampled_from(_SUBJECTS), _phrase, st.integers(1, 99), st.integers(10, 9999),
)
_paragraph = st.lists(_sentence, min_size=1, max_size=3).map("".join)


@st.composite
def _section(draw: st.DrawFn, level: int) -> dict[str, Any]:
    run_in = draw(st.booleans())
    heading = draw(_run_in if run_in else _standalone)
    paragraphs = draw(st.lists(_paragraph, min_size=1 if run_in else 0, max_size=2))
    children = draw(st.lists(_section(level + 1), max_size=3 if level < 3 else 2)) if level < 4 else []
    return {"heading": heading, "run_in": run_in, "paragraphs": paragraphs, "sections": children}


def _last_section_has_text(sections: list[dict[str, Any]]) -> bool:
    last = sections[-1]
    while last["sections"]:
        last = last["sections"][-1]
    return bool(last["paragraphs"])


@st.composite
def genre_reports(draw: st.DrawFn) -> dict[str, Any]:
    org = draw(st.sampled_from(_ORGS))
    year = draw(st.integers(2015, 2030))
    report: dict[str, Any] = {
        "title": f"{org}{year}年{draw(st.sampled_from(_KINDS))}",
        "preamble": draw(st.lists(_paragraph, min_size=1, max_size=2)),
        "sections": draw(st.lists(_section(1), min_size=1, max_size=4)),
    }
    if draw(st.booleans()):
        report["template"] = "work-report"
        report["subtitle"] = f"——{year}年1月{draw(st.integers(1, 28))}日在{org[:3]}第十届人民代表大会第{draw(st.integers(1, 9))}次会议上"
        report["speaker"] = f"{draw(st.sampled_from(['镇长', '县长', '主任', '局长']))}  {draw(st.sampled_from(['周岚', '王志成', '李明']))}"
        report["salutation"] = "各位代表："
    elif draw(st.booleans()):
        report["recipient"] = draw(st.sampled_from(["县人大常委会", "镇党委", "县人民政府"]))
    if _last_section_has_text(report["sections"]) and draw(st.booleans()):
        report["closing"] = [draw(st.sampled_from(_CLOSING_LEADS)) + draw(_sentence)]
    if draw(st.booleans()):
        report["attachments"] = draw(st.lists(_phrase.map(lambda p: f"{year}年{p}情况表"), min_size=1, max_size=3))
    if draw(st.booleans()):
        report["signature"] = org
        report["date"] = f"{year}-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}"
    return report


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(genre_reports())
def test_random_reports_round_trip(data: dict[str, Any]) -> None:
    assert_round_trip(data)
