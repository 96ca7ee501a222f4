"""The importer ("一键排版"): plain text or a .docx → reports in the contract's JSON.

Passes, each in its own module:

1. ``lines``       text → source lines (invisible characters removed and counted)
2. ``noise``       drop web-page noise line by line (page markers also inside lines)
3. ``lines``       rejoin paragraphs broken in the middle of a sentence
4. ``noise``       drop what is noise only as a whole paragraph (licence blocks)
5. ``structure``   split into reports; front matter, body, back matter;
                   headings nested by ``outline``, run-in headings cut by ``headings``

Nothing disappears unseen: whatever is not in a report field is listed in
``ImportResult.removed`` (noise, labels, date lines) and noise is also
reported in ``warnings``.
"""
from __future__ import annotations

import logging

from .body import numbered_lines, parse_body
from .chars import ellipsize
from .docx_reader import read_docx, settle_headings
from .lines import Para, SourceLine, detect_layout, join_lines, source_lines
from .noise import filter_lines, filter_paras
from .result import ImportFailed, ImportResult, Removed
from .structure import UNTITLED, build_reports

__all__ = ["ImportFailed", "ImportResult", "Removed", "import_docx", "import_text", "numbered_lines", "parse_body"]

log = logging.getLogger(__name__)


def _noise_warnings(removed: list[Removed], unit: str) -> list[str]:
    noise = sorted((r for r in removed if r.kind == "noise"), key=lambda r: r.line)
    return [f"已删除网页噪声（第 {r.where} {unit}）：{ellipsize(r.text.strip())}" for r in noise]


def _invisible_warning(removed: list[Removed]) -> list[str]:
    count = sum(r.kind == "invisible" for r in removed)
    return [f"已删除 {count} 个不可见字符或控制字符"] if count else []


def _word_paras(lines: list[SourceLine]) -> list[Para]:
    """A Word file's paragraphs as they are: no web noise to remove, no hard wraps to join."""
    return [Para(line.no, line.no, line.text) for line in lines]


def _import_lines(
    lines: list[SourceLine], unit: str, removed: list[Removed], warnings: list[str], *, pasted: bool = True
) -> ImportResult:
    if pasted:
        kept = filter_lines(lines, removed)
        paras = filter_paras(join_lines(kept, detect_layout(kept)), removed)
    else:
        paras = _word_paras(lines)
    if not paras:
        raise ImportFailed("没有可导入的正文：内容为空，或全部被识别为网页噪声")
    structure_warnings: list[str] = []
    reports = build_reports(paras, removed, structure_warnings, unit)
    if not reports:
        raise ImportFailed(f"没有找到正文：只有“{ellipsize(paras[0].text)}”这样的标题、署名或附件信息")
    _check_valid(reports)
    warnings = warnings + _invisible_warning(removed) + _noise_warnings(removed, unit) + structure_warnings
    if len(reports) > 1:
        warnings.append(f"识别出 {len(reports)} 份报告，已分别导入")
    return ImportResult(reports, warnings, removed)


def _check_valid(reports: list[dict]) -> None:
    """Every report handed back must render: a text beyond the model's limits
    (thousands of headings, say) is refused here with the model's own words."""
    from ..model import ReportValidationError, validate_report

    for n, report in enumerate(reports, start=1):
        try:
            validate_report(report)
        except ReportValidationError as exc:
            where = f"第 {n} 份报告" if len(reports) > 1 else "识别结果"
            detail = exc.details[0]
            raise ImportFailed(f"{where}无法排版（{detail.path}：{detail.message}），请分成几份导入或删减后再试") from None


def import_text(text: str) -> ImportResult:
    """Detect the structure of a report given as plain text."""
    if not isinstance(text, str):
        raise ImportFailed("导入的内容应为文本")
    if not text.strip():
        raise ImportFailed("文本为空，没有可导入的内容")
    removed: list[Removed] = []
    return _import_lines(source_lines(text, removed), "行", removed, [])


def import_docx(data: bytes) -> ImportResult:
    """Detect the structure of a report given as a .docx (its body paragraphs)."""
    if not data:
        raise ImportFailed("文件为空，没有可导入的内容")
    removed: list[Removed] = []
    try:
        docx = read_docx(data, removed)
    except ImportFailed:
        raise
    except Exception:  # documents come from anyone: a structure we did not foresee is their fault, not a 500
        log.exception("could not read a .docx for import")
        raise ImportFailed("无法读取文档内容（文档结构异常），请在 Word 中打开后另存为 .docx 再导入") from None
    if not docx.lines:
        raise ImportFailed("文档中没有正文段落")
    pasted = not docx.formatted
    result = _import_lines(list(docx.lines), "段", removed, docx.warnings, pasted=pasted)
    if docx.title and result.reports[0].get("title") != docx.title:
        # Word's formatting shows the title: read the rest without it.
        removed = [r for r in removed if r.kind == "invisible"]
        result = _import_lines(docx.without_title(), "段", removed, docx.warnings, pasted=pasted)
        _set_title(result, docx.title)
    settle_headings(result.reports, docx, result.removed)
    return result


def _set_title(result: ImportResult, title: str) -> None:
    """The title Word's formatting shows wins over a guess from the text; a line
    the text importer had taken for the title goes back to the body."""
    report = result.reports[0]
    guessed = report.get("title", UNTITLED)
    if guessed != UNTITLED:
        report["preamble"] = [guessed, *report.get("preamble", [])]
    report["title"] = title
    result.warnings[:] = [w for w in result.warnings if UNTITLED not in w]
