"""The engine's entry points: a report in, .docx bytes out.

Input → validated report model → layout (blocks) → package writer → bytes.
No web framework here: the web form, the API, the CLI and the job runner all
call these functions.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .docx.package import DocumentProperties, prepare
from .docx.writer import body_xml
from .layout import layout_report
from .model import Report, validate_report
from .templates import get_kind


def document_properties(report: Report, now: dt.datetime | None = None) -> DocumentProperties:
    unit = (report.header.issuer if report.header and report.header.issuer else "") or report.signature
    return DocumentProperties(
        title=report.title,
        author=report.signature.strip(),
        company=unit.strip(),
        template=report.template,
        created=now,
    )


def write_docx(report: Report, now: dt.datetime | None = None, base_docx: Path | None = None) -> bytes:
    """Lay out a validated report and write it as a .docx.

    ``base_docx`` overrides the kind's base package (the template build uses it).
    """
    base = base_docx or get_kind(report.template).base_docx
    opts = report.options
    prepared = prepare(base, opts.font_set, opts.page_numbers, opts.bold_level3)
    return prepared.write(body_xml(layout_report(report)), document_properties(report, now))


def render_report(data: dict[str, Any] | Report) -> bytes:
    """Validate ``data`` (the contract's report JSON) and return the .docx bytes.

    Raises :class:`service.model.ReportValidationError` listing every problem.
    """
    return write_docx(validate_report(data))
