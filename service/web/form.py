"""The form page: the page at ``/``, the report its form posts, and errors beside their fields.

The same :func:`service.model.validate_report` checks the form and the API,
so the form shows exactly the problems the API would report.

Two ways in, one document out:

* With JavaScript, the page keeps the whole report in a hidden field
  ``report_json`` (the contract's JSON) and posts only that.
* Without JavaScript, the form posts plain fields: the top-level values, list
  fields as one item per line, and a textarea ``body`` (正文) whose lines
  starting with 一、 （一） 1. （1） become headings
  (:func:`service.importer.parse_body`, the importer's heading rules).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from flask import Response, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import generate_csrf
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from .. import convert, numbering
from ..engine import write_docx
from ..filenames import report_filename
from ..importer import numbered_lines, parse_body
from ..importer.chars import HEADING_END
from ..jsonio import JsonInputError, load_json
from ..layout import split_paragraphs
from ..model import ReportValidationError, validate_report
from ..profile import HEADING_RULES
from ..templates import TemplateKind, template_kinds
from . import bp
from .form_support import engine_rules, with_notes
from .common import (
    DOCX_MIME,
    displayable,
    file_response,
    kind_or_default,
    render_or_answer,
    size_limit_text,
    unit_templates,
    validation_json,
    wants_json,
)

# Top-level single-line (or, for the title, few-line) text fields of a report.
TEXT_FIELDS = ("title", "subtitle", "speaker", "recipient", "salutation", "signature", "date")
# Top-level list fields typed one item per line.
LINE_LIST_FIELDS = ("preamble", "closing", "attachments")
HEADER_KEYS = ("issuer", "doc_number", "signer", "copy_number", "secrecy", "urgency")
OPTION_CHOICES = {
    "font_set": ("gb2312", "windows"),
    "page_numbers": ("outside", "center", "none"),
    "numbering": ("text", "word"),
    "lead_style": ("bold", "kai", "hei"),
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
    "lead_style": "段首句字体",
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


@dataclass
class ImportBox:
    """What the import box on the form page shows (server-rendered, for the no-JS path).

    ``reports`` also go to the script (``page_data.imported``) so that it can
    offer the choice between several reports itself.
    """

    text: str = ""  # the paste textarea, as posted
    error: str = ""  # why nothing was imported (Chinese)
    summary: str = ""  # what was filled in
    warnings: list[Any] = field(default_factory=list)  # ImportWarning: {line, message, code}
    reports: list[dict[str, Any]] = field(default_factory=list)  # every report found
    chosen: int = 0  # index of the report in the form
    fullwidth: bool = True  # the "标点改为全角" box, ticked unless the person unticked it
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
        if level == 1 and section.get("part") is True:
            # A part as the form's text writes it; its sections number from 一、 again.
            lines.append(f"第{numbering.chinese_number(n)}部分\u3000{_as_text(section.get('heading'))}")
            lines += [p for text in _as_list(section.get("paragraphs")) for p in split_paragraphs(_as_text(text))]
            lines += sections_to_text(section.get("sections"), 1)
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
        "engineRules": engine_rules(),
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
        size_limit=size_limit_text(),
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


@bp.post("/web/download")
def download() -> ResponseReturnValue:
    parsed = read_post()
    try:
        report = validate_report(parsed.data)
    except ReportValidationError as exc:
        return rejected(parsed, exc)
    rendered = render_or_answer(lambda: write_docx(report, unit_templates=unit_templates()), lambda exc: rejected(parsed, exc))
    if rendered.response is not None:
        return rendered.response
    return file_response(rendered.data or b"", DOCX_MIME, report_filename(report.title, report.filename))


@bp.post("/web/validate")
def validate() -> ResponseReturnValue:
    """The API's validation, for the script: ``{"ok": true}`` or 422 with every problem."""
    parsed = read_post()
    try:
        validate_report(parsed.data)
    except ReportValidationError as exc:
        return with_notes(validation_json(exc), parsed.data)
    return with_notes(jsonify(ok=True), parsed.data)
