"""Existing documents: import (text or .docx → reports) and lint (.docx → findings)."""
from __future__ import annotations

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from ..model import ErrorDetail
from ..uploads import kind_of
from . import bp
from .errors import ApiError
from .inputs import decode_text, uploaded_file


@bp.post("/api/v1/import")
def import_report() -> ResponseReturnValue:
    from ..importer import PUNCTUATION_MODES, ImportFailed, import_docx, import_text

    punctuation = request.args.get("punctuation", "keep") or "keep"
    if punctuation not in PUNCTUATION_MODES:
        message = f"punctuation 只能是 {' 或 '.join(PUNCTUATION_MODES)}（fullwidth：半角标点改为全角）"
        raise ApiError(400, "bad_parameter", message, [ErrorDetail("/punctuation", message, "bad_parameter")])
    try:
        if request.mimetype == "text/plain":
            result = import_text(decode_text(request.get_data(cache=False)), punctuation)
        else:
            filename, data = uploaded_file()
            # Old .doc files go to the Word reader too, which refuses them with advice.
            is_docx = kind_of(filename, data) == "docx"
            result = import_docx(data, punctuation) if is_docx else import_text(decode_text(data), punctuation)
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
