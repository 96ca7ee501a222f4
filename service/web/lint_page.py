"""The 格式检查 page: upload a .docx, see what does not follow GB/T 9704-2012, re-typeset it.

* ``GET /lint`` – the upload form.
* ``POST /lint`` – the checker's findings (:func:`service.lint.lint_docx`),
  grouped by severity (错误 / 警告 / 提示), each with its plain-Chinese
  message, the paragraph (1-based, or 全文) and a quote; the verdict on top.
* ``POST /lint/fix`` – 一键排版: the importer reads the document
  (:func:`service.importer.import_docx`), the engine writes each report found
  again (:func:`service.engine.write_docx`), and the page shows the findings
  before and after side by side with a link to download the new .docx (a zip
  when the document held several reports).

Everything works without JavaScript: plain form posts, pages rendered here.

No server-side state. The uploaded file is never written to disk or kept in
memory between requests. The results page carries the upload for the fix
step in a hidden base64 field of the 一键排版 form (as long as it fits into
``MAX_CONTENT_LENGTH`` once more; a larger file is chosen again in that form
instead), and the fix step answers with the page that shows both checks and
holds the new document as a ``data:`` URL on its download link — so the
before/after comparison and the download come from the one request that
made them, and nothing is left behind on the server to clean up or to leak.
The re-typeset document holds only text (no images), so it is small.

Unreadable uploads (not a .docx, a zip bomb, a truncated or encrypted file,
an old .doc) get the checker's Chinese message on the page, never a 500.
"""
from __future__ import annotations

import base64
import binascii
import io
import logging
import zipfile
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge, UnsupportedMediaType

from ..batch import zip_time
from ..engine import write_docx
from ..filenames import report_filename, unique_names
from ..importer import ImportFailed, import_docx
from ..lint import LintFailed, LintReport, lint_docx
from ..lint.rules import RULE_NAMES
from ..model import ReportValidationError, validate_report
from .common import DOCX_MIME, security_headers, size_limit_text
from .errors import CSRF_REASONS, chinese_description
from .importing import RESEND_MARGIN_BYTES

# Its own blueprint, with its own error handlers: every problem, whatever
# raised it, comes back as this page with a Chinese message. Templates and
# static files are the web blueprint's (same folders).
lint_bp = Blueprint("lint", __name__, template_folder="templates")
lint_bp.after_request(security_headers)
log = logging.getLogger(__name__)

SEVERITY_NAMES = (("error", "错误"), ("warning", "警告"), ("info", "提示"))
STANDARD = "GB/T 9704-2012"


class LintPageProblem(Exception):
    """The upload cannot be used; ``message`` is Chinese."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.message = message
        self.status = status


# ---------------------------------------------------------------------------
# What the page shows


@dataclass(frozen=True)
class FindingView:
    rule: str  # the id, kept in a tooltip
    name: str  # the rule's Chinese name (service.lint.rules.RULES)
    severity: str
    message: str
    where: str  # "第 3 段" or "全文"
    text: str  # a quote of the paragraph, may be ""


@dataclass(frozen=True)
class LintView:
    ok: bool
    groups: list[tuple[str, str, list[FindingView]]]  # (severity, its Chinese name, findings); empty groups left out
    counts: dict[str, int]

    @property
    def verdict(self) -> str:
        return f"符合 {STANDARD}" if self.ok else f"发现 {self.counts['error']} 处错误"

    @property
    def detail(self) -> str:
        """The findings that are not errors, in words."""
        parts = [f"{self.counts['warning']} 处警告"] if self.counts["warning"] else []
        parts += [f"{self.counts['info']} 条提示"] if self.counts["info"] else []
        if self.ok:
            return f"没有错误，另有 {'、'.join(parts)}，供参考。" if parts else "没有发现任何问题。"
        return f"另有 {'、'.join(parts)}。" if parts else ""


def where_of(paragraph: Any) -> str:
    """A finding's place for people: paragraph index + 1, or 全文 for the whole document."""
    return f"第 {paragraph + 1} 段" if isinstance(paragraph, int) else "全文"


def lint_view(report: LintReport) -> LintView:
    groups = []
    counts = {}
    for severity, name in SEVERITY_NAMES:
        found = [
            FindingView(f.rule, RULE_NAMES.get(f.rule, f.rule), f.severity, f.message, where_of(f.location.get("paragraph")), f.location.get("text") or "")
            for f in report.findings
            if f.severity == severity
        ]
        counts[severity] = len(found)
        if found:
            groups.append((severity, name, found))
    return LintView(report.ok, groups, counts)


def render_lint(status: int = 200, **context: Any) -> Response:
    context.setdefault("error", "")
    html = render_template("lint_page.html", size_limit=size_limit_text(), standard=STANDARD, **context)
    return Response(html, status=status, mimetype="text/html")


def lint_error_page(status: int, message: str) -> Response:
    """The upload form again with a Chinese message (bad file, too large, CSRF …)."""
    return render_lint(status, error=message)


# ---------------------------------------------------------------------------
# The upload


@dataclass(frozen=True)
class Upload:
    data: bytes
    name: str  # the file name as the person knows it ("" when the browser sent none)

    @property
    def stem(self) -> str:
        name = self.name
        return name[: -len(".docx")] if name.lower().endswith(".docx") else name


def _base_name(filename: str) -> str:
    # Old browsers send the whole path ("C:\\报告\\总结.docx").
    return filename.replace("\\", "/").rsplit("/", 1)[-1].strip()


def read_upload() -> Upload:
    """The uploaded .docx: the file field, else the copy the results page carried (``docx_b64``)."""
    if request.mimetype not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise LintPageProblem("请用页面上的表单上传 .docx 文件", 415)
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        data = upload.read()
        name = _base_name(upload.filename)
        if not data:
            raise LintPageProblem(f"选择的文件“{name}”是空的（0 字节），请确认后重新上传")
        return Upload(data, name)
    if request.form.get("docx_b64"):
        try:
            data = base64.b64decode(request.form["docx_b64"], validate=True)
        except (binascii.Error, ValueError):
            raise LintPageProblem("页面中保存的文件内容已损坏，请重新选择文件上传", 400) from None
        return Upload(data, _base_name(request.form.get("filename", "")))
    raise LintPageProblem("请先选择要检查的 Word 文档（.docx）", 400)


def carry_fields(upload: Upload) -> dict[str, str] | None:
    """Hidden fields that post the upload again, or None when it would not fit the size limit."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    if limit and (len(upload.data) + 2) // 3 * 4 + RESEND_MARGIN_BYTES > limit:
        return None
    return {"docx_b64": base64.b64encode(upload.data).decode("ascii"), "filename": upload.name}


def check(upload: Upload) -> LintReport:
    try:
        return lint_docx(upload.data)
    except LintFailed as exc:
        raise LintPageProblem(f"无法检查“{upload.name or '上传的文件'}”：{exc}") from None


# ---------------------------------------------------------------------------
# Routes


@lint_bp.get("/lint")
def lint_form() -> ResponseReturnValue:
    return render_lint()


def checked_upload() -> tuple[Upload, LintReport]:
    """The posted .docx and its findings; LintPageProblem when it cannot be read."""
    upload = read_upload()
    return upload, check(upload)


@lint_bp.post("/lint")
def lint_upload() -> ResponseReturnValue:
    try:
        upload, before = checked_upload()
    except LintPageProblem as exc:
        return lint_error_page(exc.status, exc.message)
    return render_lint(name=upload.name, before=lint_view(before), carry=carry_fields(upload))


@dataclass(frozen=True)
class Output:
    title: str
    filename: str
    after: LintView


def _data_url(data: bytes, mimetype: str) -> str:
    return f"data:{mimetype};base64,{base64.b64encode(data).decode('ascii')}"


def _zip(names: list[str], documents: list[bytes]) -> bytes:
    buf = io.BytesIO()
    when = zip_time()  # the time the documents were made
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, data in zip(names, documents):
            zf.writestr(zipfile.ZipInfo(name, when), data)
    return buf.getvalue()


@lint_bp.post("/lint/fix")
def lint_fix() -> ResponseReturnValue:
    """一键排版: importer → engine → the new document, with the findings before and after."""
    try:
        upload, before = checked_upload()
    except LintPageProblem as exc:
        return lint_error_page(exc.status, exc.message)
    page: dict[str, Any] = {"name": upload.name, "before": lint_view(before), "carry": carry_fields(upload)}
    try:
        # 一键排版 writes Chinese punctuation, as the import box does by default.
        result = import_docx(upload.data, "fullwidth")
        reports = [validate_report(r) for r in result.reports]
    except ImportFailed as exc:
        return render_lint(422, fix_error=f"无法一键排版：{exc}", **page)
    except ReportValidationError as exc:
        problems = "；".join(f"{d.path}：{d.message}" for d in exc.details[:5])
        return render_lint(422, fix_error=f"无法一键排版：识别出的内容有 {len(exc.details)} 处问题（{problems}）", **page)
    documents = [write_docx(report) for report in reports]
    stem = upload.stem or reports[0].title
    names = unique_names([report_filename(r.title, r.filename) for r in reports])
    if len(documents) == 1:
        download_name = report_filename(f"{stem}（已排版）")
        href = _data_url(documents[0], DOCX_MIME)
    else:
        download_name = report_filename(f"{stem}（已排版）", ext=".zip")
        href = _data_url(_zip(names, documents), "application/zip")
    outputs = [Output(r.title, n, lint_view(lint_docx(d))) for r, n, d in zip(reports, names, documents)]
    return render_lint(
        fixed=True,
        outputs=outputs,
        download={"href": href, "filename": download_name, "count": len(documents)},
        warnings=result.warnings,
        **page,
    )


# ---------------------------------------------------------------------------
# Error pages: the upload form again, with the reason in Chinese


@lint_bp.errorhandler(RequestEntityTooLarge)
def too_large(exc: RequestEntityTooLarge) -> ResponseReturnValue:
    limit = size_limit_text()
    return lint_error_page(413, f"文件太大（超过 {limit}），服务器没有接收。请上传不超过 {limit} 的 .docx 文件。")


@lint_bp.errorhandler(CSRFError)
def csrf_failed(exc: CSRFError) -> ResponseReturnValue:
    reason = CSRF_REASONS.get(exc.description or "", "安全令牌无效")
    return lint_error_page(400, f"安全校验未通过：{reason}。页面已更新安全令牌，请重新选择文件后再提交一次。")


@lint_bp.errorhandler(BadRequest)
def bad_request(exc: BadRequest) -> ResponseReturnValue:
    return lint_error_page(400, chinese_description(exc, "请求格式错误，请刷新页面后重试"))


@lint_bp.errorhandler(UnsupportedMediaType)
def unsupported(exc: UnsupportedMediaType) -> ResponseReturnValue:
    return lint_error_page(415, chinese_description(exc, "不支持的提交类型"))


@lint_bp.errorhandler(Exception)
def unexpected(exc: Exception) -> ResponseReturnValue:
    """Our own bug, not the user's: logged with its trace, answered in Chinese."""
    if isinstance(exc, HTTPException):
        return exc
    log.exception("unhandled error in %s %s", request.method, request.path)
    return lint_error_page(500, "服务器内部错误，请稍后重试。")
