"""Reading requests and the stores they need; shared by the endpoint modules."""
from __future__ import annotations

from typing import Any

from flask import Response, current_app, request

from .. import uploads
from ..batch import ON_ERROR_CHOICES, BatchPlan, plan_batch, validate_batch
from ..batch_input import BatchInputError, Sheet, read_json_array, read_ndjson, read_sheet
from ..filenames import content_disposition
from ..jsonio import JsonInputError, load_json
from ..jobs import JobStoreError
from ..jobs.runner import runner_for
from ..jobs.store import JobStorage
from ..model import ErrorDetail, Report, ReportValidationError, validate_report
from ..storage import storage
from ..unit_templates import LazyUnitTemplateStore, UnitTemplateError
from ..unit_templates.store import UnitTemplateStorage
from .errors import ApiError, validation_error

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# Reading requests


def json_body() -> Any:
    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type", "请求体应为 JSON（Content-Type: application/json）")
    try:
        return load_json(request.get_data(cache=False))
    except JsonInputError as exc:
        raise ApiError(400, "malformed", f"请求体{exc}") from None


def batch_items() -> list[Any]:
    """The reports of a batch or job request, whatever its form."""
    items, _sheet = batch_input()
    return items


def batch_input() -> tuple[list[Any], Sheet | None]:
    """The reports of a batch or job request, and the spreadsheet they came
    from (CSV/XLSX: rows and columns for error details)."""
    try:
        if request.mimetype == "multipart/form-data":
            upload = request.files.get("file")
            if upload is None:
                raise ApiError(400, "malformed", "缺少上传文件：表单字段名应为 file", [ErrorDetail("/file", "缺少文件", "missing")])
            sheet = read_sheet(upload.filename or "", upload.read())
            return sheet.items, sheet
    except BatchInputError as exc:
        code = {413: "too_large", 415: "unsupported_media_type", 422: "invalid"}.get(exc.status, "malformed")
        raise ApiError(exc.status, code, exc.message, exc.details) from None
    return _json_batch_items(), None


def _json_batch_items() -> list[Any]:
    try:
        if request.mimetype == "application/json":
            return read_json_array(request.get_data(cache=False))
        if request.mimetype in ("application/x-ndjson", "application/jsonl"):
            return read_ndjson(request.get_data(cache=False))
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


def on_error() -> str:
    """``on_error`` from the query or a multipart field: stop (default) or skip."""
    value = request.args.get("on_error") or (request.form.get("on_error") if request.mimetype == "multipart/form-data" else None)
    value = (value or "stop").strip()
    if value not in ON_ERROR_CHOICES:
        raise ApiError(400, "malformed", "on_error 只能是 stop（遇错停止）或 skip（跳过有问题的报告）",
                       [ErrorDetail("/on_error", "取值无效，可选值：stop、skip", "literal_error")])
    return value


def planned_batch(items: list[Any], sheet: Sheet | None, mode: str) -> BatchPlan:
    """Validate a batch: stop → 422 with every problem; skip → the valid items
    and the problems of those left out. Spreadsheet problems carry row and column."""
    try:
        return plan_batch(
            items, unit_templates(), "skip" if mode == "skip" else "stop",
            locate=sheet.located if sheet else None, extra_problems=sheet.problems if sheet else (),
        )
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


def uploaded_file(field: str = "file") -> tuple[str, bytes]:
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, "unsupported_media_type", f"请用 multipart/form-data 上传，文件字段名为 {field}")
    upload = request.files.get(field)
    if upload is None:
        raise ApiError(400, "malformed", f"缺少上传文件：表单字段名应为 {field}", [ErrorDetail(f"/{field}", "缺少文件", "missing")])
    return upload.filename or "", upload.read()


def decode_text(data: bytes) -> str:
    """An uploaded text file (service.uploads), as the API's 400."""
    try:
        return uploads.decode_text(data)
    except uploads.UploadError as exc:
        raise ApiError(400, "malformed", str(exc)) from None


def unit_store() -> UnitTemplateStorage:
    try:
        return storage().unit_templates()
    except UnitTemplateError as exc:
        raise ApiError(exc.status, "storage_unavailable", exc.message) from None


def unit_templates() -> LazyUnitTemplateStore:
    return storage().lazy_unit_templates()


def job_store() -> JobStorage:
    try:
        return storage().jobs()
    except JobStoreError as exc:
        raise ApiError(503, "storage_unavailable", str(exc)) from None


def job_runner(store: JobStorage) -> Any:
    cfg = current_app.config
    return runner_for(store.locator, cfg.get("CELERY_BROKER_URL") or None, int(cfg["JOB_WORKERS"]), float(cfg["JOB_STALE_S"]))
