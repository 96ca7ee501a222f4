"""Many reports → one zip, streamed as the documents are made.

Flask-free: the API, the job runner and the CLI all use it. Memory stays flat
whatever the batch size: each document is written to the output stream and
dropped before the next is made.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import time
import zipfile
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Literal, Sequence

from .docx.package import ZIP_DATE
from .engine import UnitTemplateSource, unit_template_problem, write_docx
from .filenames import report_filename, unique_names
from .model import ErrorDetail, ReportValidationError, validate_report

OnError = Literal["stop", "skip"]
ON_ERROR_CHOICES: tuple[str, ...] = ("stop", "skip")
ERROR_REPORT_NAME = "错误报告.csv"
ERROR_REPORT_COLUMNS = ("行号", "字段", "问题")
PDF_SUFFIX = ".pdf"


@dataclass
class BatchPlan:
    """What a batch will make: the valid items (in input order) and their zip
    names, and the problems of the items left out (``on_error=skip``)."""

    items: list[Any]
    names: list[str]
    skipped: list[ErrorDetail] = field(default_factory=list)
    skipped_count: int = 0

    @property
    def made(self) -> int:
        return len(self.items)


def plan_batch(
    items: Sequence[Any],
    unit_templates: UnitTemplateSource | None = None,
    on_error: OnError = "stop",
    locate: Callable[[list[ErrorDetail]], list[ErrorDetail]] | None = None,
    extra_problems: Sequence[ErrorDetail] = (),
) -> BatchPlan:
    """Validate every item; with ``stop`` any problem raises (all of them at
    once), with ``skip`` the invalid items are left out and their problems kept.

    ``locate`` adds spreadsheet rows and columns to the details;
    ``extra_problems`` are problems found while reading (paths start with the
    item's index). A batch with nothing valid raises either way.
    """
    if not items:
        raise ReportValidationError([ErrorDetail("", "批量请求中没有报告", "empty_batch")])
    checked = check_items(items, unit_templates, extra_problems)
    kept = [(item, name) for item, (name, problems) in zip(items, checked) if not problems]
    details = [d for _name, problems in checked for d in problems]
    details += [d for d in extra_problems if not 0 <= _item_index(d.path) < len(items)]
    if locate:
        details = locate(details)
    if details and (on_error == "stop" or not kept):
        raise ReportValidationError(details)
    skipped = sum(1 for _name, problems in checked if problems)
    return BatchPlan([item for item, _ in kept], unique_names([name for _, name in kept]), details, skipped)


def check_items(
    items: Sequence[Any], unit_templates: UnitTemplateSource | None = None, extra_problems: Sequence[ErrorDetail] = ()
) -> list[tuple[str, list[ErrorDetail]]]:
    """Each item's file name (when valid) and problems, in input order (paths start with the index)."""
    read_problems: dict[int, list[ErrorDetail]] = {}
    for detail in extra_problems:
        read_problems.setdefault(_item_index(detail.path), []).append(detail)
    out: list[tuple[str, list[ErrorDetail]]] = []
    for i, item in enumerate(items):
        problems = list(read_problems.get(i, []))
        try:
            report = validate_report(item)
        except ReportValidationError as exc:
            found = exc.with_prefix(f"/{i}").details
            if problems:  # the body text was refused while reading: "no body" would say it twice
                found = [d for d in found if d.code != "empty_body"]
            out.append(("", problems + found))
            continue
        problem = unit_template_problem(report, unit_templates)
        if problem:
            problems.append(ErrorDetail(f"/{i}{problem.path}", problem.message, problem.code))
        out.append((report_filename(report.title, report.filename), problems))
    return out


def _item_index(path: str) -> int:
    head = path.split("/")[1] if path.startswith("/") else ""
    return int(head) if head.isdigit() else -1


def error_report_csv(details: Sequence[ErrorDetail]) -> bytes:
    """错误报告.csv: UTF-8 with a BOM (Excel opens it right), columns 行号, 字段, 问题.

    行号 is the spreadsheet row for CSV/XLSX input, else the item's number
    (1 = the first report); 字段 the column header, else the JSON Pointer
    inside the item.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ERROR_REPORT_COLUMNS)
    for d in details:
        if d.row is not None:
            writer.writerow([d.row, d.column or "", d.message])
            continue
        index = _item_index(d.path)
        inner = d.path.split("/", 2)[2] if d.path.count("/") >= 2 else ""
        writer.writerow([index + 1 if index >= 0 else "", f"/{inner}" if inner else "", d.message])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


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


ZipTime = tuple[int, int, int, int, int, int]


# With ``reproducible``, the documents' own creation time is fixed too (the zip's DOS epoch).
REPRODUCIBLE_CREATED = dt.datetime(*ZIP_DATE, tzinfo=dt.timezone.utc)


def zip_time(reproducible: bool = False) -> ZipTime:
    """The date zip entries carry: now (local time, as unzip tools show it),
    or the fixed DOS epoch when identical input must give identical bytes."""
    if reproducible:
        return ZIP_DATE
    now = time.localtime()
    return (max(now.tm_year, 1980), now.tm_mon, now.tm_mday, now.tm_hour, now.tm_min, now.tm_sec - now.tm_sec % 2)


def stream_zip(
    items: Sequence[Any],
    names: Sequence[str],
    on_progress: Callable[[int], None] | None = None,
    unit_templates: UnitTemplateSource | None = None,
    *,
    error_report: Sequence[ErrorDetail] = (),
    skipped: int = 0,
    with_pdf: bool = False,
    reproducible: bool = False,
) -> Iterator[bytes]:
    """Yield the bytes of a zip holding one .docx per item, document by document.

    ``items`` must have passed :func:`validate_batch` (or :func:`plan_batch`),
    which gave ``names``. When items were skipped, their problems go into
    错误报告.csv; the zip's comment says how many were made and skipped.
    ``with_pdf`` adds a PDF beside each document (a failed conversion is a
    line of the error report, not a failed batch).
    """
    sink = _Chunks()
    when = zip_time(reproducible)
    created = REPRODUCIBLE_CREATED if reproducible else None
    problems = list(error_report)
    docs = (write_docx(validate_report(item), now=created, unit_templates=unit_templates) for item in items)
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_STORED) as zf:  # type: ignore[arg-type]
        for done, (name, (docx, pdf)) in enumerate(zip(names, _with_pdfs(docs) if with_pdf else _alone(docs)), start=1):
            _add(zf, name, docx, when)
            if with_pdf:
                _add_pdf(zf, name, pdf, when, problems)
            if on_progress:
                on_progress(done)
            yield sink.take()
        if problems:
            _add(zf, ERROR_REPORT_NAME, error_report_csv(problems), when)
        zf.comment = f"已生成 {len(names)} 份，跳过 {skipped} 份".encode("utf-8")
    yield sink.take()


def _add(zf: zipfile.ZipFile, name: str, data: bytes, when: ZipTime) -> None:
    info = zipfile.ZipInfo(name, when)
    # .docx files are compressed already: storing them costs nothing.
    info.compress_type = zipfile.ZIP_STORED
    zf.writestr(info, data)


def _alone(docs: Iterator[bytes]) -> Iterator[tuple[bytes, None]]:
    return ((docx, None) for docx in docs)


def _with_pdfs(docs: Iterator[bytes]) -> Iterator[tuple[bytes, "bytes | Exception"]]:
    """Each document with its PDF (or the reason there is none), in order.

    The warm LibreOffice pool converts several documents at once
    (:func:`service.convert.docx_batch_to_pdf`); the documents are kept until
    their PDF comes back, at most a few ahead.
    """
    from .convert import ConverterUnavailable, docx_batch_to_pdf

    ahead: deque[bytes] = deque()

    def remembered() -> Iterator[bytes]:
        for docx in docs:
            ahead.append(docx)
            yield docx

    try:
        for pdf in docx_batch_to_pdf(remembered()):
            yield ahead.popleft(), pdf
    except ConverterUnavailable as exc:  # no LibreOffice: the documents still come, each with the reason
        yield from ((docx, exc) for docx in [*ahead, *docs])


def _add_pdf(zf: zipfile.ZipFile, name: str, pdf: "bytes | Exception | None", when: ZipTime, problems: list[ErrorDetail]) -> None:
    """The PDF beside its document, or a line of the error report saying why there is none."""
    pdf_name = name.rsplit(".", 1)[0] + PDF_SUFFIX
    if isinstance(pdf, bytes):
        _add(zf, pdf_name, pdf, when)
    else:
        problems.append(ErrorDetail("", f"{pdf_name} 未能生成：{pdf}", "pdf_failed"))


def write_zip(
    items: Sequence[Any], out: Any, on_progress: Callable[[int], None] | None = None, unit_templates: UnitTemplateSource | None = None
) -> int:
    """Validate, then write the whole zip to a binary file object; returns the count."""
    names = validate_batch(items, unit_templates)
    for chunk in stream_zip(items, names, on_progress, unit_templates):
        out.write(chunk)
    return len(names)
