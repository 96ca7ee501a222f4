"""Error pages of the form's blueprint: Chinese, never a bare 500 for anything a client sent.

The 格式检查 page has its own handlers (:mod:`.lint_page`).
"""
from __future__ import annotations

import logging
import re

from flask import request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge, UnsupportedMediaType

from . import bp
from .common import default_kind, error_json, message_page, size_limit_text, wants_json
from .form import ImportBox, ParsedForm, _typed_values, render_page, report_from_form

log = logging.getLogger(__name__)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc: RequestEntityTooLarge) -> ResponseReturnValue:
    # The body was refused unread: nothing of it can be shown again here.
    if request.path == "/web/import":
        message = (
            f"上传的文件或粘贴的文本太大（超过 {size_limit_text()}），服务器没有接收。"
            "请只粘贴需要的报告，或上传较小的文件。"
        )
        if wants_json():
            return error_json(413, "too_large", message)
        return render_page(default_kind().scaffold, status=413, import_box=ImportBox(error=message))
    message = (
        f"提交的内容太大（超过 {size_limit_text()}），服务器没有接收。"
        "请删减内容后重试。用浏览器的“后退”可回到填写页面；启用脚本时，填写的内容也已自动保存在浏览器草稿中。"
    )
    if wants_json():
        return error_json(413, "too_large", message)
    return message_page(413, "内容太大", message)


CSRF_REASONS = {
    "The CSRF token is missing.": "缺少安全令牌",
    "The CSRF session token is missing.": "会话已失效（可能清除了 Cookie）",
    "The CSRF token has expired.": "页面打开时间过长，安全令牌已过期",
    "The CSRF tokens do not match.": "安全令牌与会话不符",
    "The referrer header is missing.": "缺少来源信息（Referer）",
    "The referrer does not match the host.": "请求不是从本页面提交的",
}


@bp.errorhandler(CSRFError)
def csrf_failed(exc: CSRFError) -> ResponseReturnValue:
    reason = CSRF_REASONS.get(exc.description or "", "安全令牌无效")
    message = f"安全校验未通过：{reason}。页面已更新安全令牌，填写的内容都还在，请再提交一次。"
    if wants_json():
        return error_json(400, "csrf_failed", message)
    if request.path == "/web/import":
        # The paste is kept; a chosen file cannot be put back by a page.
        text = request.form.get("text", "")
        box = ImportBox(text=text, error=f"安全校验未通过：{reason}。页面已更新安全令牌，请再点一次“识别并填入”（上传的文件需要重新选择）。")
        return render_page(default_kind().scaffold, status=400, import_box=box)
    # The form was read (the token check reads it), so it can be shown again.
    try:
        parsed = report_from_form(request.form)
    except BadRequest:
        parsed = ParsedForm({})
    values = None if parsed.from_json else _typed_values()
    return render_page(parsed.data, values=values, status=400, notice=message, restore=parsed.from_json)


def _request_problem(status: int, code: str, message: str) -> ResponseReturnValue:
    """A request the page could not read: as JSON, or as a message page."""
    if wants_json():
        return error_json(status, code, message)
    return message_page(status, "无法读取提交的内容", message)


@bp.errorhandler(BadRequest)
def bad_request(exc: BadRequest) -> ResponseReturnValue:
    return _request_problem(400, "malformed", chinese_description(exc, "请求格式错误，请刷新页面后重试"))


@bp.errorhandler(UnsupportedMediaType)
def unsupported(exc: UnsupportedMediaType) -> ResponseReturnValue:
    return _request_problem(415, "unsupported_media_type", chinese_description(exc, "不支持的提交类型"))


def chinese_description(exc: Exception, fallback: str) -> str:
    # Our own raises carry Chinese; Werkzeug's defaults are English.
    text = getattr(exc, "description", "") or ""
    return text if re.search(r"[\u4e00-\u9fff]", text) else fallback


@bp.errorhandler(Exception)
def unexpected(exc: Exception) -> ResponseReturnValue:
    """Our own bug, not the user's: logged with its trace, answered in Chinese."""
    if isinstance(exc, HTTPException):
        return exc
    log.exception("unhandled error in %s %s", request.method, request.path)
    message = "服务器内部错误，请稍后重试；启用脚本时，填写的内容已保存在浏览器草稿中。"
    if wants_json():
        return error_json(500, "internal", message)
    return message_page(500, "出错了", message)
