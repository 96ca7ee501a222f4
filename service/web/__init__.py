"""The web form: the page at ``/`` and the endpoints its script calls.

A thin adapter over the engine, like the JSON API. The same
:func:`service.model.validate_report` checks both, so the form shows exactly
the problems the API would report, each next to its field.

Two ways in, one document out:

* With JavaScript, the page keeps the whole report in a hidden field
  ``report_json`` (the contract's JSON) and posts only that.
* Without JavaScript, the form posts plain fields: the top-level values, list
  fields as one item per line, and a textarea ``body`` (正文) whose lines
  starting with 一、 （一） 1. （1） become headings (:func:`parse_body`, the
  importer's heading rules).

Two more parts, each in its own module of this blueprint:

* :mod:`.importing` – the import box on the form page (``POST /web/import``):
  pasted text or a .txt/.docx → the form, filled by the importer.
* :mod:`.lint_page` – the 格式检查 page (``/lint``) and 一键排版 (``/lint/fix``).

Every asset is served from this blueprint's ``static`` folder: the page must
work on an office intranet with no internet access.
"""
from __future__ import annotations

import base64
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge, UnsupportedMediaType

from .. import convert, numbering
from ..engine import write_docx
from ..filenames import content_disposition, report_filename
from ..jsonio import JsonInputError, load_json
from ..importer.chars import HEADING_END
from ..importer.headings import split_heading
from ..importer.labels import RANK, read_label
from ..importer.outline import Outline
from ..layout import split_paragraphs
from ..model import Report, ReportValidationError, validate_report
from ..profile import HEADING_RULES
from ..templates import TemplateKind, template_kinds
from ..unit_templates import LazyUnitTemplateStore, UnitTemplateError

log = logging.getLogger(__name__)

bp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/web/static",
)

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PREVIEW_NOTICE = "替代字体，仅供预览"
# Page images returned by one preview; a long report still converts whole,
# but the response stays small.
MAX_PREVIEW_PAGES = 30
PREVIEW_DPI = 80

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

# Top-level single-line (or, for the title, few-line) text fields of a report.
TEXT_FIELDS = ("title", "subtitle", "speaker", "recipient", "salutation", "signature", "date")
# Top-level list fields typed one item per line.
LINE_LIST_FIELDS = ("preamble", "closing", "attachments")
HEADER_KEYS = ("issuer", "doc_number", "signer", "copy_number", "secrecy", "urgency")
OPTION_CHOICES = {
    "font_set": ("gb2312", "windows"),
    "page_numbers": ("outside", "center", "none"),
    "numbering": ("text", "word"),
}
OPTION_FLAGS = ("seal", "bold_level3")
_TRUE_WORDS = {"on", "1", "true", "yes"}


# Chinese names of the form's fields, for the error summary (the field's own
# <label> says the same on the page).
FIELD_LABELS: dict[str, str] = {
    "template": "文种",
    "title": "标题",
    "subtitle": "副标题",
    "speaker": "报告人",
    "recipient": "主送机关",
    "salutation": "称谓",
    "preamble": "开头段落",
    "body": "正文",
    "sections": "提纲",
    "closing": "结尾段落",
    "attachments": "附件",
    "signature": "署名",
    "date": "成文日期",
    "font_set": "字体",
    "page_numbers": "页码",
    "seal": "加盖印章",
    "numbering": "序号方式",
    "bold_level3": "三级标题加粗",
    "header-issuer": "发文机关标志",
    "header-doc_number": "发文字号",
    "header-signer": "签发人",
    "header-copy_number": "份号",
    "header-secrecy": "密级和保密期限",
    "header-urgency": "紧急程度",
    "record-cc": "抄送机关",
    "record-printer": "印发机关",
    "record-print_date": "印发日期",
}


# ---------------------------------------------------------------------------
# Security headers


@bp.after_request
def security_headers(resp: Response) -> Response:
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


# ---------------------------------------------------------------------------
# Template kinds


def default_kind() -> TemplateKind:
    return next(iter(template_kinds().values()))


def kind_or_default(kind_id: Any) -> TemplateKind:
    kinds = template_kinds()
    return kinds[kind_id] if isinstance(kind_id, str) and kind_id in kinds else default_kind()


# ---------------------------------------------------------------------------
# Plain-text body (the no-JavaScript 正文 textarea)


@dataclass
class ImportBox:
    """What the import box on the form page shows (server-rendered, for the no-JS path).

    ``reports`` also go to the script (``page_data.imported``) so that it can
    offer the choice between several reports itself.
    """

    text: str = ""  # the paste textarea, as posted
    error: str = ""  # why nothing was imported (Chinese)
    summary: str = ""  # what was filled in
    warnings: list[str] = field(default_factory=list)
    reports: list[dict[str, Any]] = field(default_factory=list)  # every report found
    chosen: int = 0  # index of the report in the form
    # Hidden fields posting the same source again, to choose another report
    # without JavaScript; empty when the source is too large to carry.
    resend: dict[str, str] = field(default_factory=dict)

    @property
    def titles(self) -> list[str]:
        return [_as_text(r.get("title")) for r in self.reports]


@dataclass
class ParsedForm:
    """A report read from a form post, and where each part came from.

    ``origins`` maps a JSON Pointer (a section, a paragraph, a list item) to
    the form field and the 1-based line it was typed on, so an error about
    ``/sections/1/sections/0/heading`` can say "正文第 7 行".
    """

    data: Any
    origins: dict[str, tuple[str, int]] = field(default_factory=dict)
    from_json: bool = False


def numbered_lines(text: str) -> list[tuple[int, str]]:
    """Non-blank lines with their 1-based line numbers."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [(n, line.strip()) for n, line in enumerate(lines, start=1) if line.strip()]


def parse_body(
    text: str, origins: dict[str, tuple[str, int]], lead_start: int = 0
) -> tuple[list[dict[str, Any]], list[str]]:
    """Sections from the plain-text body, plus the lines before the first heading
    (opening text, which joins ``preamble`` from index ``lead_start``).

    Each non-blank line is one paragraph. A line starting with a label is a
    heading, read by the importer's own rules (:mod:`service.importer`):
    every label form people type (一、 （一） 1. （1） ① and also 1） （一）、),
    levels decided by nesting in this text (a family keeps the level at which
    it first appeared, so （1） right under 一、 nests one level down, never
    deeper), and a run-in heading cut off its body at the first sentence end
    (also a colon) or where a body sentence visibly starts. Unlike a full
    import, nothing else is guessed: the person typing decides which lines
    are headings, so an unlabelled line is always body text. A line that is
    only a label stays a heading with no words, so the form can point at it;
    a labelled line that cannot be a heading (a fifth level, more than a
    heading can hold) stays body text, unchanged.
    """
    outline = Outline("行")
    # (section, its JSON Pointer) from level 1 down to the open section; mirrors the outline.
    stack: list[tuple[dict[str, Any], str]] = []
    lines = numbered_lines(text)
    labels = [read_label(line) for _, line in lines]
    for i, (lineno, line) in enumerate(lines):
        label, rest = labels[i]
        heading: tuple[str, str] | None = None
        if label is not None:
            if not rest.strip():
                heading = ("", "")
            else:
                nxt = labels[i + 1][0] if i + 1 < len(lines) else None
                leads_in = nxt is not None and RANK[nxt.kind] > RANK[label.kind]
                split = split_heading(rest, leads_in)
                # A heading that still starts with a label would lose it in the model.
                if split is not None and split.heading and not numbering.split_label(split.heading)[0]:
                    heading = (split.heading, split.body)
        if label is not None and heading is not None:
            level = outline.level_for(label.kind)
            if outline.add_heading(label.kind, label, heading[0], heading[1], lineno):
                del stack[level - 1 :]
                parent, parent_pointer = (stack[-1][0]["sections"], stack[-1][1]) if stack else (outline.sections, "")
                pointer = f"{parent_pointer}/sections/{len(parent) - 1}"
                stack.append((parent[-1], pointer))
                origins[pointer] = ("body", lineno)
                if heading[1]:
                    origins[f"{pointer}/paragraphs/0"] = ("body", lineno)
                continue
        outline.add_paragraph(line)
        if stack:
            node, pointer = stack[-1]
            origins[f"{pointer}/paragraphs/{len(node['paragraphs']) - 1}"] = ("body", lineno)
        else:
            origins[f"/preamble/{lead_start + len(outline.preamble) - 1}"] = ("body", lineno)
    return outline.sections, outline.preamble


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _as_text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool):
        return "是" if value else ""
    return str(value)


def sections_to_text(sections: Any, level: int = 1) -> list[str]:
    """The inverse of :func:`parse_body`: sections as labelled plain-text lines.

    Tolerates any shape (it also redisplays rejected input).
    """
    lines: list[str] = []
    for n, section in enumerate(_as_list(sections), start=1):
        if not isinstance(section, dict):
            continue
        label = numbering.label(level, n) if level <= numbering.MAX_LEVELS else ""
        heading = _as_text(section.get("heading"))
        paragraphs = [p for text in _as_list(section.get("paragraphs")) for p in split_paragraphs(_as_text(text))]
        # Only a heading ending a sentence (or a colon) can share its line
        # with the body and still be read back as run-in.
        if section.get("run_in") is True and paragraphs and heading[-1:] in tuple(HEADING_END):
            lines.append(label + heading + paragraphs.pop(0))
        else:
            lines.append(label + heading)
        lines += paragraphs
        lines += sections_to_text(section.get("sections"), level + 1)
    return lines


# ---------------------------------------------------------------------------
# Form ⇄ report


def _flag(form: Mapping[str, str], name: str) -> bool:
    return form.get(name, "").strip().lower() in _TRUE_WORDS


def _line_list(form: Mapping[str, str], name: str, origins: dict[str, tuple[str, int]], pointer: str) -> list[str]:
    items = []
    for lineno, line in numbered_lines(form.get(name, "")):
        origins[f"{pointer}/{len(items)}"] = (name.replace(".", "-"), lineno)
        items.append(line)
    return items


def _options_from_form(form: Mapping[str, str]) -> dict[str, Any]:
    options: dict[str, Any] = {name: form[name] for name in OPTION_CHOICES if form.get(name)}
    options.update({name: _flag(form, name) for name in OPTION_FLAGS})
    return options


def _header_from_form(form: Mapping[str, str]) -> dict[str, str]:
    return {key: form[f"header.{key}"] for key in HEADER_KEYS if form.get(f"header.{key}", "").strip()}


def _record_from_form(form: Mapping[str, str], origins: dict[str, tuple[str, int]]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    cc = _line_list(form, "record.cc", origins, "/record/cc")
    if cc:
        record["cc"] = cc
    for key in ("printer", "print_date"):
        if form.get(f"record.{key}", "").strip():
            record[key] = form[f"record.{key}"]
    return record


def report_from_form(form: Mapping[str, str]) -> ParsedForm:
    """The report a form post carries: the script's JSON, or the plain fields."""
    raw_json = form.get("report_json", "").strip()
    if raw_json:
        try:
            return ParsedForm(load_json(raw_json), from_json=True)
        except JsonInputError:
            raise BadRequest("表单数据无法读取（report_json 不是有效的 JSON），请刷新页面后重试") from None
    origins: dict[str, tuple[str, int]] = {}
    data: dict[str, Any] = {"template": form.get("template", "")}
    for name in TEXT_FIELDS:
        value = form.get(name, "").replace("\r\n", "\n")
        if value.strip():
            data[name] = value
    if not form.get("date", "").strip() and form.get("date_picker", "").strip():
        data["date"] = form["date_picker"]
    preamble = _line_list(form, "preamble", origins, "/preamble")
    # Body text before the first heading is opening text: kept, never dropped.
    sections, lead = parse_body(form.get("body", ""), origins, lead_start=len(preamble))
    data["preamble"] = preamble + lead
    data["sections"] = sections
    data["closing"] = _line_list(form, "closing", origins, "/closing")
    data["attachments"] = _line_list(form, "attachments", origins, "/attachments")
    header, record = _header_from_form(form), _record_from_form(form, origins)
    if header:
        data["header"] = header
    if record:
        data["record"] = record
    data["options"] = _options_from_form(form)
    return ParsedForm({k: v for k, v in data.items() if v not in ([], "")}, origins)


def form_values(report: Any) -> dict[str, str]:
    """What each named form control shows for a report (the no-JS page)."""
    data = report if isinstance(report, dict) else {}
    values = {name: _as_text(data.get(name)) for name in TEXT_FIELDS}
    values["template"] = _as_text(data.get("template"))
    for name in LINE_LIST_FIELDS:
        values[name] = "\n".join(_as_text(item) for item in _as_list(data.get(name)))
    values["body"] = "\n".join(sections_to_text(data.get("sections")))
    header = data.get("header") if isinstance(data.get("header"), dict) else {}
    for key in HEADER_KEYS:
        values[f"header.{key}"] = _as_text(header.get(key))
    record = data.get("record") if isinstance(data.get("record"), dict) else {}
    values["record.cc"] = "\n".join(_as_text(item) for item in _as_list(record.get("cc")))
    values["record.printer"] = _as_text(record.get("printer"))
    values["record.print_date"] = _as_text(record.get("print_date"))
    options = data.get("options") if isinstance(data.get("options"), dict) else {}
    for name, choices in OPTION_CHOICES.items():
        values[name] = _as_text(options.get(name)) or choices[0]
    for name in OPTION_FLAGS:
        values[name] = "on" if options.get(name) is True else ""
    return values


# ---------------------------------------------------------------------------
# Errors → fields


@dataclass(frozen=True)
class FieldError:
    field: str | None  # the form field's name ("title", "body", "header-issuer"); None: whole report
    label: str  # Chinese field name for the summary
    message: str  # Chinese


def _pointer_parts(path: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]]


def field_for_path(path: str) -> str | None:
    """The no-JS form field a JSON Pointer into the report points into."""
    parts = _pointer_parts(path)
    if not parts:
        return None
    head, rest = parts[0], parts[1:]
    if head == "sections":
        return "body"
    if head in TEXT_FIELDS or head in LINE_LIST_FIELDS or head == "template":
        return head
    if head == "options" and rest and rest[0] in FIELD_LABELS:
        return rest[0]
    if head in ("header", "record") and rest and f"{head}-{rest[0]}" in FIELD_LABELS:
        return f"{head}-{rest[0]}"
    return None


def _origin_of(path: str, origins: Mapping[str, tuple[str, int]]) -> tuple[str, int] | None:
    """Where the longest prefix of ``path`` was typed."""
    parts = path.split("/")
    for end in range(len(parts), 1, -1):
        found = origins.get("/".join(parts[:end]))
        if found:
            return found
    return None


def field_errors(exc: ReportValidationError, origins: Mapping[str, tuple[str, int]]) -> list[FieldError]:
    out = []
    for detail in exc.details:
        origin = _origin_of(detail.path, origins)
        name = origin[0] if origin else field_for_path(detail.path)
        message = f"第 {origin[1]} 行：{detail.message}" if origin else detail.message
        label = FIELD_LABELS.get(name or "", "报告")
        if name is None and detail.path:
            message = f"{detail.path}：{message}"
        out.append(FieldError(name, label, message))
    return out


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


# ---------------------------------------------------------------------------
# The page


def _size_limit_text() -> str:
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


def render_page(
    report: Any,
    values: Mapping[str, str] | None = None,
    errors: list[FieldError] | None = None,
    raw_errors: list[dict[str, str]] | None = None,
    status: int = 200,
    notice: str = "",
    restore: bool = False,
    import_box: ImportBox | None = None,
) -> Response:
    """The form page.

    ``values`` are the controls' contents as typed (no-JS re-display);
    ``restore`` tells the script to load ``report`` rather than the draft
    (the page answers a rejected post and must keep what was sent, or an
    import). ``import_box`` is what the import box shows after an import.
    """
    report = displayable(report)
    data = report if isinstance(report, dict) else {}
    kind = kind_or_default(data.get("template"))
    values = dict(values) if values is not None else form_values(report)
    values["template"] = kind.id
    errors = errors or []
    by_field: dict[str, list[str]] = {}
    for err in errors:
        if err.field:
            by_field.setdefault(err.field, []).append(err.message)
    kinds = [k.detail() for k in template_kinds().values()]
    import_box = import_box or ImportBox()
    page_data = {
        "kinds": kinds,
        "report": report if restore else None,
        "errors": raw_errors or [],
        "pdfAvailable": convert.available(),
        # The one heading table (labels, level names) for numbering.js and app.js.
        "headingRules": [rule.page_data() for rule in HEADING_RULES],
        "imported": (
            {"reports": import_box.reports, "warnings": import_box.warnings, "chosen": import_box.chosen}
            if import_box.reports
            else None
        ),
    }
    html = render_template(
        "web_form.html",
        kinds=kinds,
        kind=kind,
        shown=_shown_fields(kind, values),
        values=values,
        errors=errors,
        errors_by_field=by_field,
        notice=notice,
        page_data=page_data,
        pdf_available=page_data["pdfAvailable"],
        size_limit=_size_limit_text(),
        import_box=import_box,
    )
    return Response(html, status=status, mimetype="text/html")


def _shown_fields(kind: TemplateKind, values: Mapping[str, str]) -> set[str]:
    """The kind's fields, plus any other field holding text (text is never hidden away)."""
    shown = set(kind.fields)
    shown |= {name for name in TEXT_FIELDS + LINE_LIST_FIELDS if values.get(name, "").strip()}
    if any(values.get(f"header.{k}", "").strip() for k in HEADER_KEYS):
        shown.add("header")
    if any(values.get(f"record.{k}", "").strip() for k in ("cc", "printer", "print_date")):
        shown.add("record")
    return shown


@bp.get("/")
def index() -> ResponseReturnValue:
    kind = kind_or_default(request.args.get("template"))
    return render_page(kind.scaffold)


@bp.get("/web/csrf-token")
def csrf_token() -> ResponseReturnValue:
    """A fresh token for a page left open longer than the token lives."""
    resp = jsonify(token=generate_csrf())
    resp.headers["Cache-Control"] = "no-store"
    return resp


# ---------------------------------------------------------------------------
# Reading a post


def read_post() -> ParsedForm:
    """The report of a post: a JSON body (script) or form fields (plain form)."""
    if request.is_json:
        # Parsed here, not by get_json: ``null`` is JSON (answered 422 by the
        # validation, like any non-object), only unreadable bytes are a 400.
        try:
            return ParsedForm(load_json(request.get_data(cache=True)), from_json=True)
        except JsonInputError:
            raise BadRequest("请求内容不是有效的 JSON（UTF-8）") from None
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return report_from_form(request.form)
    raise UnsupportedMediaType("请以表单或 JSON（application/json）提交报告")


def rejected(parsed: ParsedForm, exc: ReportValidationError) -> Response:
    """The answer to invalid input: JSON errors, or the page again with every value kept."""
    if wants_json():
        return validation_json(exc)
    errors = field_errors(exc, parsed.origins)
    values = None if parsed.from_json else _typed_values()
    return render_page(
        parsed.data,
        values=values,
        errors=errors,
        raw_errors=[d.as_dict() for d in exc.details],
        status=422,
        restore=True,
    )


def _typed_values() -> dict[str, str]:
    """The plain form's controls exactly as they were posted."""
    form = request.form
    values = {name: form.get(name, "") for name in form}
    for name in OPTION_FLAGS:
        values[name] = "on" if _flag(form, name) else ""
    return values


def unit_templates() -> LazyUnitTemplateStore:
    """The instance's unit templates, opened only if a report names one."""
    return LazyUnitTemplateStore(Path(current_app.instance_path) / "unit_templates")


def file_response(data: bytes, mimetype: str, filename: str, inline: bool = False) -> Response:
    """A generated file, named with a UTF-8 ``filename*`` (the API's helper)."""
    resp = Response(data, mimetype=mimetype)
    disposition = content_disposition(filename)
    resp.headers["Content-Disposition"] = disposition.replace("attachment", "inline", 1) if inline else disposition
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.post("/web/download")
def download() -> ResponseReturnValue:
    parsed = read_post()
    try:
        report = validate_report(parsed.data)
    except ReportValidationError as exc:
        return rejected(parsed, exc)
    try:
        data = write_docx(report, unit_templates=unit_templates())
    except ReportValidationError as exc:  # a unit template that does not exist
        return rejected(parsed, exc)
    except UnitTemplateError as exc:
        return unavailable(exc.message)
    return file_response(data, DOCX_MIME, report_filename(report.title, report.filename))


@bp.post("/web/validate")
def validate() -> ResponseReturnValue:
    """The API's validation, for the script: ``{"ok": true}`` or 422 with every problem."""
    parsed = read_post()
    try:
        validate_report(parsed.data)
    except ReportValidationError as exc:
        return validation_json(exc)
    return jsonify(ok=True)


# ---------------------------------------------------------------------------
# PDF preview (LibreOffice, stand-in fonts)


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


def unavailable(message: str) -> Response:
    if wants_json():
        return error_json(503, "preview_unavailable", message)
    return message_page(503, "PDF 预览暂不可用", message)


# ---------------------------------------------------------------------------
# Error pages: Chinese, never a bare 500 for anything a client sent


def message_page(status: int, heading: str, message: str) -> Response:
    html = render_template("web_message.html", heading=heading, message=message)
    return Response(html, status=status, mimetype="text/html")


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc: RequestEntityTooLarge) -> ResponseReturnValue:
    # The body was refused unread: nothing of it can be shown again here.
    if request.path.startswith("/lint"):
        from .lint_page import lint_error_page

        return lint_error_page(413, f"文件太大（超过 {_size_limit_text()}），服务器没有接收。请上传不超过 {_size_limit_text()} 的 .docx 文件。")
    if request.path == "/web/import":
        message = (
            f"上传的文件或粘贴的文本太大（超过 {_size_limit_text()}），服务器没有接收。"
            "请只粘贴需要的报告，或上传较小的文件。"
        )
        if wants_json():
            return error_json(413, "too_large", message)
        return render_page(default_kind().scaffold, status=413, import_box=ImportBox(error=message))
    message = (
        f"提交的内容太大（超过 {_size_limit_text()}），服务器没有接收。"
        "请删减内容后重试。用浏览器的“后退”可回到填写页面；启用脚本时，填写的内容也已自动保存在浏览器草稿中。"
    )
    if wants_json():
        return error_json(413, "too_large", message)
    return message_page(413, "内容太大", message)


_CSRF_REASONS = {
    "The CSRF token is missing.": "缺少安全令牌",
    "The CSRF session token is missing.": "会话已失效（可能清除了 Cookie）",
    "The CSRF token has expired.": "页面打开时间过长，安全令牌已过期",
    "The CSRF tokens do not match.": "安全令牌与会话不符",
    "The referrer header is missing.": "缺少来源信息（Referer）",
    "The referrer does not match the host.": "请求不是从本页面提交的",
}


@bp.errorhandler(CSRFError)
def csrf_failed(exc: CSRFError) -> ResponseReturnValue:
    reason = _CSRF_REASONS.get(exc.description or "", "安全令牌无效")
    if request.path.startswith("/lint"):
        from .lint_page import lint_error_page

        return lint_error_page(400, f"安全校验未通过：{reason}。页面已更新安全令牌，请重新选择文件后再提交一次。")
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
    """A request the page could not read: on the lint page, as JSON, or as a message page."""
    if request.path.startswith("/lint"):
        from .lint_page import lint_error_page

        return lint_error_page(status, message)
    if wants_json():
        return error_json(status, code, message)
    return message_page(status, "无法读取提交的内容", message)


@bp.errorhandler(BadRequest)
def bad_request(exc: BadRequest) -> ResponseReturnValue:
    return _request_problem(400, "malformed", _chinese_description(exc, "请求格式错误，请刷新页面后重试"))


@bp.errorhandler(UnsupportedMediaType)
def unsupported(exc: UnsupportedMediaType) -> ResponseReturnValue:
    return _request_problem(415, "unsupported_media_type", _chinese_description(exc, "不支持的提交类型"))


def _chinese_description(exc: Exception, fallback: str) -> str:
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


# The blueprint's other pages register their routes on ``bp``.
from . import importing, lint_page  # noqa: E402,F401
