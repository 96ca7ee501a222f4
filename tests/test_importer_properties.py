"""Properties of the importer on any text: every report it returns is valid,
and every character is accounted for — in a field, or listed as noise, a
label or a date line. Texts are built from the genre's own lines (labels,
headings, sentences, dates, attachments), web noise and arbitrary characters."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.test_importer import NOISE_LINES, assert_every_character_accounted_for

from service.importer import ImportFailed, import_text
from service.model import validate_report

_LABELS = ["一、", "二、", "十一、", "（一）", "(二)", "1.", "2、", "3．", "（1）", "(2)", "①", "1）", "一是", "——", "附件：", ""]
_WORDS = ["加强组织领导", "推进项目建设", "2023年工作回顾", "今后工作的建议", "各位代表", "镇人大主席团", "县统计局",
          "政 府 工 作 报 告", "2022年XX镇人大工作总结", "篇二：县统计局2023年工作总结", "二〇二二年十二月五日", "2023年12月20日", "述职人：张三", "——在全镇大会上", "抄送：县委办公室。"]
_SENTENCES = ["全年完成投资3.2亿元，增长5.1%。", "群众满意度明显提升，", "1,000余户企业享受政策", "镇人大紧紧围绕中心工作。",
              "新的一年，我们将继续努力。", "面对新形势新任务"]
_ODD = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(list("　 \t，。：“”（）")),
    max_size=12,
)

_line = st.one_of(
    st.builds(lambda label, word, tail: label + word + tail, st.sampled_from(_LABELS), st.sampled_from(_WORDS),
              st.sampled_from(["", "。"] + _SENTENCES)),
    st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=4).map("".join),
    st.sampled_from(NOISE_LINES),
    _ODD,
    st.just(""),
)
_text = st.lists(_line, min_size=1, max_size=40).map("\n".join)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_text)
def test_any_text_gives_valid_reports_and_loses_nothing(text: str) -> None:
    try:
        result = import_text(text)
    except ImportFailed:
        return  # empty, only noise, or only a title: reported, nothing to keep
    assert result.reports
    for report in result.reports:
        validate_report(report)
    assert_every_character_accounted_for(text, result)
