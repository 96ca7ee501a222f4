"""Batches that skip bad rows (on_error=skip), name spreadsheet rows and columns, and date their zips."""
from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import Workbook

from tests.support import ROOT, wait_for_job
from service.batch import ERROR_REPORT_NAME, plan_batch, stream_zip

BAD_ROWS = (5, 9)  # spreadsheet rows (header = row 1)


def sheet_csv(rows: int = 30, bad: tuple[int, ...] = BAD_ROWS) -> bytes:
    """A CSV of ``rows`` reports; the given spreadsheet rows have a bad date or no title."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["标题", "日期", "正文"])
    for row in range(2, rows + 2):
        title = f"第{row}行的工作总结"
        date = "2025-01-15"
        if row in bad:
            if row % 2:
                date = "2025-13-45"
            else:
                title = ""
        writer.writerow([title, date, f"一、主要工作\n第{row}行的正文。"])
    return out.getvalue().encode("utf-8")


def error_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "错误报告.csv must carry a UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def post_sheet(client: FlaskClient, path: str, body: bytes, name: str = "reports.csv", **fields: str) -> Any:
    data = {"file": (io.BytesIO(body), name), **fields}
    return client.post(path, data=data, content_type="multipart/form-data")


# -- stop (the default): every problem, with row and column -----------------------


def test_stop_names_every_bad_row_and_column(client: FlaskClient) -> None:
    resp = post_sheet(client, "/api/v1/reports/batch", sheet_csv(12))
    assert resp.status_code == 422
    details = resp.get_json()["error"]["details"]
    assert {(d["row"], d["column"]) for d in details} == {(5, "日期"), (9, "日期")} or {d["row"] for d in details} == {5, 9}
    by_row = {d["row"]: d for d in details}
    assert by_row[5]["column"] == "日期" and by_row[5]["path"] == "/3/date"
    assert by_row[9]["column"] == "日期" and by_row[9]["path"] == "/7/date"


def test_row_counts_empty_rows_and_the_header(client: FlaskClient) -> None:
    body = "title,date,preamble\n好的报告,2025-01-01,正文。\n\n,2025-01-01,正文。\n".encode()
    details = post_sheet(client, "/api/v1/reports/batch", body).get_json()["error"]["details"]
    assert details == [{"path": "/1/title", "message": "缺少必填字段", "row": 4, "column": "title"}]


def test_xlsx_details_carry_row_and_column(client: FlaskClient) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["标题", "成文日期", "正文"])
    ws.append(["一号报告", "2025-01-01", "一、工作\n内容。"])
    ws.append(["二号报告", "不是日期", "一、工作\n内容。"])
    buf = io.BytesIO()
    wb.save(buf)
    resp = post_sheet(client, "/api/v1/reports/batch", buf.getvalue(), "r.xlsx")
    assert resp.status_code == 422
    [detail] = resp.get_json()["error"]["details"]
    assert (detail["row"], detail["column"], detail["path"]) == (3, "成文日期", "/1/date")


def test_problem_inside_the_text_column_names_that_column(client: FlaskClient) -> None:
    body = "title,正文\n报告甲,\"一、工作\n内容。\"\n报告乙,\"一、工作\n内容。\n责任编辑：张三\"\n".encode()
    details = post_sheet(client, "/api/v1/reports/batch", body).get_json()["error"]["details"]
    assert [(d["path"], d["row"], d["column"]) for d in details] == [("/1/text", 3, "正文")]
    # skipped, the same problem is a line of the error report
    resp = post_sheet(client, "/api/v1/reports/batch", body, on_error="skip")
    rows = error_rows(zipfile.ZipFile(io.BytesIO(resp.data)).read(ERROR_REPORT_NAME))
    assert [r[:2] for r in rows[1:]] == [["3", "正文"]]


def test_json_batches_have_no_row(client: FlaskClient) -> None:
    resp = client.post("/api/v1/reports/batch", json=[{"title": "甲", "preamble": ["x"]}, {"preamble": ["x"]}])
    assert resp.get_json()["error"]["details"] == [{"path": "/1/title", "message": "缺少必填字段"}]


def test_unknown_on_error_is_a_400_naming_it(client: FlaskClient) -> None:
    resp = client.post("/api/v1/reports/batch?on_error=ignore", json=[{"title": "甲", "preamble": ["x"]}])
    assert resp.status_code == 400
    assert resp.get_json()["error"]["details"][0]["path"] == "/on_error"


# -- skip ---------------------------------------------------------------------------


def test_skip_makes_the_valid_documents_and_an_error_report(client: FlaskClient) -> None:
    resp = post_sheet(client, "/api/v1/reports/batch", sheet_csv(30), on_error="skip")
    assert resp.status_code == 200, resp.get_json()
    assert (resp.headers["X-Reports-Made"], resp.headers["X-Reports-Skipped"]) == ("28", "2")
    zf = zipfile.ZipFile(io.BytesIO(resp.data))
    docs = [n for n in zf.namelist() if n.endswith(".docx")]
    assert len(docs) == 28 and "第5行的工作总结.docx" not in docs and "第6行的工作总结.docx" in docs
    rows = error_rows(zf.read(ERROR_REPORT_NAME))
    assert rows[0] == ["行号", "字段", "问题"]
    assert [(r[0], r[1]) for r in rows[1:]] == [("5", "日期"), ("9", "日期")]
    assert "2025年13月45日" in rows[1][2] or "月" in rows[1][2]
    assert zf.comment.decode("utf-8") == "已生成 28 份，跳过 2 份"


def test_skip_as_a_query_parameter_on_json(client: FlaskClient) -> None:
    items = [{"title": "甲", "preamble": ["x"]}, {"title": "乙"}, {"title": "丙", "preamble": ["y"]}]
    resp = client.post("/api/v1/reports/batch?on_error=skip", json=items)
    zf = zipfile.ZipFile(io.BytesIO(resp.data))
    assert sorted(zf.namelist()) == sorted(["甲.docx", "丙.docx", ERROR_REPORT_NAME])
    rows = error_rows(zf.read(ERROR_REPORT_NAME))
    assert rows[1][:2] == ["2", "/sections"]


def test_skip_with_nothing_valid_is_still_a_422(client: FlaskClient) -> None:
    resp = client.post("/api/v1/reports/batch?on_error=skip", json=[{"title": "乙"}])
    assert resp.status_code == 422


def test_skip_without_problems_has_no_error_report(client: FlaskClient) -> None:
    resp = post_sheet(client, "/api/v1/reports/batch", sheet_csv(3, bad=()), on_error="skip")
    names = zipfile.ZipFile(io.BytesIO(resp.data)).namelist()
    assert len(names) == 3 and ERROR_REPORT_NAME not in names


def test_job_with_skip_reports_made_and_skipped(client: FlaskClient) -> None:
    resp = post_sheet(client, "/api/v1/jobs", sheet_csv(30), on_error="skip")
    assert resp.status_code == 202, resp.get_json()
    assert resp.get_json()["total"] == 28 and resp.get_json()["skipped"] == 2
    job = wait_for_job(client, resp.headers["Location"])
    assert job["status"] == "done" and (job["made"], job["skipped"], job["done"], job["total"]) == (28, 2, 28, 28)
    assert [(e["row"], e["column"]) for e in job["errors"]] == [(5, "日期"), (9, "日期")]
    with client.get(resp.headers["Location"] + "/result") as result:  # a served file: close it
        zf = zipfile.ZipFile(io.BytesIO(result.data))
    assert len([n for n in zf.namelist() if n.endswith(".docx")]) == 28
    assert [r[0] for r in error_rows(zf.read(ERROR_REPORT_NAME))[1:]] == ["5", "9"]


def test_job_stop_refuses_with_rows(client: FlaskClient) -> None:
    resp = post_sheet(client, "/api/v1/jobs", sheet_csv(10))
    assert resp.status_code == 422
    assert [d["row"] for d in resp.get_json()["error"]["details"]] == [5, 9]


# -- zip dates ------------------------------------------------------------------------


def test_zip_entries_carry_the_generation_time() -> None:
    items = [{"title": "甲", "preamble": ["x"]}]
    plan = plan_batch(items)
    before = dt.datetime.now() - dt.timedelta(minutes=1)
    zf = zipfile.ZipFile(io.BytesIO(b"".join(stream_zip(plan.items, plan.names))))
    stamp = dt.datetime(*zf.infolist()[0].date_time)
    assert before.replace(microsecond=0) <= stamp + dt.timedelta(seconds=2)
    assert stamp <= dt.datetime.now() + dt.timedelta(seconds=2)


def test_reproducible_zip_is_byte_identical() -> None:
    items = [{"title": "甲", "preamble": ["x"]}, {"title": "乙", "preamble": ["y"]}]
    plan = plan_batch(items)
    one = b"".join(stream_zip(plan.items, plan.names, reproducible=True))
    two = b"".join(stream_zip(plan.items, plan.names, reproducible=True))
    assert one == two
    assert zipfile.ZipFile(io.BytesIO(one)).infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)


# -- command line -----------------------------------------------------------------------


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "service", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=300)  # hang guard


def test_cli_skip_invalid(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_bytes(sheet_csv(12))
    stopped = run_cli("batch", "in.csv", "-o", "out.zip", cwd=tmp_path)
    assert stopped.returncode == 2
    assert "第 5 行，“日期”列" in stopped.stderr and "第 9 行" in stopped.stderr
    done = run_cli("batch", "in.csv", "-o", "out.zip", "--skip-invalid", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    zf = zipfile.ZipFile(tmp_path / "out.zip")
    assert len([n for n in zf.namelist() if n.endswith(".docx")]) == 10
    assert [r[0] for r in error_rows(zf.read(ERROR_REPORT_NAME))[1:]] == ["5", "9"]
    assert "跳过 2 份" in done.stdout


def test_a_small_job_reports_progress_document_by_document(tmp_path: Path) -> None:
    from service.jobs.store import JobStore
    from service.jobs.work import execute

    store = JobStore(tmp_path / "jobs")
    plan = plan_batch([{"title": f"报告{i}", "preamble": ["正文。"]} for i in range(30)] + [{"title": "坏"}], on_error="skip")
    job = store.create(plan.items, "me", skipped=plan.skipped_count, errors=[d.as_dict() for d in plan.skipped])
    assert store.claim(job.id, "worker")
    seen: list[int] = []
    original = store.progress

    def record(job_id: str, owner: str, done: int) -> bool:
        seen.append(done)
        return original(job_id, owner, done)

    store.progress = record  # type: ignore[method-assign]
    execute(store, job.id, "worker")
    finished = store.get(job.id)
    assert finished is not None and finished.public()["status"] == "done"
    assert seen == list(range(1, 31))  # every document of a small job moves the bar
    assert (finished.public()["made"], finished.public()["skipped"]) == (30, 1)
    names = zipfile.ZipFile(store.result_path(job.id)).namelist()
    assert len(names) == 31 and ERROR_REPORT_NAME in names


# -- the 批量生成 page's endpoints ------------------------------------------------------------


def page_client(app: Any) -> FlaskClient:
    app.config["WTF_CSRF_ENABLED"] = False
    return app.test_client()


def test_page_check_lists_rows_titles_kinds_and_problems(app: Any) -> None:
    client = page_client(app)
    resp = post_sheet(client, "/batch/check", sheet_csv(10))
    body = resp.get_json()
    assert (body["total"], body["valid"], body["invalid"]) == (10, 8, 2)
    assert body["rows"][0] == {"row": 2, "title": "第2行的工作总结", "kind": "工作总结", "problems": []}
    assert body["rows"][3]["row"] == 5 and body["rows"][3]["problems"][0]["column"] == "日期"


def test_page_jobs_belong_to_the_session_that_started_them(app: Any) -> None:
    client = page_client(app)
    job = post_sheet(client, "/batch/start", sheet_csv(4), on_error="skip").get_json()
    assert (job["total"], job["skipped"]) == (3, 1)
    assert wait_for_job(client, f"/batch/jobs/{job['id']}")["status"] == "done"
    with client.get(f"/batch/jobs/{job['id']}/result") as result:
        assert result.status_code == 200
    stranger = app.test_client()
    assert stranger.get(f"/batch/jobs/{job['id']}").status_code == 404
    assert stranger.get(f"/batch/jobs/{job['id']}/result").status_code == 404


def test_page_without_script_answers_with_the_zip(app: Any) -> None:
    client = page_client(app)
    resp = post_sheet(client, "/batch/zip", sheet_csv(6), on_error="skip")
    names = zipfile.ZipFile(io.BytesIO(resp.data)).namelist()
    assert len([n for n in names if n.endswith(".docx")]) == 5 and ERROR_REPORT_NAME in names
    refused = post_sheet(client, "/batch/zip", sheet_csv(6))
    assert refused.status_code == 422 and "第 5 行“日期”列：日期不存在" in refused.get_data(as_text=True)


def test_page_batch_with_pdfs(tmp_path: Path, soffice: None) -> None:
    from service import create_app

    # A conversion takes seconds: the shared fixture's 2-second stale limit would take the job away.
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "INSTANCE_PATH": str(tmp_path / "instance"), "JOB_STALE_S": 120})
    client = page_client(app)
    job = post_sheet(client, "/batch/start", sheet_csv(2, bad=()), on_error="skip", pdf="1").get_json()
    done = wait_for_job(client, f"/batch/jobs/{job['id']}", timeout_s=300)  # hang guard
    assert done["status"] == "done", done
    with client.get(f"/batch/jobs/{job['id']}/result") as result:
        zf = zipfile.ZipFile(io.BytesIO(result.data))
    names = sorted(zf.namelist())
    assert names == ["第2行的工作总结.docx", "第2行的工作总结.pdf", "第3行的工作总结.docx", "第3行的工作总结.pdf"]
    assert zf.read("第2行的工作总结.pdf").startswith(b"%PDF")


def test_templates_read_back_as_one_valid_report(client: FlaskClient) -> None:
    from service.batch_input import TEMPLATE_COLUMNS, read_sheet

    for name in ("template.csv", "template.xlsx"):
        resp = client.get(f"/batch/{name}")
        assert resp.status_code == 200
        sheet = read_sheet(name, resp.data)
        assert not sheet.problems and len(sheet.items) == 1
        assert plan_batch(sheet.items).made == 1
    header = client.get("/batch/template.csv").data.decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == [c.header for c in TEMPLATE_COLUMNS]


def test_a_pdf_batch_without_libreoffice_still_gives_every_document(monkeypatch: pytest.MonkeyPatch) -> None:
    from service import convert

    monkeypatch.setattr(convert, "soffice_path", lambda: None)
    plan = plan_batch([{"title": "甲", "preamble": ["x"]}, {"title": "乙", "preamble": ["y"]}])
    zf = zipfile.ZipFile(io.BytesIO(b"".join(stream_zip(plan.items, plan.names, with_pdf=True))))
    assert zf.namelist() == ["甲.docx", "乙.docx", ERROR_REPORT_NAME]
    report = zf.read(ERROR_REPORT_NAME).decode("utf-8-sig")
    assert "甲.pdf 未能生成" in report and "乙.pdf 未能生成" in report and "LibreOffice" in report
