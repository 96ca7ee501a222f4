"""Readers for batch input: JSON array, NDJSON, CSV and XLSX → report dicts.

Each reader returns raw items for :func:`service.batch.validate_batch`, which
names problems by the item's index. Spreadsheet columns are named after the
report's top-level fields (English or the Chinese names clerks use); dotted
columns reach nested ones (``options.seal``); a ``text`` (正文) column holds
the body as plain text, which the importer turns into sections.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Iterator

from .batch_tables import MAX_TABLE_SHEET_COLUMNS, MAX_TABLE_SHEET_ROWS, MAX_TABLE_SHEETS, place_tables
from .jsonio import JsonInputError, load_json
from .model import ErrorDetail
from .safezip import UnsafePackage, open_package
from .uploads import UploadError, decode_text, kind_of

# Data rows a spreadsheet may hold. In an .xlsx every row read counts, empty
# or not, and so does the row number itself: a cell at A1048576 is refused, not
# walked to through a million padded rows.
MAX_DATA_ROWS = 100_000
# Columns an .xlsx sheet may use, and cells (empty ones included) it may hold.
MAX_XLSX_COLUMNS = 1024
MAX_XLSX_CELLS = 4_000_000
# Uncompressed size an .xlsx may unpack to (zip bombs).
MAX_XLSX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024

COLUMN_ALIASES = {
    "文种": "template", "模板": "template", "标题": "title", "副标题": "subtitle", "报告人": "speaker",
    "主送机关": "recipient", "称谓": "salutation", "开头": "preamble", "结尾": "closing", "附件": "attachments",
    "署名": "signature", "日期": "date", "成文日期": "date", "文件名": "filename", "正文": "text",
    "单位模板": "unit_template",
}

# The columns a clerk's spreadsheet usually has, in template order: the
# header as written in the downloadable templates, the field it fills, what
# goes in it, and the templates' example row. Any other top-level field (or a
# dotted one such as header.doc_number, options.seal) may be a column too.
@dataclass(frozen=True)
class Column:
    header: str
    field: str
    help: str
    example: str = ""


TEMPLATE_COLUMNS: tuple[Column, ...] = (
    Column("文种", "template", "工作总结、工作报告、述职报告或红头报告（也可写 id，如 work-summary）；空着为工作总结", "工作总结"),
    Column("标题", "title", "必填。文件标题", "2025年XX镇农业农村工作总结"),
    Column("副标题", "subtitle", "可空。如“——在XX镇第五届人民代表大会第二次会议上”"),
    Column("报告人", "speaker", "可空。工作报告、述职报告的报告人"),
    Column("主送机关", "recipient", "可空。如“县人民政府”"),
    Column("称谓", "salutation", "可空。如“各位代表：”"),
    Column("正文", "text", "正文纯文本：各级标题以“一、”“（一）”“1.”“（1）”开头，单元格内换行分段",
           "2025年，我镇农业农村工作取得新成效。\n一、主要工作\n（一）稳住粮食生产。全年粮食播种面积稳定在3.2万亩。\n二、下一步打算\n持续推进乡村振兴。"),
    Column("附件", "attachments", "可空。附件名称，一行一个"),
    Column("署名", "signature", "可空。发文机关或个人", "XX镇人民政府"),
    Column("成文日期", "date", "可空。如 2025-12-20 或 2025年12月20日", "2025-12-20"),
    Column("文件名", "filename", "可空。zip 中的文件名，默认用标题"),
)
OTHER_COLUMNS: tuple[Column, ...] = (
    Column("开头", "preamble", "正文前的开头段落，一行一段（不用“正文”列时）"),
    Column("结尾", "closing", "结尾段落，一行一段"),
    Column("单位模板", "unit_template", "已上传的单位模板 id"),
    Column("header.doc_number", "header.doc_number", "红头报告的发文字号，如“X政发〔2025〕5号”"),
    Column("header.issuer", "header.issuer", "红头报告的发文机关标志"),
    Column("options.seal", "options.seal", "加盖印章：是 / 否"),
)

LIST_FIELDS = {"preamble", "closing", "attachments", "record.cc"}
BOOL_FIELDS = {"options.seal", "options.bold_level3"}
_TRUE = {"1", "true", "yes", "y", "是", "对", "✓"}
_FALSE = {"0", "false", "no", "n", "否", "不", ""}


class BatchInputError(ValueError):
    """The batch body cannot be read; ``status`` is the HTTP status it maps to."""

    def __init__(self, message: str, details: list[ErrorDetail] | None = None, status: int = 400):
        super().__init__(message)
        self.message = message
        self.details = details or []
        self.status = status


def read_json_array(body: bytes) -> list[Any]:
    data = _load_json(body)
    if not isinstance(data, list):
        raise BatchInputError("批量请求体应为 JSON 数组（每个元素是一份报告）", [ErrorDetail("", "应为数组", "list_type")])
    return data


def read_ndjson(body: bytes) -> list[Any]:
    text = _decode(body)
    items = []
    # Lines end at \n only: str.splitlines() would also cut at U+2028 or U+0085
    # inside a JSON string.
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            items.append(load_json(line))
        except JsonInputError as exc:
            raise BatchInputError(
                f"NDJSON 第 {lineno} 行{exc}", [ErrorDetail(f"/{len(items)}", f"第 {lineno} 行{exc}", "malformed")]
            ) from None
    return items


# Fields a ``text`` column fills through the importer: their problems point at that column.
_BODY_FIELDS = ("sections", "preamble", "closing")


@dataclass
class Sheet:
    """Reports read from a spreadsheet, and where each one came from.

    ``rows[i]`` is the spreadsheet row of item ``i`` as a person sees it (the
    header is row 1); ``headers`` maps a field (``title``, ``options.seal``,
    ``text``) to its column header as written; ``problems`` are the items'
    problems found while reading (paths start with the item's index).
    """

    items: list[dict[str, Any]]
    rows: list[int]
    headers: dict[str, str]
    problems: list[ErrorDetail] = field(default_factory=list)

    def locate(self, detail: ErrorDetail) -> ErrorDetail:
        """The detail with its spreadsheet ``row`` and ``column`` added."""
        parts = [p for p in detail.path.split("/")[1:]]
        if not parts or not parts[0].isdigit() or int(parts[0]) >= len(self.rows):
            return replace(detail, row=1, column=detail.column or "")
        return replace(detail, row=self.rows[int(parts[0])], column=self.column_of(parts[1:]))

    def column_of(self, fields: list[str]) -> str:
        for cut in range(len(fields), 0, -1):
            header = self.headers.get(".".join(fields[:cut]))
            if header is not None:
                return header
        if fields and fields[0] in _BODY_FIELDS and "text" in self.headers:
            return self.headers["text"]
        return fields[0] if fields else ""

    def located(self, details: Iterable[ErrorDetail]) -> list[ErrorDetail]:
        return [self.locate(d) for d in details]


def read_csv(body: bytes) -> list[dict[str, Any]]:
    return _items_or_raise(read_csv_sheet(body))


def read_csv_sheet(body: bytes) -> Sheet:
    text = _decode(body, text_file=True)  # Excel in Chinese Windows saves CSV as GBK
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise BatchInputError("CSV 文件是空的") from None
    except csv.Error as exc:
        raise BatchInputError(f"CSV 格式错误：{exc}") from None
    try:
        sheet = _rows_to_sheet(header, reader)
    except csv.Error as exc:
        raise BatchInputError(f"CSV 格式错误：{exc}") from None
    _place_tables(sheet, None)
    return sheet


def read_xlsx(body: bytes) -> list[dict[str, Any]]:
    return _items_or_raise(read_xlsx_sheet(body))


def read_xlsx_sheet(body: bytes) -> Sheet:
    from openpyxl import load_workbook

    _check_zip(body)
    try:
        wb = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise BatchInputError("无法读取 .xlsx 文件：文件损坏或不是 Excel 工作簿") from None
    try:
        sheet = wb.worksheets[0]
        _check_declared_size(sheet.max_row, sheet.max_column)
        rows = _xlsx_rows(sheet)
        header = next(rows, None)
        if header is None:
            raise BatchInputError("Excel 工作表是空的")
        sheet = _rows_to_sheet(header, rows)
        # Tables: one sheet each, placed by 【表格：名称】 lines (service/batch_tables.py).
        _place_tables(sheet, _table_sheets(wb.worksheets[1:]))
        return sheet
    except BatchInputError:
        raise
    except Exception:  # a damaged sheet part surfaces only while its rows are parsed
        raise BatchInputError("无法读取 .xlsx 文件：文件损坏或不是 Excel 工作簿") from None
    finally:
        wb.close()


def _check_declared_size(max_row: int | None, max_column: int | None) -> None:
    """The sheet's <dimension> is a claim, not a promise: it only lets an
    oversized sheet be refused before a single row is parsed."""
    if max_row is not None and max_row > MAX_DATA_ROWS + 1:
        raise BatchInputError(_too_many_rows(), status=413)
    if max_column is not None and max_column > MAX_XLSX_COLUMNS:
        raise BatchInputError(_too_many_columns(), status=413)


def _too_many_rows(limit: int = MAX_DATA_ROWS) -> str:
    return f"表格行数过多（上限 {limit} 行数据，空行也计入）"


def _too_many_columns(limit: int = MAX_XLSX_COLUMNS) -> str:
    return f"表格列数过多（上限 {limit} 列）"


def _xlsx_rows(sheet: Any, max_rows: int = MAX_DATA_ROWS + 1, max_columns: int = MAX_XLSX_COLUMNS) -> Iterator[list[str]]:
    """The sheet's rows as cell texts: the header first, then the data rows.

    Reads the cells the file holds instead of openpyxl's ``iter_rows``, which
    pads every missing row and column with empty cells (a header at XFD1 plus
    a cell at A1048576 would become 17 billion of them). Every row element
    read counts against the limit, empty or not, and so does its row number.
    """
    from openpyxl.worksheet._reader import WorkSheetParser  # openpyxl is pinned: see requirements.txt

    book = sheet.parent
    rows_read = cells_read = 0
    with sheet._get_source() as source:
        parser = WorkSheetParser(source, sheet._shared_strings, data_only=True, epoch=book.epoch,
                                 date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        header_sent = False
        for number, cells in parser.parse():
            rows_read += 1
            cells_read += len(cells)
            if number > max_rows or rows_read > max_rows:
                raise BatchInputError(_too_many_rows(max_rows - 1), status=413)
            if cells_read > MAX_XLSX_CELLS:
                raise BatchInputError(f"表格单元格过多（上限 {MAX_XLSX_CELLS} 个，空单元格也计入）", status=413)
            if number > 1 and not header_sent:
                header_sent = True
                yield []  # no row 1: an empty header, which _rows_to_items names
            header_sent = True
            yield _row_texts(cells, max_columns)


def _row_texts(cells: list[dict[str, Any]], max_columns: int = MAX_XLSX_COLUMNS) -> list[str]:
    row: list[str] = []
    for cell in cells:
        if cell["value"] is None:
            continue
        column = cell["column"]
        if column > max_columns:
            raise BatchInputError(_too_many_columns(max_columns), status=413)
        row.extend([""] * (column - len(row)))
        row[column - 1] = _cell_text(cell["value"])
    return row


def _table_sheets(sheets: list[Any]) -> dict[str, list[list[str]]]:
    """The sheets after the first, each a table, read with the same bounded reader."""
    if len(sheets) > MAX_TABLE_SHEETS:
        raise BatchInputError(f"工作表过多（表格工作表上限 {MAX_TABLE_SHEETS} 个）", status=413)
    return {ws.title: list(_xlsx_rows(ws, MAX_TABLE_SHEET_ROWS, MAX_TABLE_SHEET_COLUMNS)) for ws in sheets}


def _place_tables(sheet: Sheet, tables: dict[str, list[list[str]]] | None) -> None:
    """Tables go into the rows' reports; a row whose table cannot be placed has a problem, like any other."""
    sheet.problems += place_tables(sheet.items, tables)


def read_upload(filename: str, body: bytes) -> list[dict[str, Any]]:
    return _items_or_raise(read_sheet(filename, body))


def read_sheet(filename: str, body: bytes) -> Sheet:
    """A .csv or .xlsx upload; the items' own problems are kept in the sheet, not raised."""
    kind = kind_of(filename, body)
    if kind == "csv":
        return read_csv_sheet(body)
    if kind == "xlsx":
        return read_xlsx_sheet(body)
    raise BatchInputError("只支持 .csv 或 .xlsx 文件", status=415)


def _items_or_raise(sheet: Sheet) -> list[dict[str, Any]]:
    if sheet.problems:
        raise BatchInputError(f"表格中有 {len(sheet.problems)} 处问题，请逐项修改", sheet.located(sheet.problems), status=422)
    return sheet.items


# ---------------------------------------------------------------------------


def _load_json(body: bytes) -> Any:
    try:
        return load_json(_decode(body))
    except JsonInputError as exc:
        raise BatchInputError(f"请求体{exc}") from None


def _decode(body: bytes, text_file: bool = False) -> str:
    try:
        return decode_text(body, text_file=text_file)
    except UploadError as exc:
        raise BatchInputError(f"请求体{exc}" if not text_file else str(exc)) from None


def _check_zip(body: bytes) -> None:
    try:
        open_package(body, ".xlsx", MAX_XLSX_UNCOMPRESSED_BYTES).close()
    except UnsafePackage as exc:
        raise BatchInputError(exc.message, status=413 if exc.status == 413 else 400) from None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rows_to_sheet(header: list[str], rows: Iterable[list[str]]) -> Sheet:
    columns = [COLUMN_ALIASES.get(h.strip(), h.strip()) for h in header]
    if not any(columns):
        raise BatchInputError("表头为空：第一行应为列名，如 title、date、text")
    _check_header(columns)
    headers = {column: h.strip() for column, h in zip(columns, header) if column}
    items: list[dict[str, Any]] = []
    row_numbers: list[int] = []
    problems: list[ErrorDetail] = []
    # Rows are counted as a spreadsheet shows them: the header is row 1, and
    # empty rows (skipped) still take their number.
    for row_number, row in enumerate(rows, start=2):
        if not any(str(cell).strip() for cell in row):
            continue
        if len(items) >= MAX_DATA_ROWS:
            raise BatchInputError(f"表格数据行过多（上限 {MAX_DATA_ROWS} 行）", status=413)
        items.append(_row_to_item(columns, row, len(items), problems))
        row_numbers.append(row_number)
    if not items:
        raise BatchInputError("表格中没有数据行")
    return Sheet(items, row_numbers, headers, problems)


def _check_header(columns: list[str]) -> None:
    """Two columns for one field, or a field and a part of it, would overwrite each other."""
    details = []
    seen: dict[str, int] = {}
    for position, column in enumerate(columns, start=1):
        if not column:
            continue
        if column in seen:
            details.append(ErrorDetail("", f"列名“{column}”重复（第 {seen[column]} 列和第 {position} 列）", "duplicate_column", row=1, column=column))
        seen.setdefault(column, position)
    for column in seen:
        parts = column.split(".")
        for cut in range(1, len(parts)):
            parent = ".".join(parts[:cut])
            if parent in seen:
                details.append(ErrorDetail("", f"列“{parent}”和列“{column}”不能同时使用", "conflicting_columns", row=1, column=column))
    if details:
        raise BatchInputError("表头有问题，请修改列名", details, status=422)


def _row_to_item(columns: list[str], row: list[str], index: int, problems: list[ErrorDetail]) -> dict[str, Any]:
    item: dict[str, Any] = {}
    text = ""
    for position, cell in enumerate(row):
        value = str(cell)
        if not value.strip():
            continue
        # A value under no column name is kept as a field of its own, so the
        # model names it as an error instead of it vanishing.
        column = columns[position] if position < len(columns) and columns[position] else f"第{position + 1}列（无列名）"
        if column == "text":
            text = value
            continue
        _set_path(item, column, _convert(column, value))
    if text:
        _add_body_text(item, text, index, problems)
    return item


def _convert(column: str, value: str) -> Any:
    if column == "template":
        return _kind_id(value.strip())
    if column in LIST_FIELDS:
        return [line for line in value.replace("\r\n", "\n").split("\n") if line.strip()]
    if column in BOOL_FIELDS:
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    return value


def _kind_id(value: str) -> str:
    """A kind's Chinese name (工作总结) as clerks write it → its id; anything else as typed."""
    from .templates import template_kinds

    by_name = {kind.name: kind.id for kind in template_kinds().values()}
    return by_name.get(value, value)


def template_csv() -> bytes:
    """The downloadable CSV template: the usual columns and one example row (UTF-8 with BOM for Excel)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in TEMPLATE_COLUMNS])
    writer.writerow([c.example for c in TEMPLATE_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """The downloadable .xlsx template: the same columns and example row as :func:`template_csv`."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "报告"
    ws.append([c.header for c in TEMPLATE_COLUMNS])
    ws.append([c.example for c in TEMPLATE_COLUMNS])
    for index, column in enumerate(TEMPLATE_COLUMNS, start=1):
        letter = ws.cell(row=1, column=index).column_letter
        ws.cell(row=1, column=index).font = Font(bold=True)
        ws.cell(row=2, column=index).alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[letter].width = 60 if column.field == "text" else 18
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _set_path(item: dict[str, Any], column: str, value: Any) -> None:
    *parents, leaf = column.split(".")
    target = item
    for part in parents:
        target = target.setdefault(part, {})
    target[leaf] = value


IMPORTED_FIELD_NAMES = {
    "title": "标题", "subtitle": "副标题", "speaker": "报告人", "recipient": "主送机关", "salutation": "称谓",
    "signature": "署名", "date": "日期", "template": "文种",
}


def _add_body_text(item: dict[str, Any], text: str, index: int, problems: list[ErrorDetail]) -> None:
    """Structure the plain-text body with the importer and merge it into the row.

    Nothing is dropped: list fields are joined, a value found in the text that
    differs from the row's own column is an error, and text the importer would
    remove as web-page noise is an error too (a spreadsheet is not a web page).
    """
    from .importer import ImportFailed, import_text
    from .importer.structure import UNTITLED

    pointer = f"/{index}/text"
    try:
        result = import_text(text)
    except ImportFailed as exc:
        problems.append(ErrorDetail(pointer, f"正文无法识别：{exc}", "import_failed"))
        return
    if len(result.reports) != 1:
        problems.append(ErrorDetail(pointer, f"正文中识别出 {len(result.reports)} 份报告，请每行只放一份报告的正文", "several_reports"))
        return
    noise = [r.text.strip() for r in result.removed if r.kind == "noise"]
    if noise:
        problems.append(ErrorDetail(
            pointer, f"正文中有 {len(noise)} 行像网页上的杂项（如“{noise[0][:20]}”），不会被删除：请删去或改写这些行", "noise_in_text"))
        return
    imported = result.reports[0]
    if imported.get("title") == UNTITLED:
        del imported["title"]  # never print the importer's placeholder: the row needs a title
    for key, value in imported.items():
        if not value or key == "options":
            continue
        if key not in item:
            item[key] = value
        elif key in ("preamble", "closing", "attachments", "sections") and isinstance(item[key], list):
            item[key] = item[key] + value
        elif item[key] != value:
            name = IMPORTED_FIELD_NAMES.get(key, key)
            problems.append(ErrorDetail(
                f"/{index}/{key}", f"正文中识别出的{name}“{str(value)[:30]}”与该列的“{str(item[key])[:30]}”不同，请只保留一处", "conflict"))
