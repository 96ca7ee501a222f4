"""Unit templates: upload (admin), list, download, delete."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import jsonify, request, url_for
from flask.typing import ResponseReturnValue

from ..filenames import report_filename
from ..model import ErrorDetail
from ..unit_templates import UnitTemplateError, inspect_template
from ..unit_templates.store import UnitTemplateStorage
from . import bp
from .access import require_admin
from .errors import ApiError
from .inputs import docx_response, unit_store, uploaded_file


def _unit_or_404(store: UnitTemplateStorage, template_id: str) -> Any:
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
