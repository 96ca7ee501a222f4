"""Tables reach a spreadsheet batch on sheets of their own: a 【表格：名称】 line
in a row's text puts the sheet of that name there (service/batch_tables.py)."""
from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from service.batch_tables import sheet_table
from service.model import validate_report


def workbook(reports: list[list[Any]], tables: dict[str, list[list[Any]]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for row in reports:
        wb.active.append(row)
    for name, rows in tables.items():
        sheet = wb.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


TABLE_SHEET = [["指标", "单位", "目标", "完成"], ["地区生产总值", "亿元", 18.0, 18.6], ["财政收入", "亿元", 2.1, None], [], ["注：数据截至11月底。"]]
TEXT = "一、主要指标\n全年指标完成情况如下。\n【表格：表1 主要指标】\n二、存在问题\n个别指标偏慢。"


def post(client: FlaskClient, name: str, body: bytes) -> Any:
    return client.post("/api/v1/reports/batch", data={"file": (io.BytesIO(body), name)}, content_type="multipart/form-data")


def test_an_xlsx_row_takes_its_table_from_a_sheet(client: FlaskClient) -> None:
    body = workbook([["标题", "正文", "署名", "日期"], ["甲镇工作总结", TEXT, "甲镇人民政府", "2025-12-05"],
                     ["乙镇工作总结", "一、概况\n【表格：表1 主要指标】", "", ""]], {"表1 主要指标": TABLE_SHEET})
    resp = post(client, "towns.xlsx", body)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    docs = {n: z for n, z in ((n, zipfile.ZipFile(io.BytesIO(resp.data)).read(n)) for n in zipfile.ZipFile(io.BytesIO(resp.data)).namelist())}
    assert sorted(docs) == ["乙镇工作总结.docx", "甲镇工作总结.docx"]
    xml = zipfile.ZipFile(io.BytesIO(docs["甲镇工作总结.docx"])).read("word/document.xml").decode("utf-8")
    assert "【表格" not in xml
    for text in ("表1 主要指标", "地区生产总值", "18.6", "注：数据截至11月底。", "<w:tblHeader/>"):
        assert text in xml, text


def test_the_sheet_becomes_the_contract_table() -> None:
    table = sheet_table("表1 主要指标", [["指标", "单位", "目标", "完成"], ["地区生产总值", "亿元", "18", ""], ["", "", "", ""], ["注：数据截至11月底。", "", "", ""]])
    assert table == {"title": "表1 主要指标", "header": [["指标", "单位", "目标", "完成"]], "rows": [["地区生产总值", "亿元", "18", ""]],
                     "notes": ["注：数据截至11月底。"]}
    validate_report({"title": "t", "preamble": [{"table": table}]})


@given(st.lists(st.lists(st.text(alphabet="甲乙12 ", max_size=3), min_size=1, max_size=5), min_size=1, max_size=6))
def test_any_filled_sheet_gives_a_valid_table(rows: list[list[str]]) -> None:
    table = sheet_table("表", rows)
    if table["header"]:
        validate_report({"title": "t", "preamble": [{"table": table}]})
        widths = {len(r) for r in table["header"] + table["rows"]}
        assert len(widths) == 1  # every row spans the table's columns


def test_a_missing_sheet_is_named_with_the_row_pointer(client: FlaskClient) -> None:
    body = workbook([["title", "text"], ["甲", "一、概况\n【表格：表9】"]], {"表1": TABLE_SHEET})
    resp = post(client, "x.xlsx", body)
    assert resp.status_code == 422
    details = resp.get_json()["error"]["details"]
    assert details[0]["path"] == "/0/sections/0/paragraphs/0" and "表9" in details[0]["message"] and "表1" in details[0]["message"]


def test_a_table_marker_in_csv_is_an_error_not_printed_text(client: FlaskClient) -> None:
    body = "title,preamble\n甲,【表格：表1】\n".encode("utf-8")
    resp = post(client, "x.csv", body)
    assert resp.status_code == 422
    assert ".xlsx" in resp.get_json()["error"]["details"][0]["message"]


@pytest.mark.parametrize("line", ["【表格：表1】", "[表格:表1]", " 【表格： 表1 】 "])
def test_marker_forms(line: str, client: FlaskClient) -> None:
    body = workbook([["title", "preamble"], ["甲", line]], {"表1": TABLE_SHEET})
    assert post(client, "x.xlsx", body).status_code == 200
