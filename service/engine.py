"""The engine's entry points: a report in, .docx bytes out.

Input → validated report model → layout (blocks) → package writer → bytes.
No web framework here: the web form, the API, the CLI and the job runner all
call these functions.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Protocol

from .docx.package import document_properties, prepare
from .docx.writer import attachment_lists, body_xml, closing_sect_pr, has_landscape
from .layout import layout_report
from .model import ErrorDetail, Report, ReportValidationError, validate_report
from .unit_templates.check import UnitTemplateError
from .unit_templates.render import pour


class UnitTemplateSource(Protocol):
    """Where unit templates come from (``service.unit_templates.UnitTemplateStore``)."""

    def read(self, template_id: str) -> tuple[Any, bytes] | None: ...


def unit_template_problem(report: Report, unit_templates: UnitTemplateSource | None) -> ErrorDetail | None:
    if not report.unit_template:
        return None
    if unit_templates is None or unit_templates.read(report.unit_template) is None:
        return ErrorDetail("/unit_template", f"单位模板“{report.unit_template}”不存在", "unknown_unit_template")
    return None


def write_docx(
    report: Report,
    now: dt.datetime | None = None,
    base_docx: Path | None = None,
    unit_templates: UnitTemplateSource | None = None,
) -> bytes:
    """Lay out a validated report and write it as a .docx.

    ``base_docx`` overrides the kind's base package (the template build uses
    it); a report naming a ``unit_template`` is poured into that template,
    looked up in ``unit_templates``.
    """
    if report.unit_template:
        return _write_into_unit_template(report, now, unit_templates)
    opts = report.options
    # The kind decides the scaffold and the fields shown, not the package: its
    # parts are built from code (base_docx overrides them when given).
    blocks = layout_report(report)
    landscape = has_landscape(blocks)
    prepared = prepare(base_docx, opts.font_set, opts.page_numbers, opts.bold_level3, landscape, attachment_lists(blocks))
    if not landscape:
        return prepared.write(body_xml(blocks), document_properties(report, now))
    body = body_xml(blocks, final_sect_pr=prepared.final_sect_pr)
    return prepared.write(body, document_properties(report, now), closing_sect_pr(blocks, prepared.final_sect_pr))


def _write_into_unit_template(report: Report, now: dt.datetime | None, unit_templates: UnitTemplateSource | None) -> bytes:
    problem = unit_template_problem(report, unit_templates)
    if problem:
        raise ReportValidationError([problem])
    _, template = unit_templates.read(report.unit_template)  # type: ignore[union-attr,misc]
    try:
        # The engine decides the document properties; the template writer only writes them.
        return pour(template, report, document_properties(report, now))
    except UnitTemplateError as exc:
        raise ReportValidationError([ErrorDetail("/unit_template", exc.message, "unit_template")]) from None


def render_report(data: dict[str, Any] | Report, unit_templates: UnitTemplateSource | None = None) -> bytes:
    """Validate ``data`` (the contract's report JSON) and return the .docx bytes.

    Raises :class:`service.model.ReportValidationError` listing every problem.
    """
    return write_docx(validate_report(data), unit_templates=unit_templates)
