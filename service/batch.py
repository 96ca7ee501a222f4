"""Many reports → one zip, streamed as the documents are made.

Flask-free: the API, the job runner and the CLI all use it. Memory stays flat
whatever the batch size: each document is written to the output stream and
dropped before the next is made.
"""
from __future__ import annotations

import zipfile
from typing import Any, Callable, Iterator, Sequence

from .docx.package import ZIP_DATE
from .engine import UnitTemplateSource, unit_template_problem, write_docx
from .filenames import report_filename, unique_names
from .model import ErrorDetail, ReportValidationError, validate_report

def validate_batch(items: Sequence[Any], unit_templates: UnitTemplateSource | None = None) -> list[str]:
    """Validate every item before any work; errors carry the item's index (/3/title).

    Returns the items' unique, safe file names inside the zip (from
    ``filename`` or the title). The validated models are not kept: they are
    made again, one at a time, while the zip is written, so memory does not
    grow with the batch.
    """
    names: list[str] = []
    details: list[ErrorDetail] = []
    if not items:
        raise ReportValidationError([ErrorDetail("", "批量请求中没有报告", "empty_batch")])
    for i, item in enumerate(items):
        try:
            report = validate_report(item)
            names.append(report_filename(report.title, report.filename))
        except ReportValidationError as exc:
            details += exc.with_prefix(f"/{i}").details
            continue
        problem = unit_template_problem(report, unit_templates)
        if problem:
            details.append(ErrorDetail(f"/{i}{problem.path}", problem.message, problem.code))
    if details:
        raise ReportValidationError(details)
    return unique_names(names)


class _Chunks:
    """A write-only, unseekable sink: zipfile then writes data descriptors,
    so nothing needs to be rewritten and every chunk can be sent at once."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.written = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.written += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def tell(self) -> int:
        return self.written

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def stream_zip(
    items: Sequence[Any],
    names: Sequence[str],
    on_progress: Callable[[int], None] | None = None,
    unit_templates: UnitTemplateSource | None = None,
) -> Iterator[bytes]:
    """Yield the bytes of a zip holding one .docx per item, document by document.

    ``items`` must have passed :func:`validate_batch`, which gave ``names``.
    """
    sink = _Chunks()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_STORED) as zf:  # type: ignore[arg-type]
        for done, (name, item) in enumerate(zip(names, items), start=1):
            info = zipfile.ZipInfo(name, ZIP_DATE)
            # .docx files are compressed already: storing them costs nothing.
            info.compress_type = zipfile.ZIP_STORED
            zf.writestr(info, write_docx(validate_report(item), unit_templates=unit_templates))
            if on_progress:
                on_progress(done)
            yield sink.take()
    yield sink.take()


def write_zip(
    items: Sequence[Any], out: Any, on_progress: Callable[[int], None] | None = None, unit_templates: UnitTemplateSource | None = None
) -> int:
    """Validate, then write the whole zip to a binary file object; returns the count."""
    names = validate_batch(items, unit_templates)
    for chunk in stream_zip(items, names, on_progress, unit_templates):
        out.write(chunk)
    return len(names)
