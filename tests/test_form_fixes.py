"""Server side of the form fixes: 发文字号 corrected (API and form), run-in headings
ending before their body, the engine's rules served to the page, the lint page's order."""
from __future__ import annotations

import io
import re

import docx as python_docx
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from service.layout import title_lines
from service.model import normalise_doc_number, report_notes, validate_report
from service.profile import run_in_heading, run_in_heading_ends

RED = {"template": "red-header-report", "title": "关于开展检查的报告", "preamble": ["正文。"], "header": {"issuer": "XX县人民政府"}}


def with_number(number: str) -> dict:
    return {**RED, "header": {**RED["header"], "doc_number": number}}


@pytest.mark.parametrize("typed", ["X政发[2025]8号", "X政发(2025)8号", "X政发（2025）8号", "X政发【2025】8号",
                                   "X政发〔2025〕08号", "X政发〔2025〕第8号", "X政发[2025]第008号", "X政发〔２０２５〕８号"])
def test_doc_number_typed_as_clerks_type_it_is_corrected(client: FlaskClient, typed: str) -> None:
    resp = client.post("/api/v1/reports", json=with_number(typed))
    assert resp.status_code == 200, resp.get_json()
    texts = [p.text for p in python_docx.Document(io.BytesIO(resp.data)).paragraphs]
    assert "X政发〔2025〕8号" in texts
    assert validate_report(with_number(typed)).header.doc_number == "X政发〔2025〕8号"


def test_every_remaining_doc_number_problem_is_named_at_once(client: FlaskClient) -> None:
    resp = client.post("/api/v1/reports", json=with_number("X政发(25)第8号"))
    assert resp.status_code == 422
    [detail] = resp.get_json()["error"]["details"]
    assert detail["path"] == "/header/doc_number"
    assert "六角括号" in detail["message"] and "四位" in detail["message"] and "第" in detail["message"]


def test_the_correction_is_noted() -> None:
    fixed, changes = normalise_doc_number("X政发[2025]08号")
    assert fixed == "X政发〔2025〕8号" and changes == ["“[2025]”改为“〔2025〕”", "“08号”改为“8号”"]
    [note] = report_notes(with_number("X政发(2025)第8号"))
    assert note.path == "/header/doc_number" and "X政发〔2025〕8号" in note.message
    assert report_notes(with_number("X政发〔2025〕8号")) == []


@given(st.integers(1900, 2100), st.integers(1, 9999), st.sampled_from(["[]", "()", "（）", "【】", "〔〕", "［］"]),
       st.sampled_from(["", "第"]), st.integers(0, 3))
def test_any_bracket_padding_and_di_normalise_to_the_standard(year: int, number: int, brackets: str, di: str, zeros: int) -> None:
    typed = f"X政发{brackets[0]}{year}{brackets[1]}{di}{'0' * zeros}{number}号"
    fixed, _changes = normalise_doc_number(typed)
    assert fixed == f"X政发〔{year}〕{number}号"
    validate_report(with_number(typed))  # valid once corrected


def test_form_validation_answers_with_notes(app: Flask) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    ok = client.post("/web/validate", json=with_number("X政发[2025]8号")).get_json()
    assert ok["ok"] is True and ok["notes"][0]["path"] == "/header/doc_number"
    bad = client.post("/web/validate", json={**with_number("X政发[2025]8号"), "date": "2025-13-45"}).get_json()
    assert bad["error"]["details"][0]["path"] == "/date" and bad["notes"][0]["path"] == "/header/doc_number"


# -- run-in headings ------------------------------------------------------------------


@pytest.mark.parametrize("heading,printed", [
    ("稳住粮食生产基本盘", "稳住粮食生产基本盘。"),
    ("稳住粮食生产基本盘。", "稳住粮食生产基本盘。"),
    ("为什么要改？", "为什么要改？"),
    ("主要做法：", "主要做法："),
    ("抓好“菜篮子”", "抓好“菜篮子”。"),
    ("“菜篮子”丰富了。”", "“菜篮子”丰富了。”"),
])
def test_run_in_heading_rule(heading: str, printed: str) -> None:
    assert run_in_heading(heading) == printed
    assert run_in_heading_ends(printed)


def test_api_run_in_heading_without_stop_is_separated(client: FlaskClient) -> None:
    report = {"title": "t", "sections": [{"heading": "总体", "sections": [
        {"heading": "稳住粮食生产基本盘", "run_in": True, "paragraphs": ["全年粮食播种面积稳定。", "第二段。"]},
        {"heading": "不是段首标题", "paragraphs": ["正文。"]}]}]}
    data = client.post("/api/v1/reports", json=report).data
    texts = [p.text for p in python_docx.Document(io.BytesIO(data)).paragraphs]
    assert "（一）稳住粮食生产基本盘。全年粮食播种面积稳定。" in texts
    assert "（二）不是段首标题" in texts  # a heading on its own line gets nothing


def test_engine_output_with_run_in_headings_lints_clean(client: FlaskClient) -> None:
    from service.lint import lint_docx

    report = {"title": "t", "sections": [{"heading": "总体", "sections": [
        {"heading": "稳住粮食生产基本盘", "run_in": True, "paragraphs": ["全年粮食播种面积稳定。"]}]}]}
    data = client.post("/api/v1/reports", json=report).data
    assert not lint_docx(data).errors()


# -- the engine's rules, served to the page --------------------------------------------------


def test_title_lines_endpoint_is_the_engines_rule(client: FlaskClient) -> None:
    for title in ["2025年XX县人民政府关于推进乡村振兴工作情况的报告", "短标题", "第一行\n第二行", ""]:
        body = client.get("/web/title-lines", query_string={"title": title}).get_json()
        assert body["lines"] == (list(title_lines(title)) if title else [])


def test_page_data_carries_the_run_in_rule(client: FlaskClient) -> None:
    from service.profile import RUN_IN_END_MARKS

    html = client.get("/").get_data(as_text=True)
    assert '"engineRules"' in html and RUN_IN_END_MARKS[:3] in html


def test_unit_templates_are_listed_for_the_picker(app: Flask, client: FlaskClient) -> None:
    from tests.test_unit_templates import letterhead

    assert client.get("/web/unit-templates").get_json() == {"unit_templates": []}
    app.config["ADMIN_KEYS"] = "admin-secret"
    made = client.post("/api/v1/unit-templates", data={"file": (io.BytesIO(letterhead()), "l.docx"), "name": "青山镇信笺"},
                       headers={"Authorization": "Bearer admin-secret"}, content_type="multipart/form-data")
    assert made.status_code == 201, made.get_json()
    listed = client.get("/web/unit-templates").get_json()["unit_templates"]
    assert [(t["id"], t["name"]) for t in listed] == [(made.get_json()["id"], "青山镇信笺")]


# -- the lint page ----------------------------------------------------------------------------


def test_lint_page_puts_one_click_fix_above_the_findings(app: Flask) -> None:
    from tests.test_web_import_lint import bad_docx

    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    html = client.post("/lint", data={"file": (io.BytesIO(bad_docx()), "坏.docx")}, content_type="multipart/form-data").get_data(as_text=True)
    assert html.index('id="fix-form"') < html.index('id="findings"')
    assert html.index('id="verdict"') < html.index('id="fix-form"')
    # Chinese rule names, ids kept in the tooltip
    assert re.search(r'title="检查项 id：[a-z.-]+">检查项：[^<a-z]+<', html)
