"""Errors as the contract's JSON, and access by bearer key."""
from __future__ import annotations

import hashlib
import hmac
import logging

from flask import current_app, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from . import bp
from ..jobs import JobStoreError
from ..unit_templates import UnitTemplateError
from .errors import HTTP_MESSAGES, ApiError, error_response

log = logging.getLogger(__name__)


# Errors and access


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> ResponseReturnValue:
    return error_response(exc.status, exc.code, exc.message, exc.details)


@bp.errorhandler(UnitTemplateError)
def _unit_template_store(exc: UnitTemplateError) -> ResponseReturnValue:
    # Raised from inside the engine when the unit-template store cannot be opened.
    return error_response(exc.status, "storage_unavailable" if exc.status == 503 else "invalid_template", exc.message)


@bp.errorhandler(JobStoreError)
def _job_store(exc: JobStoreError) -> ResponseReturnValue:
    # Any job-store call (the database went away mid-request, its disk is full): 503, never 500.
    return error_response(503, "storage_unavailable", exc.message)


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
    """Compare digests, not the keys: compare_digest returns early when lengths
    differ, which would tell a key's length; digests all have one length."""
    given = hashlib.sha256(token.encode("utf-8")).digest()
    found = False
    for key in keys:
        found |= hmac.compare_digest(given, hashlib.sha256(key.encode("utf-8")).digest())
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


def is_admin() -> bool:
    keys = configured_keys("ADMIN_KEYS")
    token = bearer_token()
    return bool(keys) and token is not None and key_matches(token, keys)


def require_admin() -> None:
    """Changing unit templates needs an admin key (ADMIN_KEYS), whatever API_KEYS says."""
    keys = configured_keys("ADMIN_KEYS")
    token = bearer_token()
    if token is None:
        raise ApiError(401, "unauthorized", "需要管理员密钥：请在请求头中提供 Authorization: Bearer <管理员密钥>")
    if not keys or not key_matches(token, keys):
        raise ApiError(403, "forbidden", "管理员密钥无效" if keys else "服务器未设置管理员密钥（ADMIN_KEYS），不能管理单位模板")
