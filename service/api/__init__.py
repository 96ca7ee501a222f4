"""The JSON API blueprint: a thin adapter over the engine.

Every endpoint of the contract (``/api/v1/...``) reads the request, calls the
engine (or the batch and job modules) and answers; errors are the contract's
JSON, never a 500 for anything a client sent.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request, send_file, stream_with_context, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from .. import convert
from ..batch import stream_zip, validate_batch
from ..batch_input import BatchInputError, read_json_array, read_ndjson, read_upload
from ..engine import write_docx
from ..filenames import content_disposition, report_filename
from ..jobs import JobStore, JobStoreError
from ..jobs.runner import runner_for
from ..model import ErrorDetail, Report, ReportValidationError, report_json_schema, validate_report
from ..templates import template_kinds
from ..unit_templates import UnitTemplateError, UnitTemplateStore, inspect_template
from .errors import HTTP_MESSAGES, ApiError, error_response, validation_error
from .openapi import openapi_document

log = logging.getLogger(__name__)

bp = Blueprint("api", __name__, template_folder="templates")

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ---------------------------------------------------------------------------
# Errors and access


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> ResponseReturnValue:
    return error_response(exc.status, exc.code, exc.message, exc.details)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> ResponseReturnValue:
    status = exc.code or 500
    code, message = HTTP_MESSAGES.get(status, ("http_error", exc.name))
    if status == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        message = f"请求体过大（上限 {limit // (1024 * 1024)} MB）" if limit else message
    resp = error_response(status, code, message)
    valid = getattr(exc, "valid_methods", None)
    if valid:  # a 405 says what is allowed (RFC 9110)
        resp.headers["Allow"] = ", ".join(sorted(valid))
    return resp


@bp.app_errorhandler(404)
@bp.app_errorhandler(405)
def _unknown_url(exc: HTTPException) -> ResponseReturnValue:
    """Unknown URLs and methods belong to no blueprint: JSON under /api, HTML elsewhere."""
    if request.path.startswith("/api/") or request.path == "/healthz":
        return _http_error(exc)
    return exc


@bp.errorhandler(Exception)
def _unexpected(exc: Exception) -> ResponseReturnValue:
    # Logged with its trace for us; the client gets no paths or stack.
    log.exception("unhandled error in %s %s", request.method, request.path)
    code, message = HTTP_MESSAGES[500]
    return error_response(500, code, message)


def configured_keys(setting: str) -> list[str]:
    keys = current_app.config.get(setting) or []
    if isinstance(keys, str):
        keys = keys.split(",")
    return [k.strip() for k in keys if k.strip()]


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def key_matches(token: str, keys: list[str]) -> bool:
    # Compare with every key, in constant time, so timing tells nothing.
    found = False
    for key in keys:
        found |= hmac.compare_digest(token.encode("utf-8"), key.encode("utf-8"))
    return found


@bp.before_request
def _require_key() -> ResponseReturnValue | None:
    """API_KEYS (when set) guard /api/v1/; an admin key opens it too."""
    keys = configured_keys("API_KEYS")
    if not keys or not request.path.startswith("/api/v1/"):
        return None
    token = bearer_token()
    if token is None:
        raise ApiError(401, *HTTP_MESSAGES[401])
    if not key_matches(token, keys + configured_keys("ADMIN_KEYS")):
        raise ApiError(403, *HTTP_MESSAGES[403])
    return None


def client_id() -> str:
    """Who is asking, for per-client limits: a hash of the bearer key (never the key itself)."""
    token = bearer_token()
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:16] if token else "anonymous"


def require_admin() -> None:
    """Changing unit templates needs an admin key (ADMIN_KEYS), whatever API_KEYS says."""
    keys = configured_keys("ADMIN_KEYS")
    token = bearer_token()
    if token is None:
        raise ApiError(401, "unauthorized", "需要管理员密钥：请在请求头中提供 Authorization: Bearer <管理员密钥>")
    if not keys or not key_matches(token, keys):
        raise ApiError(403, "forbidden", "管理员密钥无效" if keys else "服务器未设置管理员密钥（ADMIN_KEYS），不能管理单位模板")


# ---------------------------------------------------------------------------
# Reading requests


def json_body() -> Any:
    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type", "请求体应为 JSON（Content-Type: application/json）")
    try:
        return json.loads(request.get_data(cache=False).decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ApiError(400, "malformed", f"请求体不是有效的 UTF-8（第 {exc.start + 1} 个字节）") from None
    except json.JSONDecodeError as exc:
        raise ApiError(400, "malformed", f"请求体不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列（{exc.msg}）") from None
    except RecursionError:
        raise ApiError(400, "malformed", "JSON 嵌套层数过深") from None


def batch_items() -> list[Any]:
    """The reports of a batch or job request, whatever its form."""
    try:
        if request.mimetype == "application/json":
            return read_json_array(request.get_data(cache=False))
        if request.mimetype in ("application/x-ndjson", "application/jsonl"):
            return read_ndjson(request.get_data(cache=False))
        if request.mimetype == "multipart/form-data":
            upload = request.files.get("file")
            if upload is None:
                raise ApiError(400, "malformed", "缺少上传文件：表单字段名应为 file", [ErrorDetail("/file", "缺少文件", "missing")])
            return read_upload(upload.filename or "", upload.read())
    except BatchInputError as exc:
        code = {413: "too_large", 415: "unsupported_media_type", 422: "invalid"}.get(exc.status, "malformed")
        raise ApiError(exc.status, code, exc.message, exc.details) from None
    raise ApiError(
        415, "unsupported_media_type",
        "批量请求应为 JSON 数组（application/json）、NDJSON（application/x-ndjson）或上传 CSV/XLSX（multipart/form-data，字段 file）",
    )


def validated(data: Any) -> Report:
    try:
        return validate_report(data)
    except ReportValidationError as exc:
        raise validation_error(exc) from None


def validated_batch(items: list[Any]) -> list[str]:
    """Validate a batch; returns the file names for the zip."""
    try:
        return validate_batch(items, unit_templates())
    except ReportValidationError as exc:
        raise validation_error(exc) from None


def docx_response(data: bytes, filename: str, mimetype: str = DOCX_MIME) -> Response:
    resp = Response(data, mimetype=mimetype)
    resp.headers["Content-Disposition"] = content_disposition(filename)
    return resp


# ---------------------------------------------------------------------------
# Endpoints


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


def unit_store() -> UnitTemplateStore:
    try:
        return UnitTemplateStore(Path(current_app.instance_path) / "unit_templates")
    except UnitTemplateError as exc:
        raise ApiError(exc.status, "storage_unavailable", exc.message) from None


class LazyUnitTemplates:
    """Opens the unit-template store only for a report that names one, so a
    broken instance folder never stops plain documents."""

    def __init__(self, root: Path):
        self.root = root
        self._store: UnitTemplateStore | None = None

    def read(self, template_id: str) -> Any:
        if self._store is None:
            try:
                self._store = UnitTemplateStore(self.root)
            except UnitTemplateError as exc:
                raise ApiError(exc.status, "storage_unavailable", exc.message) from None
        return self._store.read(template_id)


def unit_templates() -> LazyUnitTemplates:
    return LazyUnitTemplates(Path(current_app.instance_path) / "unit_templates")


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
    items = batch_items()
    limit = int(current_app.config["BATCH_SYNC_MAX"])
    if len(items) > limit:
        raise ApiError(
            413, "batch_too_large",
            f"一次同步最多生成 {limit} 份报告（本次 {len(items)} 份）；更大的批量请提交到 /api/v1/jobs 后台任务",
        )
    names = validated_batch(items)
    resp = Response(stream_with_context(stream_zip(items, names, unit_templates=unit_templates())), mimetype="application/zip")
    resp.headers["Content-Disposition"] = content_disposition("reports.zip")
    return resp


def job_store() -> JobStore:
    try:
        return JobStore(Path(current_app.instance_path) / "jobs")
    except JobStoreError as exc:
        raise ApiError(503, "storage_unavailable", str(exc)) from None


def job_runner(store: JobStore) -> Any:
    cfg = current_app.config
    return runner_for(store.root, cfg.get("CELERY_BROKER_URL") or None, int(cfg["JOB_WORKERS"]), float(cfg["JOB_STALE_S"]))


@bp.post("/api/v1/jobs")
def create_job() -> ResponseReturnValue:
    items = batch_items()
    limit = int(current_app.config["JOB_MAX_REPORTS"])
    if len(items) > limit:
        raise ApiError(413, "batch_too_large", f"一个任务最多 {limit} 份报告（本次 {len(items)} 份）")
    validated_batch(items)
    store = job_store()
    store.expire(float(current_app.config["JOB_TTL_S"]))
    client = client_id()
    limit = int(current_app.config["JOBS_MAX_ACTIVE_PER_CLIENT"])
    if store.count_active(client) >= limit:
        raise ApiError(429, "too_many_jobs", f"未完成的后台任务已达上限（{limit} 个），请等已有任务完成后再提交")
    try:
        job = store.create(items, client)
    except JobStoreError as exc:
        raise ApiError(503, "storage_unavailable", str(exc)) from None
    job_runner(store).submit(job.id)
    resp = jsonify({k: v for k, v in job.public().items() if k != "errors"})
    resp.status_code = 202
    resp.headers["Location"] = url_for("api.get_job", job_id=job.id)
    return resp


def _job_or_404(store: JobStore, job_id: str) -> Any:
    job = store.get(job_id)
    if job is None:
        raise ApiError(404, "unknown_job", "任务不存在或已过期")
    if job.status in ("queued", "running"):
        job_runner(store).submit(job.id)  # make sure someone is working on it (after a restart)
    return job


@bp.get("/api/v1/jobs/<job_id>")
def get_job(job_id: str) -> ResponseReturnValue:
    return jsonify(_job_or_404(job_store(), job_id).public())


@bp.get("/api/v1/jobs/<job_id>/result")
def get_job_result(job_id: str) -> ResponseReturnValue:
    store = job_store()
    job = _job_or_404(store, job_id)
    if job.status == "failed":
        raise ApiError(409, "job_failed", "任务失败，没有结果；错误见任务状态", [ErrorDetail(e.get("path", ""), e["message"], "job_failed") for e in job.errors])
    if job.status != "done":
        raise ApiError(409, "not_ready", f"任务尚未完成（{job.done}/{job.total}），请稍后再取")
    resp = send_file(store.result_path(job.id), mimetype="application/zip")
    resp.headers["Content-Disposition"] = content_disposition(f"reports-{job.id[:8]}.zip")
    return resp


def uploaded_file(field: str = "file") -> tuple[str, bytes]:
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, "unsupported_media_type", f"请用 multipart/form-data 上传，文件字段名为 {field}")
    upload = request.files.get(field)
    if upload is None:
        raise ApiError(400, "malformed", f"缺少上传文件：表单字段名应为 {field}", [ErrorDetail(f"/{field}", "缺少文件", "missing")])
    return upload.filename or "", upload.read()


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # text saved by Chinese Windows is often GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ApiError(400, "malformed", "文本不是 UTF-8 或 GBK 编码")


@bp.post("/api/v1/import")
def import_report() -> ResponseReturnValue:
    from ..importer import ImportFailed, import_docx, import_text

    try:
        if request.mimetype == "text/plain":
            result = import_text(decode_text(request.get_data(cache=False)))
        else:
            filename, data = uploaded_file()
            is_docx = filename.lower().endswith(".docx") or data[:2] == b"PK"
            result = import_docx(data) if is_docx else import_text(decode_text(data))
    except ImportFailed as exc:
        raise ApiError(422, "import_failed", str(exc), [ErrorDetail("/file" if request.files else "", str(exc), "import_failed")]) from None
    return jsonify(reports=result.reports, warnings=result.warnings)


@bp.post("/api/v1/lint")
def lint() -> ResponseReturnValue:
    from ..lint import LintFailed, lint_docx

    _, data = uploaded_file()
    try:
        report = lint_docx(data)
    except LintFailed as exc:
        raise ApiError(422, "unreadable_docx", str(exc), [ErrorDetail("/file", str(exc), "unreadable_docx")]) from None
    return jsonify(report.as_dict())


# -- unit templates --------------------------------------------------------------


def _unit_or_404(store: UnitTemplateStore, template_id: str) -> Any:
    found = store.read(template_id)
    if found is None:
        raise ApiError(404, "unknown_unit_template", f"单位模板“{template_id}”不存在")
    return found


@bp.post("/api/v1/unit-templates")
def upload_unit_template() -> ResponseReturnValue:
    require_admin()
    filename, data = uploaded_file()
    name = (request.form.get("name") or Path(filename).stem or "单位模板").strip()[:100]
    try:
        placeholders = inspect_template(data)
        record = unit_store().add(name, data, placeholders)
    except UnitTemplateError as exc:
        code = {413: "too_large", 503: "storage_unavailable"}.get(exc.status, "invalid_template")
        raise ApiError(exc.status, code, exc.message, [ErrorDetail("/file", exc.message, code)]) from None
    resp = jsonify(record.public())
    resp.status_code = 201
    resp.headers["Location"] = url_for("api.get_unit_template", template_id=record.id)
    return resp


@bp.get("/api/v1/unit-templates")
def list_unit_templates() -> ResponseReturnValue:
    return jsonify(unit_templates=[t.public() for t in unit_store().list()])


@bp.get("/api/v1/unit-templates/<template_id>")
def get_unit_template(template_id: str) -> ResponseReturnValue:
    record, data = _unit_or_404(unit_store(), template_id)
    return docx_response(data, report_filename(record.name, "", ".docx"))


@bp.delete("/api/v1/unit-templates/<template_id>")
def delete_unit_template(template_id: str) -> ResponseReturnValue:
    require_admin()
    store = unit_store()
    _unit_or_404(store, template_id)
    store.delete(template_id)
    return "", 204


@bp.get("/api/openapi.json")
def openapi_json() -> ResponseReturnValue:
    return jsonify(openapi_document())


@bp.get("/api/docs")
def api_docs() -> ResponseReturnValue:
    return render_template("api_docs.html", spec=openapi_document())
