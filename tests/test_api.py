"""The JSON API against the real app: every endpoint and error path of the contract."""
from __future__ import annotations

import csv
import io
import json
import time
import zipfile
from pathlib import Path
from typing import Any

import docx as python_docx
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support import job_store_of, wait_for_job
from service import create_app

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def report(title: str = "2025年工作总结", **extra: Any) -> dict[str, Any]:
    return {"title": title, "preamble": ["正文第一段。"], "sections": [{"heading": "主要工作", "paragraphs": ["内容。"]}], **extra}


def error_of(resp: Any) -> dict[str, Any]:
    body = resp.get_json()
    assert set(body) == {"error"} and {"code", "message", "details"} <= set(body["error"]), body
    return body["error"]


def docx_title(data: bytes) -> str:
    return python_docx.Document(io.BytesIO(data)).paragraphs[0].text.replace("\n", "")


# -- simple reads -------------------------------------------------------------


def test_healthz(client: FlaskClient) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_templates(client: FlaskClient) -> None:
    kinds = client.get("/api/v1/templates").get_json()["templates"]
    assert [k["id"] for k in kinds][:3] == ["work-summary", "work-report", "duty-report"]
    assert all(k["name"] and k["description"] for k in kinds)
    one = client.get("/api/v1/templates/work-report").get_json()
    assert one["name"] == "工作报告" and one["scaffold"]["salutation"] == "各位代表："
    resp = client.get("/api/v1/templates/nope")
    assert resp.status_code == 404 and error_of(resp)["code"] == "unknown_template"


def test_schema(client: FlaskClient) -> None:
    schema = client.get("/api/v1/schema").get_json()
    assert schema["required"] == ["title"] and "sections" in schema["properties"]


# -- one report ---------------------------------------------------------------


def test_report_docx(client: FlaskClient) -> None:
    resp = client.post("/api/v1/reports", json=report())
    assert resp.status_code == 200
    assert resp.mimetype == DOCX
    cd = resp.headers["Content-Disposition"]
    assert cd.startswith("attachment;") and "filename*=UTF-8''2025%E5%B9%B4" in cd
    assert docx_title(resp.data) == "2025年工作总结"


def test_report_filename_field(client: FlaskClient) -> None:
    resp = client.post("/api/v1/reports", json=report(filename="../../etc/总结"))
    cd = resp.headers["Content-Disposition"]
    assert cd.endswith("filename*=UTF-8''etc_%E6%80%BB%E7%BB%93.docx")


def test_report_pdf(client: FlaskClient, soffice: None) -> None:
    resp = client.post("/api/v1/reports?format=pdf", json=report())
    assert resp.status_code == 200 and resp.mimetype == "application/pdf" and resp.data.startswith(b"%PDF")


def test_report_pdf_without_libreoffice_is_503(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from service import convert

    monkeypatch.setattr(convert, "soffice_path", lambda: None)
    resp = client.post("/api/v1/reports?format=pdf", json=report())
    assert resp.status_code == 503 and "LibreOffice" in error_of(resp)["message"]


def test_unknown_format(client: FlaskClient) -> None:
    resp = client.post("/api/v1/reports?format=odt", json=report())
    assert resp.status_code == 400


@pytest.mark.parametrize(
    "body, content_type, status, code",
    [
        (b"{not json", "application/json", 400, "malformed"),
        (b'{"title": "\xff\xfe"}', "application/json", 400, "malformed"),
        (b"title=x", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        (b"[1, 2]", "application/json", 422, "invalid"),
        (b'"just a string"', "application/json", 422, "invalid"),
    ],
)
def test_malformed_requests(client: FlaskClient, body: bytes, content_type: str, status: int, code: str) -> None:
    resp = client.post("/api/v1/reports", data=body, content_type=content_type)
    assert resp.status_code == status and error_of(resp)["code"] == code


def test_invalid_report_lists_every_problem(client: FlaskClient) -> None:
    bad = {"sections": [{"heading": "坏\u0001"}], "date": "2022-13-45", "options": {"seal": "maybe"}}
    resp = client.post("/api/v1/reports", json=bad)
    assert resp.status_code == 422
    err = error_of(resp)
    assert {d["path"] for d in err["details"]} == {"/title", "/sections/0/heading", "/date", "/options/seal"}
    assert all(d["message"] for d in err["details"])


def test_unknown_template_is_404(client: FlaskClient) -> None:
    resp = client.post("/api/v1/reports", json=report(template="letter"))
    assert resp.status_code == 404 and error_of(resp)["details"][0]["path"] == "/template"


def test_too_large_is_413(app: Flask) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 2000
    resp = app.test_client().post("/api/v1/reports", json=report(preamble=["字" * 3000]))
    assert resp.status_code == 413 and error_of(resp)["code"] == "too_large"


def test_unknown_url_and_method_are_json(client: FlaskClient) -> None:
    assert error_of(client.get("/api/v1/nothing"))["code"] == "not_found"
    resp = client.get("/api/v1/reports")
    assert resp.status_code == 405 and error_of(resp)["code"] == "method_not_allowed"


def test_text_is_kept_exactly(client: FlaskClient) -> None:
    tricky = "A&B <w:p> “引号” {{ 7*7 }} {% for %} 😀 𠀀"
    resp = client.post("/api/v1/reports", json=report(preamble=[tricky]))
    doc = python_docx.Document(io.BytesIO(resp.data))
    assert tricky in [p.text for p in doc.paragraphs]


# -- batches -------------------------------------------------------------------


def zip_docs(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        return {n: zf.read(n) for n in zf.namelist()}


def test_batch_of_200_every_document_opens_and_holds_its_title(client: FlaskClient) -> None:
    items = [report(f"第{i}号工作总结") for i in range(200)]
    resp = client.post("/api/v1/reports/batch", json=items)
    assert resp.status_code == 200 and resp.mimetype == "application/zip" and resp.is_streamed
    docs = zip_docs(resp.data)
    assert len(docs) == 200
    assert sorted(docx_title(d) for d in docs.values()) == sorted(i["title"] for i in items)


def test_batch_names_are_unique_and_safe(client: FlaskClient) -> None:
    items = [report("同名"), report("同名"), report("x", filename="a/b\\c:d"), report("y", filename="../up")]
    names = list(zip_docs(client.post("/api/v1/reports/batch", json=items).data))
    assert names == ["同名.docx", "同名(2).docx", "a_b_c_d.docx", "up.docx"]
    assert not any("/" in n or "\\" in n for n in names)


def test_an_invalid_item_in_a_batch_of_50_is_named_by_index(client: FlaskClient) -> None:
    items = [report(f"报告{i}") for i in range(50)]
    items[17] = {"title": "", "preamble": ["x"]}
    items[33]["date"] = "2022-02-30"
    resp = client.post("/api/v1/reports/batch", json=items)
    assert resp.status_code == 422
    assert {d["path"] for d in error_of(resp)["details"]} == {"/17/title", "/33/date"}


def test_batch_ndjson(client: FlaskClient) -> None:
    body = "\n".join(json.dumps(report(f"报告{i}"), ensure_ascii=False) for i in range(3)) + "\n"
    resp = client.post("/api/v1/reports/batch", data=body.encode(), content_type="application/x-ndjson")
    assert resp.status_code == 200 and len(zip_docs(resp.data)) == 3
    bad = client.post("/api/v1/reports/batch", data=b'{"title": "a"}\n{oops\n', content_type="application/x-ndjson")
    assert bad.status_code == 400 and "第 2 行" in error_of(bad)["message"]


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


def test_batch_csv(client: FlaskClient) -> None:
    rows = [["title", "recipient", "preamble", "signature", "date", "options.seal"],
            ["甲镇工作总结", "县政府", "第一段\n第二段", "甲镇人民政府", "2025-12-01", "是"],
            ["乙镇工作总结", "", "只有一段", "乙镇人民政府", "2025年12月2日", "否"]]
    data = {"file": (io.BytesIO(csv_bytes(rows)), "towns.csv")}
    resp = client.post("/api/v1/reports/batch", data=data, content_type="multipart/form-data")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    docs = zip_docs(resp.data)
    texts = [p.text for p in python_docx.Document(io.BytesIO(docs["甲镇工作总结.docx"])).paragraphs]
    assert texts[:4] == ["甲镇工作总结", "县政府：", "第一段", "第二段"]
    assert texts[-1] == "2025年12月1日"


def test_batch_csv_in_gbk_and_with_chinese_headers(client: FlaskClient) -> None:
    rows = [["标题", "开头", "日期"], ["丙镇工作总结", "内容", "2025-12-03"]]
    data = {"file": (io.BytesIO(csv_bytes(rows, "gb18030")), "gbk.csv")}
    resp = client.post("/api/v1/reports/batch", data=data, content_type="multipart/form-data")
    assert resp.status_code == 200 and list(zip_docs(resp.data)) == ["丙镇工作总结.docx"]


def test_batch_csv_errors_name_row_and_column(client: FlaskClient) -> None:
    rows = [["title", "preamble", "colour"], ["甲", "x", "red"], ["", "y", ""]]
    data = {"file": (io.BytesIO(csv_bytes(rows)), "bad.csv")}
    resp = client.post("/api/v1/reports/batch", data=data, content_type="multipart/form-data")
    assert resp.status_code == 422
    assert {d["path"] for d in error_of(resp)["details"]} == {"/0/colour", "/1/title"}


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_batch_xlsx(client: FlaskClient) -> None:
    import datetime as dt

    rows = [["title", "preamble", "date", "filename"], ["丁镇工作总结", "内容", dt.datetime(2025, 12, 4), 2025], ["戊镇工作总结", "内容", "2025-12-05", None]]
    data = {"file": (io.BytesIO(xlsx_bytes(rows)), "towns.xlsx")}
    resp = client.post("/api/v1/reports/batch", data=data, content_type="multipart/form-data")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    docs = zip_docs(resp.data)
    assert sorted(docs) == ["2025.docx", "戊镇工作总结.docx"]
    assert python_docx.Document(io.BytesIO(docs["2025.docx"])).paragraphs[-1].text == "2025年12月4日"


@pytest.mark.parametrize("name, body, status", [
    ("x.txt", b"hello", 415),
    ("x.xlsx", b"PK\x03\x04 truncated", 400),
    ("x.csv", b"", 400),
])
def test_batch_bad_uploads(client: FlaskClient, name: str, body: bytes, status: int) -> None:
    resp = client.post("/api/v1/reports/batch", data={"file": (io.BytesIO(body), name)}, content_type="multipart/form-data")
    assert resp.status_code == status and error_of(resp)["message"]


def test_batch_missing_file_field_and_wrong_type(client: FlaskClient) -> None:
    resp = client.post("/api/v1/reports/batch", data={"other": "x"}, content_type="multipart/form-data")
    assert resp.status_code == 400 and error_of(resp)["details"][0]["path"] == "/file"
    resp = client.post("/api/v1/reports/batch", data=b"a,b", content_type="text/csv")
    assert resp.status_code == 415
    resp = client.post("/api/v1/reports/batch", json={"title": "not an array"})
    assert resp.status_code == 400


def test_batch_over_the_synchronous_cap_points_to_jobs(app: Flask) -> None:
    app.config["BATCH_SYNC_MAX"] = 5
    resp = app.test_client().post("/api/v1/reports/batch", json=[report()] * 6)
    assert resp.status_code == 413 and "/api/v1/jobs" in error_of(resp)["message"]


# -- jobs ------------------------------------------------------------------------


def test_job_runs_to_done_and_its_zip_downloads(job_client: FlaskClient) -> None:
    client = job_client
    items = [report(f"任务报告{i}") for i in range(60)]
    resp = client.post("/api/v1/jobs", json=items)
    assert resp.status_code == 202
    body = resp.get_json()
    assert body["status"] == "queued" and body["total"] == 60 and body["done"] == 0
    location = resp.headers["Location"]
    assert location == f"/api/v1/jobs/{body['id']}"
    job = wait_for_job(client, location)
    assert job == {"id": body["id"], "status": "done", "total": 60, "done": 60, "errors": [], "made": 60, "skipped": 0}
    with client.get(location + "/result") as result:  # closes the served file
        assert result.status_code == 200 and result.mimetype == "application/zip"
        assert len(zip_docs(result.data)) == 60


def test_job_errors(job_client: FlaskClient, job_app: Flask) -> None:
    client = job_client
    assert client.get("/api/v1/jobs/nope").status_code == 404
    assert error_of(client.get("/api/v1/jobs/nope/result"))["code"] == "unknown_job"
    resp = client.post("/api/v1/jobs", json=[report(), {"title": "x"}])
    assert resp.status_code == 422 and error_of(resp)["details"][0]["path"] == "/1/sections"
    # A job nobody has run yet has no result.
    store = job_store_of(job_app)
    job = store.create([report()], "anonymous")
    store.claim(job.id, "someone-else")
    resp = client.get(f"/api/v1/jobs/{job.id}/result")
    assert resp.status_code == 409 and error_of(resp)["code"] == "not_ready"


def test_a_job_is_seen_only_by_the_key_that_submitted_it(tmp_path: Path, storage_config: dict[str, Any]) -> None:
    """The attack: key B reads and downloads key A's job by its id."""
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "API_KEYS": "key-a,key-b", "ADMIN_KEYS": "key-admin",
                      **storage_config})
    client = app.test_client()

    def as_key(key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"}

    location = client.post("/api/v1/jobs", json=[report()], headers=as_key("key-a")).headers["Location"]
    assert wait_for_job_as(client, location, as_key("key-a"))["status"] == "done"
    for path in (location, location + "/result"):
        resp = client.get(path, headers=as_key("key-b"))
        assert resp.status_code == 404 and error_of(resp)["code"] == "unknown_job", path
        for key in ("key-a", "key-admin"):
            with client.get(path, headers=as_key(key)) as allowed:  # a served zip is a file: close it
                assert allowed.status_code == 200, key


def wait_for_job_as(client: FlaskClient, location: str, headers: dict[str, str]) -> dict[str, Any]:
    deadline = time.monotonic() + 90  # hang guard
    while (job := client.get(location, headers=headers).get_json())["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
    return job


@pytest.mark.slow
def test_finished_jobs_expire(job_client: FlaskClient, job_app: Flask) -> None:
    client, app = job_client, job_app
    resp = client.post("/api/v1/jobs", json=[report()])
    location = resp.headers["Location"]
    wait_for_job(client, location)
    app.config["JOB_TTL_S"] = 0
    client.post("/api/v1/jobs", json=[report()])  # expiry runs on submission
    assert client.get(location).status_code == 404


# -- access --------------------------------------------------------------------


def test_api_keys(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "API_KEYS": "k-one, k-two"})
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/templates").status_code == 401
    assert error_of(client.get("/api/v1/templates", headers={"Authorization": "Bearer nope"}))["code"] == "forbidden"
    assert client.get("/api/v1/templates", headers={"Authorization": "Bearer k-two"}).status_code == 200
    assert client.post("/api/v1/reports", json=report(), headers={"Authorization": "Bearer k-one"}).status_code == 200


# -- OpenAPI -------------------------------------------------------------------


def test_openapi_is_valid_and_covers_every_route(client: FlaskClient, app: Flask) -> None:
    from openapi_spec_validator import validate

    spec = client.get("/api/openapi.json").get_json()
    validate(spec)
    routes = {r.rule.replace("<job_id>", "{id}").replace("<kind_id>", "{id}").replace("<template_id>", "{id}")
              for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/")}
    assert routes <= set(spec["paths"]), routes - set(spec["paths"])
    assert spec["components"]["schemas"]["Report"]["required"] == ["title"]
    page = client.get("/api/docs")
    assert page.status_code == 200 and "/api/v1/reports/batch" in page.get_data(as_text=True)
    assert "http://" not in page.get_data(as_text=True).replace("http://localhost", "")  # nothing from a CDN


def test_lint_endpoint(client: FlaskClient) -> None:
    ours = client.post("/api/v1/reports", json=report()).data
    resp = client.post("/api/v1/lint", data={"file": (io.BytesIO(ours), "ours.docx")}, content_type="multipart/form-data")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["ok"] is True and all(f["severity"] != "error" for f in body["findings"])
    doc = python_docx.Document()
    doc.add_paragraph("一、甲")
    doc.add_paragraph("三、乙")
    buf = io.BytesIO()
    doc.save(buf)
    resp = client.post("/api/v1/lint", data={"file": (io.BytesIO(buf.getvalue()), "bad.docx")}, content_type="multipart/form-data")
    body = resp.get_json()
    assert body["ok"] is False
    finding = next(f for f in body["findings"] if f["rule"] == "heading.sequence")
    assert set(finding) == {"rule", "severity", "message", "location"} and set(finding["location"]) == {"paragraph", "text"}
    resp = client.post("/api/v1/lint", data={"file": (io.BytesIO(b"nope"), "x.docx")}, content_type="multipart/form-data")
    assert resp.status_code == 422 and error_of(resp)["code"] == "unreadable_docx"
    assert client.post("/api/v1/lint", data=b"x", content_type="application/octet-stream").status_code == 415


def test_batch_csv_text_column_is_structured_by_the_importer(client: FlaskClient) -> None:
    body = "一、主要工作\n（一）抓好学习。全年集中学习十二次。\n（二）抓好监督。开展视察三次。\n二、下一步打算\n继续努力。\n"
    rows = [["title", "signature", "text"], ["甲镇工作总结", "甲镇人民政府", body], ["", "", "只有正文一段。"]]
    data = {"file": (io.BytesIO(csv_bytes(rows)), "towns.csv")}
    resp = client.post("/api/v1/reports/batch", data=data, content_type="multipart/form-data")
    assert resp.status_code == 422  # the second row has no title: named, not replaced by a placeholder
    assert [d["path"] for d in error_of(resp)["details"]] == ["/1/title"]
    rows[2][0] = "乙镇工作总结"
    data = {"file": (io.BytesIO(csv_bytes(rows)), "towns.csv")}
    resp = client.post("/api/v1/reports/batch", data=data, content_type="multipart/form-data")
    assert resp.status_code == 200, resp.get_json()
    texts = [p.text for p in python_docx.Document(io.BytesIO(zip_docs(resp.data)["甲镇工作总结.docx"])).paragraphs]
    assert texts[:6] == ["甲镇工作总结", "一、主要工作", "（一）抓好学习。全年集中学习十二次。", "（二）抓好监督。开展视察三次。", "二、下一步打算", "继续努力。"]


def test_import_endpoint(client: FlaskClient) -> None:
    text = "某镇2025年工作总结\n\n一、主要工作\n抓好各项工作。\n二、存在问题\n仍有不足。\n\n某镇人民政府\n2025年12月1日\n"
    resp = client.post("/api/v1/import", data=text.encode(), content_type="text/plain; charset=utf-8")
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert set(body) == {"reports", "warnings"} and len(body["reports"]) == 1
    report = body["reports"][0]
    assert [s["heading"] for s in report["sections"]] == ["主要工作", "存在问题"]
    # The imported report renders as it is.
    assert client.post("/api/v1/reports", json=report).status_code == 200
    ours = client.post("/api/v1/reports", json=report).data
    resp = client.post("/api/v1/import", data={"file": (io.BytesIO(ours), "r.docx")}, content_type="multipart/form-data")
    again = resp.get_json()["reports"][0]
    assert again["title"] == report["title"] and again["sections"] == report["sections"]
    resp = client.post("/api/v1/import", data=b"   ", content_type="text/plain")
    assert resp.status_code == 422 and error_of(resp)["code"] == "import_failed"
    resp = client.post("/api/v1/import", data={"file": (io.BytesIO(b"PK\x03\x04broken"), "x.docx")}, content_type="multipart/form-data")
    assert resp.status_code == 422
    assert client.post("/api/v1/import", json={"text": "x"}).status_code == 415
