"""The PDF preview: the real rendered pages (LibreOffice, stand-in fonts)."""
from __future__ import annotations

import base64
import re

from flask import current_app, jsonify
from flask.typing import ResponseReturnValue

from .. import convert
from ..engine import write_docx
from ..filenames import report_filename
from ..model import Report, ReportValidationError, validate_report
from ..unit_templates import UnitTemplateError
from . import bp
from .common import error_json, file_response, unavailable, unit_templates, validation_json
from .form import ParsedForm, read_post, rejected

PREVIEW_NOTICE = "替代字体，仅供预览"
# Page images returned by one preview; a long report still converts whole,
# but the response stays small.
MAX_PREVIEW_PAGES = 30
PREVIEW_DPI = 80


class PreviewUnavailable(Exception):
    """No PDF preview can be made; the message is Chinese."""


def _render_pdf(report: Report) -> bytes:
    if not convert.available():
        raise PreviewUnavailable("服务器未安装 LibreOffice，暂时无法生成 PDF 预览；Word 文档仍可正常下载")
    try:
        docx = write_docx(report, unit_templates=unit_templates())
        return convert.docx_to_pdf(docx, timeout_s=current_app.config.get("CONVERT_TIMEOUT_S", 60))
    except convert.ConversionError as exc:
        raise PreviewUnavailable(f"{exc}；Word 文档仍可正常下载") from None
    except ReportValidationError as exc:
        raise PreviewUnavailable("；".join(d.message for d in exc.details)) from None
    except UnitTemplateError as exc:
        raise PreviewUnavailable(exc.message) from None


def pdf_page_images(pdf: bytes, max_pages: int = MAX_PREVIEW_PAGES) -> list[bytes]:
    """PNG images of the first pages, or none when they cannot be made (the PDF is still offered)."""
    try:
        return convert.pdf_to_png_pages(pdf, dpi=PREVIEW_DPI, max_pages=max_pages)
    except convert.ConversionError:
        return []


def preview_notice(report: Report) -> str:
    """Say which stand-in font the preview shows for each font the document names."""
    from ..docx.base_template import font_names
    from ..profile import FONT_SETS

    swaps = [f"{f.requested}→{f.used}" for f in convert.font_report(font_names(FONT_SETS[report.options.font_set])) if not f.installed]
    return f"{PREVIEW_NOTICE}（{'，'.join(swaps)}）" if swaps else PREVIEW_NOTICE


def pdf_page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def _preview_report() -> tuple[ParsedForm, Report | ReportValidationError]:
    parsed = read_post()
    try:
        return parsed, validate_report(parsed.data)
    except ReportValidationError as exc:
        return parsed, exc


@bp.post("/web/preview.pdf")
def preview_pdf() -> ResponseReturnValue:
    """The real rendered pages as a PDF (also the plain form's "预览 PDF" button)."""
    parsed, result = _preview_report()
    if isinstance(result, ReportValidationError):
        return rejected(parsed, result)
    try:
        pdf = _render_pdf(result)
    except PreviewUnavailable as exc:
        return unavailable(str(exc))
    # Shown in the browser, not saved: it is a preview.
    name = report_filename(result.title, result.filename, ext=".pdf")
    return file_response(pdf, "application/pdf", name, inline=True)


@bp.post("/web/preview")
def preview_pages() -> ResponseReturnValue:
    """Page images and the PDF, for the script's preview pane."""
    parsed, result = _preview_report()
    if isinstance(result, ReportValidationError):
        return validation_json(result)
    try:
        pdf = _render_pdf(result)
    except PreviewUnavailable as exc:
        return error_json(503, "preview_unavailable", str(exc))
    pages = pdf_page_images(pdf)
    return jsonify(
        notice=preview_notice(result),
        page_count=pdf_page_count(pdf),
        pages=["data:image/png;base64," + base64.b64encode(p).decode("ascii") for p in pages],
        pdf="data:application/pdf;base64," + base64.b64encode(pdf).decode("ascii"),
        filename=report_filename(result.title, result.filename, ext=".pdf"),
    )
