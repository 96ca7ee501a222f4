"""The 批量生成 page: a spreadsheet in, a zip of documents out, for people who do not call APIs.

* ``GET /batch`` – the page: templates to download, the columns, the upload.
* ``GET /batch/template.csv|.xlsx`` – a template with the usual columns and one example row.
* ``POST /batch/check`` – the rows read from an upload: title, kind and every
  problem (spreadsheet row and column header, in Chinese), before anything is made.
* ``POST /batch/start`` – the upload again with ``on_error`` (stop | skip) and
  ``pdf``: a background job (the API's jobs), answered 202 with its state.
* ``GET /batch/jobs/<id>`` and ``/batch/jobs/<id>/result`` – progress and the
  zip, for the browser session that started the job only.
* ``POST /batch/zip`` – without JavaScript: the same upload answered with the zip at once.

A thin adapter: reading is :mod:`service.batch_input`, checking and the zip
are :mod:`service.batch`, jobs are the API's (:func:`service.api.jobs.start_job`).
"""
from __future__ import annotations

import secrets
from typing import Any

from flask import Response, current_app, jsonify, render_template, request, session, stream_with_context
from flask.typing import ResponseReturnValue

from .. import convert
from ..batch import ERROR_REPORT_NAME, check_items, plan_batch, stream_zip
from ..batch_input import OTHER_COLUMNS, TEMPLATE_COLUMNS, BatchInputError, Sheet, read_sheet, template_csv, template_xlsx
from ..filenames import content_disposition
from ..model import ReportValidationError
from ..templates import template_kinds
from . import bp
from .common import error_json, message_page, size_limit_text, unit_templates

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows the check shows one by one; a larger sheet is summarised beyond them.
MAX_SHOWN_ROWS = 1000


class BatchPageProblem(Exception):
    """The request cannot be used; ``message`` is Chinese."""

    def __init__(self, status: int, code: str, message: str, details: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details or []


@bp.errorhandler(BatchPageProblem)
def batch_problem(exc: BatchPageProblem) -> ResponseReturnValue:
    if request.path == "/batch/zip":
        return message_page(exc.status, "无法批量生成", "；".join([exc.message] + [_detail_text(d) for d in exc.details[:50]]))
    return error_json(exc.status, exc.code, exc.message, exc.details)


def _detail_text(detail: dict[str, Any]) -> str:
    if detail.get("row") is not None:
        return f"第 {detail['row']} 行“{detail.get('column', '')}”列：{detail.get('message', '')}"
    return str(detail.get("message", ""))


@bp.get("/batch")
def batch_form() -> ResponseReturnValue:
    html = render_template(
        "batch_page.html",
        columns=TEMPLATE_COLUMNS,
        other_columns=OTHER_COLUMNS,
        kinds=list(template_kinds().values()),
        pdf_available=convert.available(),
        size_limit=size_limit_text(),
        error_report_name=ERROR_REPORT_NAME,
    )
    return Response(html, mimetype="text/html")


@bp.get("/batch/template.csv")
def batch_template_csv() -> ResponseReturnValue:
    return _download(template_csv(), "text/csv", "批量生成模板.csv")


@bp.get("/batch/template.xlsx")
def batch_template_xlsx() -> ResponseReturnValue:
    return _download(template_xlsx(), XLSX_MIME, "批量生成模板.xlsx")


def _download(data: bytes, mimetype: str, name: str) -> Response:
    resp = Response(data, mimetype=mimetype)
    resp.headers["Content-Disposition"] = content_disposition(name)
    return resp


def _uploaded_sheet() -> Sheet:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise BatchPageProblem(400, "malformed", "请选择要上传的 .csv 或 .xlsx 文件", [{"path": "/file", "message": "缺少文件"}])
    try:
        return read_sheet(upload.filename, upload.read())
    except BatchInputError as exc:
        code = {413: "too_large", 415: "unsupported_media_type", 422: "invalid"}.get(exc.status, "malformed")
        raise BatchPageProblem(exc.status, code, exc.message, [d.as_dict() for d in exc.details]) from None


@bp.post("/batch/check")
def batch_check() -> ResponseReturnValue:
    """Every row read, with its title, kind and problems; nothing is made yet."""
    sheet = _uploaded_sheet()
    checked = check_items(sheet.items, unit_templates(), sheet.problems)
    kinds = template_kinds()
    rows = []
    for item, (_name, problems) in zip(sheet.items[:MAX_SHOWN_ROWS], checked):
        kind_id = item.get("template") or "work-summary"
        kind = kinds.get(kind_id) if isinstance(kind_id, str) else None
        rows.append({
            "row": sheet.rows[len(rows)],
            "title": str(item.get("title") or ""),
            "kind": kind.name if kind else str(kind_id),
            "problems": [{"column": d.column, "message": d.message} for d in sheet.located(problems)],
        })
    invalid = sum(1 for _name, problems in checked if problems)
    return jsonify(total=len(sheet.items), valid=len(sheet.items) - invalid, invalid=invalid, rows=rows,
                   shown=len(rows), pdf_available=convert.available())


def _on_error() -> str:
    value = request.form.get("on_error", "stop")
    if value not in ("stop", "skip"):
        raise BatchPageProblem(400, "malformed", "请选择遇到有问题的行时怎么办", [{"path": "/on_error", "message": "取值无效，可选值：stop、skip"}])
    return value


def _wants_pdf() -> bool:
    wanted = request.form.get("pdf", "").lower() in ("1", "on", "true", "yes")
    if wanted and not convert.available():
        raise BatchPageProblem(503, "conversion_unavailable", "服务器未安装 LibreOffice，不能同时生成 PDF；请取消“同时生成 PDF”")
    return wanted


def _plan(sheet: Sheet, on_error: str) -> Any:
    try:
        return plan_batch(sheet.items, unit_templates(), "skip" if on_error == "skip" else "stop",
                          locate=sheet.located, extra_problems=sheet.problems)
    except ReportValidationError as exc:
        message = f"表格中有 {len(exc.details)} 处问题，没有生成任何文档；请修改后重新上传，或选择“跳过有问题的行”"
        raise BatchPageProblem(422, "invalid", message, [d.as_dict() for d in exc.details]) from None


def _session_client() -> str:
    """Jobs started from this page belong to the browser session that started them."""
    if "batch_client" not in session:
        session["batch_client"] = secrets.token_hex(12)
    return f"web-{session['batch_client']}"


@bp.post("/batch/start")
def batch_start() -> ResponseReturnValue:
    from ..api.errors import ApiError
    from ..api.jobs import start_job

    on_error, with_pdf = _on_error(), _wants_pdf()
    sheet = _uploaded_sheet()
    limit = int(current_app.config["JOB_MAX_REPORTS"])
    if len(sheet.items) > limit:
        raise BatchPageProblem(413, "batch_too_large", f"一次最多 {limit} 份报告（本次 {len(sheet.items)} 份）")
    plan = _plan(sheet, on_error)
    try:
        job = start_job(plan, _session_client(), with_pdf=with_pdf)
    except ApiError as exc:
        raise BatchPageProblem(exc.status, exc.code, exc.message, [d.as_dict() for d in exc.details]) from None
    resp = jsonify(job.public())
    resp.status_code = 202
    return resp


def _own_job(job_id: str) -> Any:
    from ..api.errors import ApiError
    from ..api.inputs import job_runner, job_store

    try:
        store = job_store()
    except ApiError as exc:
        raise BatchPageProblem(exc.status, exc.code, exc.message) from None
    job = store.get(job_id)
    if job is None or job.client != _session_client():
        raise BatchPageProblem(404, "unknown_job", "任务不存在、已过期，或不是在这个浏览器里开始的")
    if job.status in ("queued", "running"):
        job_runner(store).ensure_running()
    return store, job


@bp.get("/batch/jobs/<job_id>")
def batch_job(job_id: str) -> ResponseReturnValue:
    _store, job = _own_job(job_id)
    resp = jsonify(job.public())
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/batch/jobs/<job_id>/result")
def batch_job_result(job_id: str) -> ResponseReturnValue:
    store, job = _own_job(job_id)
    if job.status != "done":
        raise BatchPageProblem(409, "not_ready", f"任务尚未完成（{job.done}/{job.total}）")
    from ..api.jobs import result_response

    resp = result_response(store, job.id, f"批量生成-{job.id[:8]}.zip")
    if resp is None:
        raise BatchPageProblem(404, "unknown_job", "任务结果已过期或已被删除")
    return resp


@bp.post("/batch/zip")
def batch_zip() -> ResponseReturnValue:
    """The page without JavaScript: the zip at once (up to the API's synchronous limit)."""
    on_error, with_pdf = _on_error(), _wants_pdf()
    sheet = _uploaded_sheet()
    limit = int(current_app.config["BATCH_SYNC_MAX"])
    if len(sheet.items) > limit:
        raise BatchPageProblem(413, "batch_too_large", f"不启用脚本时一次最多 {limit} 份报告（本次 {len(sheet.items)} 份），请启用浏览器脚本后再试")
    plan = _plan(sheet, on_error)
    chunks = stream_zip(plan.items, plan.names, unit_templates=unit_templates(), error_report=plan.skipped,
                        skipped=plan.skipped_count, with_pdf=with_pdf)
    resp = Response(stream_with_context(chunks), mimetype="application/zip")
    resp.headers["Content-Disposition"] = content_disposition("批量生成.zip")
    return resp
