"""Helpers every web page uses: JSON errors, message pages, file responses,
template kinds, and the one "render, catch the two error kinds, answer" helper."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from flask import Response, current_app, jsonify, render_template, request

from ..filenames import content_disposition
from ..storage import storage
from ..model import ReportValidationError
from ..templates import TemplateKind, template_kinds
from ..unit_templates import LazyUnitTemplateStore, UnitTemplateError

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Script-free pages: every script is a static file, no inline handlers, no
# third-party origin; data: images are the PDF preview's page images.
PAGE_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Downloads and JSON: nothing to run, but never framed either. Fetch
# directives are left out so the browser's own PDF viewer can show a PDF.
OTHER_CSP = "frame-ancestors 'none'"


def security_headers(resp: Response) -> Response:
    """Headers of every page blueprint (the form and the 格式检查 page)."""
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Referrer-Policy"] = "same-origin"
    resp.headers["X-Frame-Options"] = "DENY"
    if resp.mimetype == "text/html":
        resp.headers["Content-Security-Policy"] = PAGE_CSP
        # The page carries a per-session CSRF token: no shared caches.
        resp.headers["Cache-Control"] = "no-store"
    else:
        resp.headers.setdefault("Content-Security-Policy", OTHER_CSP)
    return resp


def default_kind() -> TemplateKind:
    return next(iter(template_kinds().values()))


def kind_or_default(kind_id: Any) -> TemplateKind:
    kinds = template_kinds()
    return kinds[kind_id] if isinstance(kind_id, str) and kind_id in kinds else default_kind()


def error_json(status: int, code: str, message: str, details: Iterable[dict[str, str]] = ()) -> Response:
    resp = jsonify(error={"code": code, "message": message, "details": list(details)})
    resp.status_code = status
    return resp


def validation_json(exc: ReportValidationError) -> Response:
    return error_json(
        422, "invalid", f"报告内容有 {len(exc.details)} 处问题，请逐项修改", (d.as_dict() for d in exc.details)
    )


def wants_json() -> bool:
    """Script calls send or ask for JSON; the plain form gets HTML pages."""
    if request.is_json or request.path in ("/web/validate", "/web/preview", "/web/csrf-token"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def size_limit_text() -> str:
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{max(1, limit // 1024)} KB" if limit else "服务器限制"


def displayable(value: Any) -> Any:
    """The posted data as a page can show it: a lone surrogate (sent as a JSON
    escape, rejected by the validation) cannot be encoded in the page, so it
    is shown as U+FFFD while the error beside the field names it."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, dict):
        return {displayable(k): displayable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [displayable(v) for v in value]
    return value


def unit_templates() -> LazyUnitTemplateStore:
    """The instance's unit templates, opened only if a report names one."""
    return storage(current_app).lazy_unit_templates()


def file_response(data: bytes, mimetype: str, filename: str, inline: bool = False) -> Response:
    """A generated file, named with a UTF-8 ``filename*`` (the API's helper)."""
    resp = Response(data, mimetype=mimetype)
    disposition = content_disposition(filename)
    resp.headers["Content-Disposition"] = disposition.replace("attachment", "inline", 1) if inline else disposition
    resp.headers["Cache-Control"] = "no-store"
    return resp


def message_page(status: int, heading: str, message: str) -> Response:
    html = render_template("web_message.html", heading=heading, message=message)
    return Response(html, status=status, mimetype="text/html")


def unavailable(message: str) -> Response:
    """A document that cannot be made right now (LibreOffice or a unit template missing)."""
    if wants_json():
        return error_json(503, "preview_unavailable", message)
    return message_page(503, "PDF 预览暂不可用", message)


@dataclass(frozen=True)
class Rendered:
    """What :func:`render_or_answer` gives back: the bytes, or the response to send instead."""

    data: bytes | None
    response: Response | None


def render_or_answer(
    render: Callable[[], bytes],
    invalid: Callable[[ReportValidationError], Response],
    unavailable_answer: Callable[[str], Response] = unavailable,
) -> Rendered:
    """Run ``render`` and turn the two error kinds into the page's answer.

    A report naming a unit template that does not exist is invalid input
    (``ReportValidationError``, answered by ``invalid``); a unit template that
    cannot be read is the server's problem (``UnitTemplateError``, 503).
    """
    try:
        return Rendered(render(), None)
    except ReportValidationError as exc:
        return Rendered(None, invalid(exc))
    except UnitTemplateError as exc:
        return Rendered(None, unavailable_answer(exc.message))
