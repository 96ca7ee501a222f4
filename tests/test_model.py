"""The report model: every problem at once, by JSON Pointer, in Chinese."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.dates import format_date, parse_date
from service.model import ReportValidationError, report_json_schema, validate_report


def minimal(**extra: Any) -> dict[str, Any]:
    return {"title": "2025年工作总结", "preamble": ["正文。"], **extra}


def problems(data: Any) -> dict[str, str]:
    with pytest.raises(ReportValidationError) as info:
        validate_report(data)
    return {d.path: d.message for d in info.value.details}


def test_examples_are_valid(examples: dict[str, dict[str, Any]]) -> None:
    for name, data in examples.items():
        validate_report(data)


def test_defaults() -> None:
    report = validate_report(minimal())
    assert report.template == "work-summary"
    assert report.options.font_set == "gb2312"
    assert report.options.page_numbers == "outside"
    assert report.options.numbering == "text"
    assert report.options.seal is False


def test_every_problem_is_reported_at_once_with_its_pointer() -> None:
    data = {
        "sections": [
            {"heading": "正常"},
            {"heading": "有\x01控制字符", "sections": [
                {"heading": "二级", "sections": [{"heading": "三级", "sections": [
                    {"heading": "四级", "sections": [{"heading": "第五级"}]}]}]}]},
        ],
        "date": "2022-13-45",
        "options": {"font_set": "mac"},
        "titel": "拼错的字段",
    }
    found = problems(data)
    assert set(found) == {
        "/title",
        "/sections/1/heading",
        "/sections/1/sections/0/sections/0/sections/0/sections",
        "/date",
        "/options/font_set",
        "/titel",
    }
    assert "缺少" in found["/title"]
    assert "U+0001" in found["/sections/1/heading"]
    assert "四级" in found["/sections/1/sections/0/sections/0/sections/0/sections"]
    assert "2022年13月45日" in found["/date"]
    assert "gb2312" in found["/options/font_set"]


def test_a_report_needs_a_body() -> None:
    assert "/sections" in problems({"title": "只有标题"})


@pytest.mark.parametrize("field", ["title", "recipient", "signature"])
def test_wrong_types_are_named(field: str) -> None:
    assert field in "".join(problems(minimal(**{field: 123})).keys())


def test_a_labelled_heading_loses_its_label() -> None:
    report = validate_report(minimal(sections=[{"heading": "一、总体情况", "sections": [{"heading": "(二)具体做法"}]}]))
    assert report.sections[0].heading == "总体情况"
    assert report.sections[0].sections[0].heading == "具体做法"


def test_a_heading_that_is_only_a_label_is_an_error() -> None:
    assert "/sections/0/heading" in problems(minimal(sections=[{"heading": "三、"}]))


def test_unknown_template_is_named() -> None:
    found = problems(minimal(template="no-such-kind"))
    assert "no-such-kind" in found["/template"]


ILLEGAL = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF, 0xD800, 0xDFFF]]


@given(
    before=st.text(max_size=10).filter(lambda s: all(c not in ILLEGAL for c in s)),
    bad=st.sampled_from(ILLEGAL),
    field=st.sampled_from(["title", "recipient", "signature", "subtitle"]),
)
def test_xml_illegal_characters_are_rejected_by_field_never_dropped(before: str, bad: str, field: str) -> None:
    data = minimal(**{field: "甲" + before + bad + "乙"})
    found = problems(data)
    assert f"/{field}" in found
    assert f"U+{ord(bad):04X}" in found[f"/{field}"]


@pytest.mark.slow
@given(st.lists(st.sampled_from(ILLEGAL), min_size=1, max_size=3))
def test_illegal_characters_in_nested_paragraphs_name_the_paragraph(bads: list[str]) -> None:
    data = minimal(sections=[{"heading": "一", "sections": [{"heading": "二", "paragraphs": ["好", "坏" + "".join(bads)]}]}])
    assert "/sections/0/sections/0/paragraphs/1" in problems(data)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2022-12-05", dt.date(2022, 12, 5)),
        ("2022年12月5日", dt.date(2022, 12, 5)),
        ("2022/12/5", dt.date(2022, 12, 5)),
        ("2022.12.05", dt.date(2022, 12, 5)),
        ("二〇二二年十二月五日", dt.date(2022, 12, 5)),
        ("二〇二二年十二月二十五日", dt.date(2022, 12, 25)),
    ],
)
def test_dates_people_type(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected
    assert validate_report(minimal(date=text)).date == expected


@pytest.mark.parametrize("text", ["2022-13-45", "2022-02-30", "明年", "12/05/2022"])
def test_bad_dates(text: str) -> None:
    assert "/date" in problems(minimal(date=text))


@given(st.dates(min_value=dt.date(1949, 10, 1), max_value=dt.date(2100, 12, 31)))
def test_date_is_written_without_padding(day: dt.date) -> None:
    text = format_date(day)
    assert text == f"{day.year}年{day.month}月{day.day}日"
    assert "年0" not in text and "月0" not in text
    assert parse_date(text) == day


def test_schema_describes_the_report() -> None:
    schema = report_json_schema()
    assert schema["required"] == ["title"]
    assert {"title", "sections", "options", "date"} <= set(schema["properties"])
