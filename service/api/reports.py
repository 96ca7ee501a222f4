"""Templates, schema, one report, and synchronous batches."""
from __future__ import annotations

from flask import Response, current_app, jsonify, request, stream_with_context
from flask.typing import ResponseReturnValue

from .. import convert
from ..batch import stream_zip
from ..engine import write_docx
from ..filenames import content_disposition, report_filename
from ..model import ErrorDetail, ReportValidationError, report_json_schema
from ..templates import template_kinds
from . import bp
from .errors import ApiError, validation_error
from .inputs import batch_input, docx_response, json_body, on_error, planned_batch, unit_templates, validated


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    return jsonify(status="ok")


@bp.get("/api/v1/templates")
def list_templates() -> ResponseReturnValue:
    return jsonify(templates=[k.summary() for k in template_kinds().values()])


@bp.get("/api/v1/templates/<kind_id>")
def get_template(kind_id: str) -> ResponseReturnValue:
    kind = template_kinds().get(kind_id)
    if kind is None:
        raise ApiError(404, "unknown_template", f"未知的文种模板“{kind_id}”", [ErrorDetail("/template", "未知的文种模板", "unknown_template")])
    return jsonify(kind.detail())


@bp.get("/api/v1/schema")
def schema() -> ResponseReturnValue:
    return jsonify(report_json_schema())


@bp.post("/api/v1/reports")
def create_report() -> ResponseReturnValue:
    report = validated(json_body())
    try:
        data = write_docx(report, unit_templates=unit_templates())
    except ReportValidationError as exc:
        raise validation_error(exc) from None
    fmt = request.args.get("format", "docx")
    if fmt == "docx":
        return docx_response(data, report_filename(report.title, report.filename))
    if fmt != "pdf":
        raise ApiError(400, "malformed", "format 只能是 docx 或 pdf", [ErrorDetail("/format", "取值无效", "literal_error")])
    try:
        pdf = convert.docx_to_pdf(data, timeout_s=float(current_app.config["CONVERT_TIMEOUT_S"]))
    except convert.ConversionError as exc:
        raise ApiError(503, "conversion_unavailable", str(exc)) from None
    return docx_response(pdf, report_filename(report.title, report.filename, ".pdf"), "application/pdf")


@bp.post("/api/v1/reports/batch")
def create_batch() -> ResponseReturnValue:
    items, sheet = batch_input()
    mode = on_error()
    limit = int(current_app.config["BATCH_SYNC_MAX"])
    if len(items) > limit:
        raise ApiError(
            413, "batch_too_large",
            f"一次同步最多生成 {limit} 份报告（本次 {len(items)} 份）；更大的批量请提交到 /api/v1/jobs 后台任务",
        )
    plan = planned_batch(items, sheet, mode)
    chunks = stream_zip(plan.items, plan.names, unit_templates=unit_templates(), error_report=plan.skipped, skipped=plan.skipped_count)
    resp = Response(stream_with_context(chunks), mimetype="application/zip")
    resp.headers["Content-Disposition"] = content_disposition("reports.zip")
    # The totals, known before the first byte is sent (the zip's comment says them too).
    resp.headers["X-Reports-Made"] = str(plan.made)
    resp.headers["X-Reports-Skipped"] = str(plan.skipped_count)
    return resp
