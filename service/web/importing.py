"""The import box on the form page: pasted text or an uploaded .txt/.docx → the form.

``POST /web/import`` (CSRF-protected like every post of this blueprint) runs
the importer (:mod:`service.importer`) and answers in one of two ways:

* the script (``Accept: application/json``) gets the API's answer,
  ``{"reports": [...], "warnings": [...]}``, or ``{"error": {...}}`` with a
  Chinese message (422 when nothing can be imported); it fills the form and
  the outline editor itself, keeping the previous draft for “撤销导入”;
* a plain form post (no JavaScript) gets the form page again, filled with
  the first report (the 正文 textarea holds its sections as labelled lines),
  the warnings in a list, and — when the text held several reports — one
  small form per other report that posts the same source again with
  ``choice=N``. The source travels in hidden fields (``file_b64``,
  ``file_name``) rather than being kept on the server; it is left out when it
  would not fit into ``MAX_CONTENT_LENGTH`` again.

Unreadable uploads — a zip bomb, an old .doc, an encrypted or truncated
package (the importer opens every .docx through :mod:`service.safezip`), a
binary file posing as .txt — get a Chinese message, never a 500.
"""
from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field

from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import UnsupportedMediaType

from ..importer import ImportFailed, ImportResult, ImportWarning, import_docx, import_text
from .. import uploads
from . import bp
from .common import default_kind, error_json, wants_json
from .form import ImportBox, render_page

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
# Room left for the other form fields when a source is posted again as base64.
RESEND_MARGIN_BYTES = 64 * 1024


class ImportProblem(Exception):
    """Nothing can be imported; ``message`` is Chinese, for the person."""

    def __init__(self, message: str, status: int = 422, code: str = "import_failed", path: str = ""):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.path = path


@dataclass
class Source:
    """What was posted: pasted text, or a file's bytes and its name."""

    data: bytes
    name: str = ""  # the file's name; "" for pasted text
    pasted: bool = False
    warnings: list[ImportWarning] = field(default_factory=list)
    # The import box's "标点改为全角" box: ticked by default, so a post without
    # the field (the box unticked) keeps the marks as they are.
    punctuation: str = "keep"

    def hidden_fields(self) -> dict[str, str]:
        """The fields that post this source again (to choose another report)."""
        fields = {"file_b64": base64.b64encode(self.data).decode("ascii"), "file_name": self.name}
        return fields | ({"punctuation": self.punctuation} if self.punctuation != "keep" else {})


def decode_text(data: bytes) -> str:
    """A .txt upload (service.uploads), as the import box's problem."""
    try:
        return uploads.decode_text(data)
    except uploads.UploadError as exc:
        raise ImportProblem(str(exc), path="/file") from None


def read_source() -> Source:
    """The posted source: a chosen file, else one posted again (``file_b64``), else the paste."""
    form = request.form
    upload = request.files.get("file")
    pasted = form.get("text", "")
    if upload is not None and upload.filename:
        data = upload.read()
        if not data:
            raise ImportProblem(f"选择的文件“{upload.filename}”是空的，没有可识别的内容", path="/file")
        source = Source(data, upload.filename)
        if pasted.strip():
            source.warnings.append(ImportWarning("同时粘贴了文本和选择了文件，已按文件识别；要识别粘贴的文本，请先取消选择文件", None, "file_chosen"))
        return source
    if form.get("file_b64"):
        try:
            data = base64.b64decode(form["file_b64"], validate=True)
        except (binascii.Error, ValueError):
            raise ImportProblem("提交的文件内容已损坏，无法读取，请重新粘贴或上传", status=400, code="malformed") from None
        name = form.get("file_name", "")
        return Source(data, name, pasted=not name)
    if not pasted.strip():
        raise ImportProblem("请先粘贴报告文本，或选择要识别的 .txt / .docx 文件", path="/text")
    return Source(pasted.encode("utf-8"), pasted=True)


def run_import(source: Source) -> ImportResult:
    punctuation = source.punctuation
    try:
        if source.pasted:
            return import_text(source.data.decode("utf-8", "replace"), punctuation)
        # Word files by name or by content; the importer opens them through
        # service.safezip (zip bombs, old .doc and encrypted files refused first).
        if uploads.kind_of(source.name, source.data) == "docx":
            return import_docx(source.data, punctuation)
        return import_text(decode_text(source.data), punctuation)
    except ImportFailed as exc:
        raise ImportProblem(str(exc), path="/file" if source.name else "/text") from None


def _choice(count: int) -> int:
    """The report to fill in: ``choice`` is 1-based; anything else means the first."""
    try:
        n = int(request.form.get("choice", "1"))
    except ValueError:
        return 0
    return n - 1 if 1 <= n <= count else 0


def _fits_again(source: Source) -> bool:
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    encoded = (len(source.data) + 2) // 3 * 4
    return not limit or encoded + RESEND_MARGIN_BYTES <= limit


def _summary(report_title: str, count: int, chosen: int) -> str:
    if count > 1:
        return f"识别出 {count} 份报告，已填入第 {chosen + 1} 份“{report_title}”；可在下面选择其他一份。"
    return f"已识别并填入“{report_title}”。"


@bp.post("/web/import")
def import_report() -> ResponseReturnValue:
    if request.mimetype not in FORM_TYPES:
        raise UnsupportedMediaType("请以表单提交要识别的文本，或上传 .txt / .docx 文件（字段名 file）")
    pasted = request.form.get("text", "")
    try:
        source = read_source()
        source.punctuation = "fullwidth" if request.form.get("punctuation") == "fullwidth" else "keep"
        result = run_import(source)
    except ImportProblem as exc:
        if wants_json():
            return error_json(exc.status, exc.code, exc.message, [{"path": exc.path, "message": exc.message}])
        box = ImportBox(text=pasted, error=exc.message, fullwidth=request.form.get("punctuation") == "fullwidth")
        return render_page(default_kind().scaffold, status=exc.status, import_box=box)
    warnings = source.warnings + result.warnings
    if wants_json():
        return jsonify(reports=result.reports, warnings=warnings)
    chosen = _choice(len(result.reports))
    report = result.reports[chosen]
    box = ImportBox(
        text=pasted or (source.data.decode("utf-8", "replace") if source.pasted else ""),
        summary=_summary(str(report.get("title", "")), len(result.reports), chosen),
        warnings=warnings,
        reports=result.reports,
        chosen=chosen,
        resend=source.hidden_fields() if len(result.reports) > 1 and _fits_again(source) else {},
        fullwidth=source.punctuation == "fullwidth",
    )
    # The box above says what was filled in; the notice says what to do next.
    notice = "请核对下面表单中的标题、各级标题和正文，修改后下载 Word 文档。"
    return render_page(report, notice=notice, restore=True, import_box=box)
