"""The report model: the contract's JSON, validated once.

Every problem is reported at once, each with a JSON Pointer into the input and
a Chinese message. Everything downstream (layout, writer) trusts a
:class:`Report`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from . import numbering
from .dates import parse_date
from .templates import template_ids

# Characters XML 1.0 cannot hold. They are rejected, never dropped.
_XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# Generous caps that stop absurd input early; a real report is far below them.
MAX_TITLE_CHARS = 200
MAX_LINE_CHARS = 500  # headings, names, one-line fields
MAX_PARAGRAPH_CHARS = 20_000
MAX_LIST_ITEMS = 2_000


def _check_xml_chars(value: Any) -> Any:
    # Runs before pydantic's own str check, which would reject a lone
    # surrogate without saying which character it was.
    if not isinstance(value, str):
        return value
    m = _XML_ILLEGAL_RE.search(value)
    if m:
        raise PydanticCustomError(
            "illegal_character",
            "含有文档中不能保存的控制字符 U+{code}（第 {pos} 个字符），请删除后重试",
            {"code": f"{ord(m.group()):04X}", "pos": m.start() + 1},
        )
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "不能为空")
    return value


def _heading_is_text(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        raise PydanticCustomError("table_in_heading", "章节标题只能是文字；表格请放在该章节的 paragraphs 里")
    return value


def _strip_heading_label(value: str) -> str:
    # A heading typed as "一、总体情况" keeps only "总体情况": the service numbers.
    text = numbering.strip_label(value.strip()).strip()
    if not text:
        raise PydanticCustomError("blank", "章节标题不能为空（只有序号没有文字）")
    return text


def _parse_date(value: Any) -> Any:
    if value is None or isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return parse_date(value)
        except ValueError as exc:
            raise PydanticCustomError("date_invalid", str(exc)) from None
    raise PydanticCustomError("date_type", "日期应为字符串，例如 2022-12-05")


def _check_template(value: str) -> str:
    ids = template_ids()
    if value not in ids:
        raise PydanticCustomError(
            "unknown_template",
            "未知的文种模板“{value}”，可选：{ids}",
            {"value": value, "ids": "、".join(ids)},
        )
    return value


Line = Annotated[str, Field(max_length=MAX_LINE_CHARS), BeforeValidator(_check_xml_chars)]
Paragraph = Annotated[str, Field(max_length=MAX_PARAGRAPH_CHARS), BeforeValidator(_check_xml_chars)]
Heading = Annotated[
    str,
    Field(max_length=MAX_LINE_CHARS, description="章节标题，不带序号（序号由服务生成）"),
    BeforeValidator(_check_xml_chars),
    BeforeValidator(_heading_is_text),
    AfterValidator(_strip_heading_label),
]
DateField = Annotated[
    dt.date | None,
    BeforeValidator(_parse_date),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string"}, {"type": "null"}],
            "description": "日期，ISO 格式 YYYY-MM-DD（也接受 2022年12月5日 等写法），输出为“2022年12月5日”",
            "examples": ["2022-12-05"],
        }
    ),
]


class _Strict(BaseModel):
    # Unknown fields are errors: a misspelt key would otherwise drop its text silently.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


# --------------------------------------------------------------------------
# Paragraph items (v1.1): a string, a lead-sentence paragraph or a table.

MAX_TABLE_ROWS = 2_000
MAX_TABLE_COLUMNS = 40


class LeadParagraph(_Strict):
    """段首句：{"lead": "经济持续稳健发展。", "text": "据统计，……"}"""

    lead: Annotated[Paragraph, AfterValidator(_not_blank)] = Field(description="段首句（用段首句字体）")
    text: Paragraph = Field("", description="段首句之后的正文（正文字体，同一段）")


# A cell's text: its characters are checked once per table (Table._cell_characters),
# not by a Python call per cell — a table has thousands of cells.
CellText = Annotated[str, Field(max_length=MAX_PARAGRAPH_CHARS)]


class Cell(_Strict):
    """A table cell with its own span."""

    text: CellText = Field("", description="单元格文字；换行符在格内换行")
    colspan: int = Field(1, ge=1, le=MAX_TABLE_COLUMNS, description="横跨的列数")
    rowspan: int = Field(1, ge=1, le=MAX_TABLE_ROWS, description="纵跨的行数")


CellItem = Annotated[CellText | Cell, Field(description="单元格：字符串，或 {text, colspan, rowspan}")]
Row = Annotated[list[CellItem], Field(max_length=MAX_TABLE_COLUMNS)]
Rows = Annotated[list[Row], Field(max_length=MAX_TABLE_ROWS)]


def cell_span(cell: "str | Cell") -> tuple[str, int, int]:
    """(text, colspan, rowspan) of a cell however it was given."""
    return (cell, 1, 1) if isinstance(cell, str) else (cell.text, cell.colspan, cell.rowspan)


def table_grid_problems(header: list[list[Any]], rows: list[list[Any]]) -> list[tuple[tuple[Any, ...], str]]:
    """Rows that do not span the table's columns, as (location, message).

    Row spans carry down: a cell with rowspan 2 occupies its columns in the
    next row too, so that row gives fewer cells. Header and body rows are
    checked as one grid (the header decides the column count), but a
    rowspan never runs from the header into the body.
    """
    problems: list[tuple[tuple[Any, ...], str]] = []
    if all(type(c) is str for r in header for c in r) and all(type(c) is str for r in rows for c in r):
        # No spans (the common table): a row's width is its number of cells.
        widths = {len(r) for r in header} | {len(r) for r in rows}
        if len(widths) <= 1:
            return problems
    width: int | None = None
    for part, part_rows in (("header", header), ("rows", rows)):
        carried: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
        for r, row in enumerate(part_rows):
            col = 0
            covered = {c for c, left in carried.items() if left > 0}
            for c, cell in enumerate(row):
                while col in covered:
                    col += 1
                _, colspan, rowspan = cell_span(cell)
                span_cols = range(col, col + colspan)
                if width is not None and col + colspan > width:
                    problems.append(((part, r, c), f"单元格横跨到第 {col + colspan} 列，超出表格的 {width} 列"))
                if any(x in covered for x in span_cols):
                    problems.append(((part, r, c), "单元格与上方纵向合并的单元格重叠"))
                if rowspan > 1:
                    for x in span_cols:
                        carried[x] = max(carried.get(x, 0), rowspan)
                col += colspan
            while col in covered:
                col += 1
            for x in list(carried):
                carried[x] -= 1
            if width is None:
                width = col
            elif col != width and not any(p[0][:2] == (part, r) for p in problems):
                problems.append(((part, r), f"这一行共 {col} 列，与表格的 {width} 列不一致（每行的列数须相同，合并单元格按所跨列数计）"))
        if any(left > 0 for left in carried.values()):
            last = len(part_rows) - 1
            problems.append(((part, last), "纵向合并（rowspan）超出了" + ("表头" if part == "header" else "表格") + "的最后一行"))
    return problems


class Table(_Strict):
    """表格：标题在上，表头行每页重复，注在下。"""

    title: Line = Field("", description="表题，如“表1 2023年主要经济指标完成情况”（居中，黑体）")
    header: Rows = Field(default=[], description="表头行（每页顶部重复）")
    rows: Rows = Field(default=[], description="表体行")
    notes: Annotated[list[Paragraph], Field(max_length=50)] = Field(default=[], description="表注，如“注：……”")
    landscape: bool = Field(False, description="横排：表格单独排在横向页面上")

    @model_validator(mode="before")
    @classmethod
    def _cell_characters(cls, data: Any) -> Any:
        """Characters XML cannot hold, in any cell: one search over the whole
        table, and a per-cell look only when it finds one."""
        if not isinstance(data, dict):
            return data
        cells = [
            ((part, r, c), cell.get("text") if isinstance(cell, dict) else cell)
            for part in ("header", "rows")
            if isinstance(data.get(part), list)
            for r, row in enumerate(data[part])
            if isinstance(row, list)
            for c, cell in enumerate(row)
        ]
        texts = [t for _, t in cells if isinstance(t, str)]
        if not _XML_ILLEGAL_RE.search("\n".join(texts)):
            return data
        problems = []
        for loc, text in cells:
            try:
                _check_xml_chars(text)
            except PydanticCustomError as exc:
                problems.append((loc + (("text",) if isinstance(text, str) and loc and _is_cell_dict(data, loc) else ()), str(exc), "illegal_character"))
        raise PlacedProblems(problems)

    @model_validator(mode="after")
    def _grid(self) -> "Table":
        if not any(self.header) and not any(self.rows):
            raise PydanticCustomError("empty_table", "表格为空：header（表头）和 rows（表体）至少要有一行单元格")
        problems = table_grid_problems(self.header, self.rows)
        if problems:
            raise PlacedProblems([(loc, message, "table_grid") for loc, message in problems])
        return self


def _is_cell_dict(data: dict[str, Any], loc: tuple[Any, ...]) -> bool:
    part, r, c = loc
    return isinstance(data[part][r][c], dict)


class PlacedProblems(ValueError):
    """Problems found by a model validator, each placed below the model's own
    location; :func:`validate_report` turns them into one detail each."""

    def __init__(self, problems: list[tuple[tuple[Any, ...], str, str]]):
        self.problems = problems
        super().__init__("; ".join(m for _, m, _ in problems))


class TableItem(_Strict):
    """{"table": {...}}: a table where a paragraph could stand."""

    table: Table


def _item_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "item[table]" if "table" in value else "item[lead]"
    if isinstance(value, (LeadParagraph, TableItem)):
        return "item[table]" if isinstance(value, TableItem) else "item[lead]"
    return "item[str]"


# The tag names carry brackets so that _clean_loc drops them from error paths.
ParagraphItem = Annotated[
    Annotated[Paragraph, Tag("item[str]")]
    | Annotated[LeadParagraph, Tag("item[lead]")]
    | Annotated[TableItem, Tag("item[table]")],
    Discriminator(_item_kind),
    Field(description="段落：字符串；或 {lead, text} 段首句；或 {table} 表格"),
]
Paragraphs = Annotated[list[ParagraphItem], Field(max_length=MAX_LIST_ITEMS)]


class _SectionBase(_Strict):
    @model_validator(mode="after")
    def _no_table_in_run_in_heading(self) -> Any:
        # A run-in heading shares its paragraph with the first body paragraph:
        # a table cannot be part of a heading's paragraph.
        run_in = getattr(self, "run_in", False)
        paragraphs = getattr(self, "paragraphs", [])
        if run_in and paragraphs and isinstance(paragraphs[0], TableItem):
            message = "段首标题（run_in）要与第一段合为一段，第一段不能是表格：请把表格移到后面，或取消 run_in"
            raise PlacedProblems([(("paragraphs", 0), message, "table_in_heading")])
        return self


def _nesting_too_deep(value: list[Any]) -> list[Any]:
    if value:
        raise PydanticCustomError(
            "nesting_too_deep",
            "章节最多四级（一、 （一） 1. （1）），第四级之下不能再有 sections",
        )
    return value


class SectionLevel4(_SectionBase):
    """第四级：（1）"""

    heading: Heading
    part: bool = Field(False, description="只有顶层章节可以是部分（part）")
    run_in: bool = Field(False, description="标题与第一段合为一段（段首标题）")
    paragraphs: Paragraphs = []
    sections: Annotated[list[Any], AfterValidator(_nesting_too_deep)] = Field(
        default=[], description="第四级之下不能再分级（只能为空）"
    )


class SectionLevel3(_SectionBase):
    """第三级：1."""

    heading: Heading
    part: bool = False
    run_in: bool = False
    paragraphs: Paragraphs = []
    sections: Annotated[list[SectionLevel4], Field(max_length=MAX_LIST_ITEMS)] = []


class SectionLevel2(_SectionBase):
    """第二级：（一）"""

    heading: Heading
    part: bool = False
    run_in: bool = False
    paragraphs: Paragraphs = []
    sections: Annotated[list[SectionLevel3], Field(max_length=MAX_LIST_ITEMS)] = []


class SectionLevel1(_SectionBase):
    """第一级：一、"""

    heading: Heading
    part: bool = False
    run_in: bool = False
    paragraphs: Paragraphs = []
    sections: Annotated[list[SectionLevel2], Field(max_length=MAX_LIST_ITEMS)] = []


class PartSection(_Strict):
    """部分：一、之上的不编号标题（或“第一部分”），一、在每部分中重新编号。"""

    heading: Heading
    part: Literal[True] = Field(True, description="部分（part）：顶层章节全部是部分，或全部不是")
    run_in: bool = False
    paragraphs: Paragraphs = []
    sections: Annotated[list[SectionLevel1], Field(max_length=MAX_LIST_ITEMS)] = []


AnySection = PartSection | SectionLevel1 | SectionLevel2 | SectionLevel3 | SectionLevel4


def _section_kind(value: Any) -> str:
    # A section with part: true is a part; anything else (also bad input) is
    # read as an ordinary section so its errors name its own fields.
    if isinstance(value, dict):
        return "part" if value.get("part") is True else "section"
    return "part" if getattr(value, "part", False) is True else "section"


TopSection = Annotated[
    Annotated[PartSection, Tag("part")] | Annotated[SectionLevel1, Tag("section")],
    Discriminator(_section_kind),
]


_DOC_NUMBER_RE = re.compile(r"^(?P<org>.+?)(?P<open>[〔\[【(（［])(?P<year>[^〕\]】)）］]*)(?P<close>[〕\]】)）］])(?P<no>.*)号$")
# How clerks type the year's brackets; all mean 〔〕 (GB/T 9704 7.2.4).
_YEAR_BRACKETS_RE = re.compile(r"[\[【(（［〔]\s*([0-9０-９]{4})\s*[\]】)）］〕]")
_NUMBER_RE = re.compile(r"(?P<di>第?)\s*(?P<no>[0-9０-９]+)\s*号$")


def normalise_doc_number(value: str) -> tuple[str, list[str]]:
    """发文字号 as clerks type it → the standard form, and a note of each change.

    [2025] (2025) 【2025】 → 〔2025〕; 第8号 → 8号; 08号 → 8号; full-width
    digits → half-width. Anything else is left for :func:`_check_doc_number`.
    """
    text = value.strip()
    changes: list[str] = []

    def year(m: re.Match[str]) -> str:
        fixed = f"〔{_half_width_digits(m.group(1))}〕"
        if m.group(0) != fixed:
            changes.append(f"“{m.group(0)}”改为“{fixed}”")
        return fixed

    text = _YEAR_BRACKETS_RE.sub(year, text, count=1)
    m = _NUMBER_RE.search(text)
    if m and "〔" in text[: m.start()]:
        fixed = f"{int(_half_width_digits(m['no']))}号"
        if m.group(0) != fixed:
            changes.append(f"“{m.group(0)}”改为“{fixed}”")
            text = text[: m.start()] + fixed
    return text, changes


def _half_width_digits(text: str) -> str:
    return text.translate({0xFF10 + d: ord("0") + d for d in range(10)})


def _normalise_doc_number(value: Any) -> Any:
    return normalise_doc_number(value)[0] if isinstance(value, str) else value


def _check_doc_number(value: str) -> str:
    """发文字号: 机关代字 + 〔年份〕 + 序号 + 号, e.g. X政发〔2022〕5号 (GB/T 9704 7.2.4).

    Runs after :func:`normalise_doc_number`; every remaining problem is named at once.
    """
    text = value.strip()
    if not text:
        return value
    m = _DOC_NUMBER_RE.match(text)
    if not m:
        raise PydanticCustomError("doc_number", "发文字号格式应为“机关代字〔年份〕序号号”，如“X政发〔2022〕5号”")
    problems = []
    if m["open"] != "〔" or m["close"] != "〕":
        problems.append("年份应使用六角括号〔〕，如“〔2022〕”")
    if not re.fullmatch(r"\d{4}", m["year"]):
        problems.append("年份应为四位阿拉伯数字，如“〔2022〕”")
    number = m["no"]
    if number.startswith("第"):
        problems.append("发文字号的序号前不加“第”字，如“5号”")
    elif not re.fullmatch(r"[1-9]\d*", number):
        problems.append("序号应为不编虚位的阿拉伯数字（不要补零），如“5号”")
    if problems:
        raise PydanticCustomError("doc_number", "{problems}", {"problems": "；".join(problems)})
    return value


def report_notes(data: Any) -> list["ErrorDetail"]:
    """What validation corrected in the input (not errors): each with its JSON Pointer.

    The form shows these beside the field; the report itself holds the corrected text.
    """
    notes: list[ErrorDetail] = []
    header = data.get("header") if isinstance(data, dict) else None
    value = header.get("doc_number") if isinstance(header, dict) else None
    if isinstance(value, str):
        fixed, changes = normalise_doc_number(value)
        if changes:
            notes.append(ErrorDetail("/header/doc_number", f"发文字号已自动更正为“{fixed}”（{'，'.join(changes)}）", "corrected"))
    return notes


def _check_copy_number(value: str) -> str:
    if value.strip() and not re.fullmatch(r"\d{1,6}", value.strip()):
        raise PydanticCustomError("copy_number", "份号应为阿拉伯数字（一般 6 位，如“000001”）")
    return value


class Header(_Strict):
    """版头 (red-header kinds only)."""

    issuer: Line = Field("", description="发文机关标志，如“XX县人民政府”或“XX县人民政府文件”")
    doc_number: Annotated[Line, BeforeValidator(_normalise_doc_number), AfterValidator(_check_doc_number)] = Field(
        "", description="发文字号，如“X政发〔2022〕5号”；[2025]、(2025)、【2025】写法和“第8号”“08号”自动更正为〔2025〕、8号"
    )
    signer: Line = Field("", description="签发人（上行文）")
    copy_number: Annotated[Line, AfterValidator(_check_copy_number)] = Field("", description="份号（6位数字）")
    secrecy: Line = Field("", description="密级和保密期限")
    urgency: Line = Field("", description="紧急程度")


class Record(_Strict):
    """版记 (red-header kinds only)."""

    cc: Annotated[list[Line], Field(max_length=200)] = Field(default=[], description="抄送机关")
    printer: Line = Field("", description="印发机关")
    print_date: DateField = None


class Options(_Strict):
    font_set: Literal["gb2312", "windows"] = Field(
        "gb2312", description="gb2312：仿宋_GB2312 等；windows：仿宋、楷体、黑体、宋体"
    )
    page_numbers: Literal["outside", "center", "none"] = Field(
        "outside", description="outside：单页居右、双页居左；center：居中；none：不加页码"
    )
    seal: bool = Field(False, description="加盖印章（日期右空四字，署名以日期居中）")
    bold_level3: bool = Field(False, description="三级标题加粗（部分地方习惯）")
    numbering: Literal["text", "word"] = Field(
        "text", description="text：序号写成文字；word：Word 自动编号（编辑后自动重排）"
    )
    part_labels: Literal["none", "ordinal"] = Field(
        "none", description="部分标题：none：只写标题；ordinal：标题前加“第一部分”等"
    )
    lead_style: Literal["bold", "kai", "hei"] = Field(
        "bold", description="段首句字体：bold 正文字体加粗；kai 楷体；hei 黑体"
    )


class Attachment(_Strict):
    """附件及其内容：在署名和日期之后另起一页，"附件N" 与标题之下排正文。"""

    name: Annotated[Line, AfterValidator(_not_blank)] = Field(description="附件名称（附件说明和附件页标题）")
    preamble: Paragraphs = Field(default=[], description="附件的开头段落")
    sections: Annotated[list[SectionLevel1], Field(max_length=MAX_LIST_ITEMS)] = Field(
        default=[], description="附件的章节，序号从“一、”重新开始"
    )
    closing: Paragraphs = Field(default=[], description="附件的结尾段落")


def _attachment_kind(value: Any) -> str:
    return "item[attachment]" if isinstance(value, (dict, Attachment)) else "item[name]"


AttachmentEntry = Annotated[
    Annotated[Line, Tag("item[name]")] | Annotated[Attachment, Tag("item[attachment]")],
    Discriminator(_attachment_kind),
    Field(description="附件：字符串（只列入附件说明）；或 {name, preamble, sections, closing}（另起一页排出附件内容）"),
]


def attachment_name(entry: "str | Attachment") -> str:
    return entry if isinstance(entry, str) else entry.name


class Report(_Strict):
    """一份工作总结 / 工作报告 / 述职报告。"""

    # "Some body text" (BODY_FIELDS) is checked by _structural_problems and
    # said in prose: a top-level anyOf here made client generators split
    # Report into one class per branch. /api/v1/schema still states it.

    template: Annotated[str, AfterValidator(_check_template)] = Field(
        "work-summary", description="文种模板 id"
    )
    title: Annotated[
        str,
        Field(
            max_length=MAX_TITLE_CHARS,
            description="标题；可用换行符指定断行",
            json_schema_extra={"minLength": 1, "pattern": "\\S"},
        ),
        BeforeValidator(_check_xml_chars),
        AfterValidator(_not_blank),
    ]
    subtitle: Line = Field("", description="副标题，如“——在XX镇第五届人民代表大会第二次会议上”")
    speaker: Line = Field("", description="报告人，如“XX镇人大主席  张三”")
    recipient: Line = Field("", description="主送机关，如“县人大常委会”")
    salutation: Line = Field("", description="称谓，如“各位代表：”")
    preamble: Paragraphs = Field(default=[], description="开头段落")
    sections: Annotated[list[TopSection], Field(max_length=MAX_LIST_ITEMS)] = Field(
        default=[], description="正文章节，最多四级；顶层可全部标为部分（part: true），部分之下再分四级"
    )
    closing: Paragraphs = Field(default=[], description="结尾段落")
    attachments: Annotated[list[AttachmentEntry], Field(max_length=100)] = Field(
        default=[], description="附件：名称，或带内容的附件对象"
    )
    signature: Line = Field("", description="署名（发文机关或个人）")
    date: DateField = None
    header: Header | None = None
    record: Record | None = None
    options: Options = Field(default_factory=Options)
    filename: Line = Field("", description="下载时的文件名（默认用标题）")
    unit_template: Line | None = Field(None, description="单位模板 id")

    @field_validator("template", mode="before")
    @classmethod
    def _template_default(cls, value: Any) -> Any:
        return "work-summary" if value in (None, "") else value


# --------------------------------------------------------------------------
# Errors


@dataclass(frozen=True)
class ErrorDetail:
    path: str  # JSON Pointer into the input
    message: str  # Chinese, for people
    code: str  # machine-readable kind of problem
    # Spreadsheet input only: the row as a person sees it (header = 1) and the column's header.
    row: int | None = None
    column: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "message": self.message}
        if self.row is not None:
            out["row"] = self.row
            out["column"] = self.column or ""
        return out


class ReportValidationError(ValueError):
    """The input is not a valid report; :attr:`details` lists every problem."""

    def __init__(self, details: list[ErrorDetail]):
        self.details = details
        super().__init__("\n".join(f"{d.path or '/'}: {d.message}" for d in details))

    def with_prefix(self, prefix: str) -> "ReportValidationError":
        return ReportValidationError(
            [ErrorDetail(prefix + d.path, d.message, d.code, d.row, d.column) for d in self.details]
        )


def json_pointer(loc: tuple[Any, ...]) -> str:
    def escape(part: Any) -> str:
        return str(part).replace("~", "~0").replace("/", "~1")

    return "".join("/" + escape(p) for p in loc)


_TYPE_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不支持的字段（请检查拼写）",
    "string_type": "应为字符串",
    "list_type": "应为数组",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "dict_type": "应为对象",
    "none_required": "应为空",
}


def _message_for(err: dict[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in _TYPE_MESSAGES:
        return _TYPE_MESSAGES[kind]
    if kind == "literal_error":
        return f"取值无效，可选值：{ctx.get('expected', '')}"
    if kind == "string_too_long":
        return f"太长：最多 {ctx.get('max_length')} 个字符"
    if kind == "too_long":
        return f"条目太多：最多 {ctx.get('max_length')} 项"
    if kind.startswith(("string_", "int_", "float_")) or kind.endswith("_type"):
        return f"类型不正确：{err['msg']}"
    # Our own PydanticCustomError messages are already Chinese.
    return err["msg"]


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    # Pydantic adds the tag of a function validator ("function-after[...]") to
    # locations inside Annotated types; it is not part of the input's shape.
    # The tags of the top-level section union ("part", "section") are not either.
    cleaned = tuple(p for p in loc if not (isinstance(p, str) and "[" in p and p.endswith("]")))
    if len(cleaned) > 2 and cleaned[0] == "sections" and cleaned[2] in ("part", "section") and isinstance(cleaned[1], int):
        cleaned = cleaned[:2] + cleaned[3:]
    return cleaned


# At least one of these must hold something (said in prose in the OpenAPI document).
BODY_FIELDS = ("preamble", "sections", "closing")


def _structural_problems(data: dict[str, Any]) -> list[ErrorDetail]:
    """Checks that span several fields, run even when single fields fail."""
    problems = []
    if not any(data.get(k) for k in BODY_FIELDS):
        problems.append(
            ErrorDetail(
                "/sections",
                "正文为空：开头段落（preamble）、章节（sections）、结尾（closing）至少填写一项",
                "empty_body",
            )
        )
    problems += _part_problems(data.get("sections"))
    header = data.get("header")
    if isinstance(header, dict) and _kind_has_red_header(data.get("template")):
        issuer = header.get("issuer")
        others = any(isinstance(v, str) and v.strip() for k, v in header.items() if k != "issuer")
        if others and not (isinstance(issuer, str) and issuer.strip()):
            # Without the issuer's mark there is no 版头 to put the rest in.
            problems.append(ErrorDetail("/header/issuer", "红头报告的版头需要发文机关标志（如“XX县人民政府”）", "missing_issuer"))
    return problems


def _part_problems(sections: Any) -> list[ErrorDetail]:
    """Parts: top level only, and all top-level sections or none."""
    if not isinstance(sections, list):
        return []
    problems: list[ErrorDetail] = []
    flags = [isinstance(s, dict) and s.get("part") is True for s in sections]
    if any(flags) and not all(flags):
        problems += [
            ErrorDetail(f"/sections/{i}/part", "有的顶层章节是部分（part: true），有的不是：要么全部是部分，要么都不是", "part_mixed")
            for i, flag in enumerate(flags)
            if not flag and isinstance(sections[i], dict)
        ]
    stack = [(f"/sections/{i}", s) for i, s in enumerate(sections) if isinstance(s, dict)]
    while stack:
        pointer, section = stack.pop()
        children = section.get("sections")
        if not isinstance(children, list):
            continue
        for j, child in enumerate(children):
            if not isinstance(child, dict):
                continue
            if child.get("part") is True:
                problems.append(ErrorDetail(f"{pointer}/sections/{j}/part", "只有顶层章节可以是部分（part: true）", "part_not_top"))
            stack.append((f"{pointer}/sections/{j}", child))
    return problems


def _kind_has_red_header(template: Any) -> bool:
    from .templates import template_kinds

    kind = template_kinds().get(template if isinstance(template, str) and template else "work-summary")
    return bool(kind and kind.features.red_header)


def validate_report(data: Any) -> Report:
    """Validate input into a :class:`Report`, or raise :class:`ReportValidationError`."""
    if isinstance(data, Report):
        return data
    if not isinstance(data, dict):
        raise ReportValidationError([ErrorDetail("", "报告应为 JSON 对象", "model_type")])
    details = _structural_problems(data)
    try:
        report = Report.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = _clean_loc(err["loc"])
            placed = (err.get("ctx") or {}).get("error")
            if isinstance(placed, PlacedProblems):
                details += [ErrorDetail(json_pointer(loc + sub), msg, code) for sub, msg, code in placed.problems]
            else:
                details.append(ErrorDetail(json_pointer(loc), _message_for(err), err["type"]))
    if details:
        raise ReportValidationError(details)
    return report


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema of the report, as ``GET /api/v1/schema`` serves it."""
    schema = Report.model_json_schema()
    schema["anyOf"] = [{"required": [key], "properties": {key: {"minItems": 1}}} for key in BODY_FIELDS]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["description"] = (
        "工作总结 / 工作报告 / 述职报告。必填：title，以及 preamble、sections、closing 至少一项。"
        "段落中的换行符开始新段落；段落首尾空白（含全角空格）按排版处理，不作为正文。"
    )
    return schema
