"""v1.1 paragraph items (lead sentences, tables) and attachments with content:
validation and error pointers."""
from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.model import Attachment, LeadParagraph, ReportValidationError, TableItem, validate_report


def problems(data: dict[str, Any]) -> dict[str, str]:
    try:
        validate_report(data)
    except ReportValidationError as exc:
        return {d.path: d.message for d in exc.details}
    return {}


def table(**fields: Any) -> dict[str, Any]:
    return {"table": {"header": [["指标", "单位", "目标", "完成"]], "rows": [["地区生产总值", "亿元", "18.0", "18.6"]], **fields}}


def test_paragraph_items_may_be_strings_leads_and_tables_everywhere() -> None:
    items = ["一段。", {"lead": "经济持续稳健发展。", "text": "据统计，……"}, table(title="表1", notes=["注：……"])]
    report = validate_report({
        "title": "t", "preamble": items, "closing": items,
        "sections": [{"heading": "h", "paragraphs": items, "sections": [{"heading": "g", "paragraphs": items}]}],
        "attachments": ["只列名称", {"name": "附件甲", "preamble": items, "sections": [{"heading": "一", "paragraphs": items}]}],
        "options": {"lead_style": "kai"},
    })
    assert isinstance(report.preamble[1], LeadParagraph) and isinstance(report.preamble[2], TableItem)
    assert isinstance(report.sections[0].sections[0].paragraphs[2], TableItem)
    assert report.attachments[0] == "只列名称" and isinstance(report.attachments[1], Attachment)
    assert report.options.lead_style == "kai"


def test_a_ragged_row_is_named_by_its_pointer() -> None:
    found = problems({"title": "t", "preamble": [table(rows=[["a", "b", "c", "d"], ["a", "b", "c"]])]})
    assert list(found) == ["/preamble/0/table/rows/1"]
    assert "3 列" in found["/preamble/0/table/rows/1"] and "4 列" in found["/preamble/0/table/rows/1"]


def test_a_colspan_past_the_row_end_names_the_cell() -> None:
    found = problems({"title": "t", "sections": [{"heading": "h", "paragraphs": [
        table(rows=[["a", "b", {"text": "c", "colspan": 3}]])]}]})
    assert "/sections/0/paragraphs/0/table/rows/0/2" in found


def test_merged_cells_that_fill_the_grid_are_valid() -> None:
    validate_report({"title": "t", "preamble": [{"table": {
        "header": [[{"text": "项目", "rowspan": 2}, {"text": "2023年", "colspan": 2}], ["目标", "完成"]],
        "rows": [[{"text": "甲", "rowspan": 2}, "1", "2"], ["3", "4"]]}}]})


def test_a_rowspan_past_the_last_row_is_an_error() -> None:
    found = problems({"title": "t", "preamble": [{"table": {"rows": [[{"text": "a", "rowspan": 3}, "b"], ["c"]]}}]})
    assert "/preamble/0/table/rows/1" in found


@pytest.mark.parametrize("tbl", [{}, {"rows": []}, {"header": [[]], "rows": [[]]}])
def test_an_empty_table_is_an_error(tbl: dict[str, Any]) -> None:
    assert "/preamble/0/table" in problems({"title": "t", "preamble": [{"table": tbl}]})


def test_a_table_inside_a_heading_is_an_error() -> None:
    found = problems({"title": "t", "sections": [
        {"heading": table()},
        {"heading": "段首标题。", "run_in": True, "paragraphs": [table()]},
    ]})
    assert "表格" in found["/sections/0/heading"]
    assert "run_in" in found["/sections/1/paragraphs/0"]


def test_bad_items_are_named() -> None:
    found = problems({"title": "t", "preamble": [{"lead": ""}, {"lede": "x"}, {"table": {"rows": [["a"]], "landscape": "maybe"}}],
                      "attachments": [{"name": ""}, {"nam": "x"}], "options": {"lead_style": "italic"}})
    for path in ("/preamble/0/lead", "/preamble/1/lede", "/preamble/2/table/landscape", "/attachments/0/name",
                 "/attachments/1/nam", "/options/lead_style"):
        assert path in found, (path, found)


def test_every_problem_of_every_table_is_reported_at_once() -> None:
    found = problems({"title": "t", "preamble": [table(rows=[["a"]]), "ok", table(rows=[[], ["a", "b", "c", "d", "e"]])]})
    assert {"/preamble/0/table/rows/0", "/preamble/2/table/rows/0", "/preamble/2/table/rows/1/4"} <= set(found)


@given(st.lists(st.integers(min_value=1, max_value=6), min_size=2, max_size=8), st.integers(min_value=1, max_value=6))
def test_rows_are_valid_exactly_when_their_spans_add_up(widths: list[int], columns: int) -> None:
    # Each row is one cell spanning `w` columns plus filler cells: valid iff every row spans `columns`.
    rows = [[{"text": "x", "colspan": min(w, columns)}] + ["y"] * (columns - min(w, columns)) for w in widths]
    validate_report({"title": "t", "preamble": [{"table": {"rows": rows}}]})
    rows[-1] = rows[-1] + ["extra"]
    assert problems({"title": "t", "preamble": [{"table": {"rows": rows}}]})
