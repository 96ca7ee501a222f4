"""The contract's error body: {"error": {"code", "message", "details": [{"path", "message"}]}}."""
from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from ..model import ErrorDetail, ReportValidationError


class ApiError(Exception):
    """An error answered as JSON; ``message`` is Chinese and safe to show."""

    def __init__(self, status: int, code: str, message: str, details: list[ErrorDetail] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []


# Seconds a client told "too many requests" should wait (RFC 9110 Retry-After);
# a small batch job finishes well within it.
RETRY_AFTER_S = 10


def error_response(status: int, code: str, message: str, details: list[ErrorDetail] | None = None) -> Response:
    body: dict[str, Any] = {"code": code, "message": message, "details": [d.as_dict() for d in details or []]}
    resp = jsonify(error=body)
    resp.status_code = status
    if status == 429:  # the OpenAPI document promises it on every 429
        resp.headers["Retry-After"] = str(RETRY_AFTER_S)
    return resp


def validation_error(exc: ReportValidationError) -> ApiError:
    """422 for invalid content; 404 when the problem is an unknown template kind."""
    unknown_kind = any(d.code == "unknown_template" for d in exc.details)
    if unknown_kind:
        return ApiError(404, "unknown_template", "未知的文种模板", exc.details)
    return ApiError(422, "invalid", f"报告内容有 {len(exc.details)} 处问题，请逐项修改", exc.details)


# Generic HTTP errors a client can cause, by status.
HTTP_MESSAGES = {
    400: ("malformed", "请求格式错误"),
    401: ("unauthorized", "需要 API 密钥：请在请求头中提供 Authorization: Bearer <密钥>"),
    403: ("forbidden", "API 密钥无效"),
    404: ("not_found", "请求的地址不存在"),
    405: ("method_not_allowed", "不支持该请求方法"),
    413: ("too_large", "请求体过大"),
    415: ("unsupported_media_type", "不支持的请求类型（Content-Type）"),
    429: ("too_many_requests", "请求过多，请稍后再试"),
    500: ("internal", "服务器内部错误，请稍后重试"),
}
