"""Heading labels: 一、 （一） 1. （1） for any count, and label stripping."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service import numbering


@pytest.mark.parametrize(
    "n, text",
    [
        (1, "一"), (9, "九"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"), (21, "二十一"),
        (99, "九十九"), (100, "一百"), (101, "一百零一"), (110, "一百一十"), (111, "一百一十一"),
        (1000, "一千"), (1001, "一千零一"), (1010, "一千零一十"), (10000, "一万"), (10001, "一万零一"),
        (100000, "十万"), (120305, "十二万零三百零五"),
    ],
)
def test_chinese_counting(n: int, text: str) -> None:
    assert numbering.chinese_number(n) == text


@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_number_round_trips(n: int) -> None:
    assert numbering.parse_chinese_number(numbering.chinese_number(n)) == n


def test_positional_year_digits() -> None:
    assert numbering.parse_chinese_number("二〇二二") == 2022


@pytest.mark.parametrize(
    "level, n, text",
    [(1, 1, "一、"), (1, 11, "十一、"), (1, 21, "二十一、"), (2, 3, "（三）"), (2, 10, "（十）"),
     (3, 1, "1."), (3, 12, "12."), (4, 2, "（2）")],
)
def test_labels(level: int, n: int, text: str) -> None:
    assert numbering.label(level, n) == text


def test_labels_use_full_width_brackets_and_no_trailing_punctuation() -> None:
    for n in range(1, 120):
        two, four = numbering.label(2, n), numbering.label(4, n)
        assert two.startswith("（") and two.endswith("）")
        assert four.startswith("（") and four.endswith("）")
        assert "(" not in two + four and ")" not in two + four
        assert numbering.label(3, n).endswith(".")


@pytest.mark.parametrize("level", [0, 5])
def test_label_rejects_levels_outside_four(level: int) -> None:
    with pytest.raises(ValueError):
        numbering.label(level, 1)


heading_text = st.text(
    alphabet=st.characters(codec="utf-8", categories=("Lo", "Ll", "Lu", "Nd", "Po", "Zs")), min_size=1, max_size=30
).filter(
    # A digit right after "1." reads as a decimal ("1.5倍"), and white space
    # after a label is part of the label: both are excluded by design.
    # A mark right after "（一）" is taken as part of the label ("（一）、"), by design too.
    lambda s: s == s.strip() and not s[0].isdigit() and s[0] not in "、，,.．" and numbering.split_label(s)[0] == ""
)


@given(level=st.integers(1, 4), n=st.integers(1, 300), text=heading_text)
def test_a_typed_label_is_stripped_so_it_is_never_doubled(level: int, n: int, text: str) -> None:
    assert numbering.strip_label(numbering.label(level, n) + text) == text


@pytest.mark.parametrize(
    "typed, rest",
    [
        ("一、总体情况", "总体情况"), ("(二)主要做法", "主要做法"), ("（二）主要做法", "主要做法"),
        ("3、存在问题", "存在问题"), ("3．存在问题", "存在问题"), ("(1)加强学习", "加强学习"),
        ("十一、其他", "其他"), ("  二十一、 远景", "远景"), ("①第一项", "第一项"),
        ("（一）、总体情况", "总体情况"), ("(2)．细则", "细则"),
    ],
)
def test_strip_label_forms(typed: str, rest: str) -> None:
    assert numbering.strip_label(typed) == rest


@pytest.mark.parametrize("text", ["一是加强学习", "1.5倍增长", "1,000万元投资", "2022年工作回顾", "十大工程建设", "百花齐放"])
def test_text_that_only_looks_like_a_label_is_kept(text: str) -> None:
    assert numbering.strip_label(text) == text


@pytest.mark.parametrize("text, value", [("一、", 1), ("（十二）", 12), ("3.", 3), ("(4)", 4), ("②", 2)])
def test_label_value(text: str, value: int) -> None:
    assert numbering.label_value(text + "标题") == value
