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
from .docx_tables import place_tables
from .fused import split_contents, split_document, split_labels, split_opening
from .lines import Para, SourceLine, detect_layout, join_lines, source_lines
from .noise import filter_lines, filter_paras
from .punctuation import PUNCTUATION_MODES, fullwidth_report
from .result import ImportFailed, ImportResult, ImportWarning, Removed
from .structure import UNTITLED, build_reports

__all__ = [
    "PUNCTUATION_MODES", "ImportFailed", "ImportResult", "ImportWarning", "Removed", "import_docx", "import_text",
    "numbered_lines", "parse_body",
]

log = logging.getLogger(__name__)


def _noise_warnings(removed: list[Removed], unit: str) -> list[ImportWarning]:
    noise = sorted((r for r in removed if r.kind == "noise"), key=lambda r: r.line)
    return [
        ImportWarning(f"已删除网页噪声（第 {r.where} {unit}）：{ellipsize(r.text.strip())}", r.line, "noise_removed")
        for r in noise
    ]


def _invisible_warning(removed: list[Removed]) -> list[ImportWarning]:
    count = sum(r.kind == "invisible" for r in removed)
    return [ImportWarning(f"已删除 {count} 个不可见字符或控制字符", None, "invisible_removed")] if count else []


def _as_warning(warning: str | ImportWarning) -> ImportWarning:
    return warning if isinstance(warning, ImportWarning) else ImportWarning(str(warning))


def _unfuse(paras: list[Para], removed: list[Removed]) -> list[Para]:
    """Openings and labelled headings that lost their line breaks, cut apart (nothing dropped)."""
    out: list[Para] = []
    paras = [q for p in paras for q in split_contents(p)]
    for i, para in enumerate(paras):
        pieces = split_document(para, i == 0, removed) if i == 0 or i == len(paras) - 1 else [para]
        if len(pieces) > 1 and i == 0:
            out += pieces  # the 发文字号 found: the pieces after it are already apart
            continue
        out += [q for p in pieces for q in (split_opening(p, removed) if p is pieces[0] and (i == 0 or para.starts_report) else [p])]
    return split_labels(out)


def _punctuate(reports: list[dict], punctuation: str) -> list[ImportWarning]:
    if punctuation != "fullwidth":
        return []
    changed = sum(fullwidth_report(report) for report in reports)
    return [ImportWarning(f"已将 {changed} 个半角标点改为全角（数字、时间、网址和英文中的不变）", None, "punctuation")] if changed else []


def _check_mode(punctuation: str) -> None:
    if punctuation not in PUNCTUATION_MODES:
        raise ValueError(f"punctuation must be one of {PUNCTUATION_MODES}, got {punctuation!r}")


def _word_paras(lines: list[SourceLine], part_heads: frozenset[int]) -> list[Para]:
    """A Word file's paragraphs as they are: no web noise to remove, no hard wraps to join."""
    return [Para(line.no, line.no, line.text, part_head=line.no in part_heads) for line in lines]


def _import_lines(
    lines: list[SourceLine],
    unit: str,
    removed: list[Removed],
    warnings: list[ImportWarning],
    punctuation: str = "keep",
    *,
    pasted: bool = True,
    part_heads: frozenset[int] = frozenset(),
) -> ImportResult:
    """``pasted=False`` is a formatted Word file: its own lines are never web
    noise; ``part_heads`` are its paragraphs that are headings by type alone."""
    hints: dict[str, object] = {}
    if pasted:
        kept = filter_lines(lines, removed, hints)
        paras = filter_paras(join_lines(kept, detect_layout(kept)), removed)
    else:
        paras = _word_paras(lines, part_heads)
    if not paras:
        raise ImportFailed("没有可导入的正文：内容为空，或全部被识别为网页噪声")
    paras = _unfuse(paras, removed)
    structure_warnings: list[ImportWarning] = []
    reports = build_reports(paras, removed, structure_warnings, unit, hints)
    if not reports:
        raise ImportFailed(f"没有找到正文：只有“{ellipsize(paras[0].text)}”这样的标题、署名或附件信息")
    punctuated = _punctuate(reports, punctuation)
    _check_valid(reports)
    warnings = warnings + _invisible_warning(removed) + _noise_warnings(removed, unit) + structure_warnings + punctuated
    if len(reports) > 1:
        warnings.append(ImportWarning(f"识别出 {len(reports)} 份报告，已分别导入", None, "several_reports"))
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


def import_text(text: str, punctuation: str = "keep") -> ImportResult:
    """Detect the structure of a report given as plain text.

    ``punctuation="fullwidth"``: half-width marks in Chinese text become full-width.
    """
    _check_mode(punctuation)
    if not isinstance(text, str):
        raise ImportFailed("导入的内容应为文本")
    if not text.strip():
        raise ImportFailed("文本为空，没有可导入的内容")
    removed: list[Removed] = []
    return _import_lines(source_lines(text, removed), "行", removed, [], punctuation)


def import_docx(data: bytes, punctuation: str = "keep") -> ImportResult:
    """Detect the structure of a report given as a .docx (its body paragraphs)."""
    _check_mode(punctuation)
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
    result = _import_lines(list(docx.lines), "段", removed, _docx_warnings(docx.warnings), punctuation, pasted=pasted, part_heads=docx.part_heads)
    if docx.title and result.reports[0].get("title") != docx.title:
        # Word's formatting shows the title: read the rest without it.
        removed = [r for r in removed if r.kind == "invisible"]
        result = _import_lines(docx.without_title(), "段", removed, _docx_warnings(docx.warnings), punctuation, pasted=pasted, part_heads=docx.part_heads)
        _set_title(result, docx.title)
    settle_headings(result.reports, docx, result.removed)
    if docx.tables:
        place_tables(result.reports, docx.tables, result.warnings)
        _check_valid(result.reports)
    return result


def _docx_warnings(warnings: list[str | ImportWarning]) -> list[ImportWarning]:
    return [_as_warning(w) for w in warnings]


def _set_title(result: ImportResult, title: str) -> None:
    """The title Word's formatting shows wins over a guess from the text; a line
    the text importer had taken for the title goes back to the body."""
    report = result.reports[0]
    guessed = report.get("title", UNTITLED)
    if guessed != UNTITLED:
        report["preamble"] = [guessed, *report.get("preamble", [])]
    report["title"] = title
    result.warnings[:] = [w for w in result.warnings if w.code != "no_title"]
