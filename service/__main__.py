"""The command line: ``python -m service render|batch ...`` (see ``--help``)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Sequence

from . import convert
from .engine import write_docx
from .filenames import report_filename
from .jsonio import JsonInputError, load_json
from .model import ReportValidationError, validate_report

EXIT_INPUT = 2


class CliError(Exception):
    """A problem with the user's input; printed as lines, exit status 2."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


def problem_lines(exc: ReportValidationError) -> list[str]:
    """One line per problem, led by its JSON Pointer."""
    return [f"{d.path or '/'}: {d.message}" for d in exc.details]


def read_input(path: str) -> bytes:
    """The bytes of an input file ("-" is standard input), or one clear error line."""
    try:
        return sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise CliError([f"{path}: 文件不存在"]) from None
    except IsADirectoryError:
        raise CliError([f"{path}: 是目录，不是文件"]) from None
    except PermissionError:
        raise CliError([f"{path}: 没有读取权限"]) from None


def read_json(path: str) -> Any:
    try:
        return load_json(read_input(path))
    except JsonInputError as exc:
        raise CliError([f"{path}: {exc}"]) from None


def cmd_render(args: argparse.Namespace) -> int:
    data = read_json(args.input)
    try:
        report = validate_report(data)
    except ReportValidationError as exc:
        raise CliError(problem_lines(exc)) from None
    out = Path(args.output) if args.output else Path(report_filename(report.title, report.filename))
    try:
        docx = write_docx(report)  # no unit-template store offline: naming one is an error
    except ReportValidationError as exc:
        raise CliError(problem_lines(exc)) from None
    out.write_bytes(docx)
    print(f"已生成 {out}")
    if args.pdf:
        try:
            pdf = convert.docx_to_pdf(docx)
        except convert.ConversionError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1
        pdf_path = out.with_suffix(".pdf")
        pdf_path.write_bytes(pdf)
        print(f"已生成 {pdf_path}（PDF 使用替代字体，仅供预览）")
    return 0


def read_batch(path: str) -> tuple[list[Any], Any]:
    """The items of a batch file, and the spreadsheet they came from (or None)."""
    from .batch_input import BatchInputError, read_csv_sheet, read_json_array, read_ndjson, read_xlsx_sheet

    readers = {".json": read_json_array, ".jsonl": read_ndjson, ".ndjson": read_ndjson, ".csv": read_csv_sheet, ".xlsx": read_xlsx_sheet}
    reader = readers.get(Path(path).suffix.lower())
    if reader is None:
        raise CliError([f"{path}: 只支持 .json、.jsonl、.csv、.xlsx 文件"])
    data = read_input(path)
    try:
        read = reader(data)
    except BatchInputError as exc:
        raise CliError([f"{path}: {exc.message}"] + detail_lines(exc.details)) from None
    return (read, None) if isinstance(read, list) else (read.items, read)


def detail_lines(details: Sequence[Any]) -> list[str]:
    """One line per problem: the JSON Pointer, and the spreadsheet row and column when known."""
    lines = []
    for d in details:
        where = f"（第 {d.row} 行，“{d.column}”列）" if d.row is not None else ""
        lines.append(f"{d.path or '/'}{where}: {d.message}")
    return lines


def cmd_batch(args: argparse.Namespace) -> int:
    import time

    from tqdm import tqdm

    from .batch import ERROR_REPORT_NAME, plan_batch, stream_zip

    items, sheet = read_batch(args.input)
    try:
        plan = plan_batch(
            items, None, "skip" if args.skip_invalid else "stop",
            locate=sheet.located if sheet else None, extra_problems=sheet.problems if sheet else (),
        )
    except ReportValidationError as exc:
        raise CliError(detail_lines(exc.details)) from None
    names = plan.names
    for line in detail_lines(plan.skipped):
        print(f"跳过：{line}", file=sys.stderr)
    started = time.perf_counter()
    out = Path(args.output)
    # The bar shows on a terminal only; in scripts and logs it stays quiet.
    with tqdm(total=len(names), unit="份", disable=not sys.stderr.isatty(), desc="生成") as bar, out.open("wb") as fh:
        last = 0

        def progress(done: int) -> None:
            nonlocal last
            bar.update(done - last)
            last = done

        chunks = stream_zip(plan.items, names, progress, error_report=plan.skipped, skipped=plan.skipped_count,
                            reproducible=args.reproducible)
        for chunk in chunks:
            fh.write(chunk)
    seconds = time.perf_counter() - started
    rate = len(names) / seconds if seconds else float("inf")
    print(f"已生成 {len(names)} 份文档 → {out}（{seconds:.1f} 秒，每秒 {rate:.0f} 份）")
    if plan.skipped_count:
        print(f"跳过 {plan.skipped_count} 份有问题的报告，问题见 zip 中的 {ERROR_REPORT_NAME}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .importer import ImportFailed, import_docx, import_text
    from .uploads import UploadError, decode_text, kind_of

    path = Path(args.input)
    data = read_input(args.input)
    try:
        punctuation = "fullwidth" if args.fullwidth else "keep"
        if kind_of(path.name, data) == "docx":
            result = import_docx(data, punctuation)
        else:
            result = import_text(decode_text(data), punctuation)
    except (ImportFailed, UploadError) as exc:
        raise CliError([f"{args.input}: {exc}"]) from None
    for warning in result.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    # One report is written as an object (for render), several as an array (for batch).
    payload: Any = result.reports[0] if len(result.reports) == 1 else result.reports
    text_out = json.dumps(payload, ensure_ascii=False, indent=2)
    if args.output:
        Path(args.output).write_text(text_out + "\n", encoding="utf-8")
        print(f"已识别 {len(result.reports)} 份报告 → {args.output}")
    elif not args.docx:
        print(text_out)
    if args.docx:
        out = Path(args.docx)
        targets = [out] if len(result.reports) == 1 else [out.with_name(f"{out.stem}-{i}{out.suffix}") for i in range(1, len(result.reports) + 1)]
        for report, target in zip(result.reports, targets):
            try:
                target.write_bytes(write_docx(validate_report(report)))
            except ReportValidationError as exc:
                raise CliError(problem_lines(exc)) from None
            print(f"已重新排版 → {target}")
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    from .lint import LintFailed, lint_docx

    data = read_input(args.input)
    try:
        report = lint_docx(data)
    except LintFailed as exc:
        raise CliError([f"{args.input}: {exc}"]) from None
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        names = {"error": "错误", "warning": "警告", "info": "提示"}
        for f in report.findings:
            where = f.location.get("paragraph")
            place = f"第 {where + 1} 段" if where is not None else "全文"
            excerpt = f"“{f.location['text']}”" if f.location.get("text") else ""
            print(f"[{names[f.severity]}] {f.rule} {place}{excerpt}：{f.message}")
        errors = len(report.errors())
        print("符合 GB/T 9704-2012 的检查项" if report.ok else f"发现 {errors} 处错误", f"（共 {len(report.findings)} 条结果）")
    return 0 if report.ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m service", description="工作总结/工作报告排版（GB/T 9704-2012）")
    sub = parser.add_subparsers(dest="command", required=True)
    render = sub.add_parser("render", help="把一份报告 JSON 排成 Word 文档")
    render.add_argument("input", help="报告 JSON 文件（- 表示标准输入）")
    render.add_argument("-o", "--output", help="输出 .docx 路径（默认按标题命名）")
    render.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 生成 PDF")
    render.set_defaults(func=cmd_render)
    batch = sub.add_parser("batch", help="批量生成：JSON 数组、JSONL、CSV 或 XLSX → zip")
    batch.add_argument("input", help="输入文件（.json / .jsonl / .csv / .xlsx）")
    batch.add_argument("-o", "--output", required=True, help="输出 .zip 路径")
    batch.add_argument("--skip-invalid", action="store_true", help="跳过有问题的报告，其余照常生成；问题写入 zip 中的 错误报告.csv")
    batch.add_argument("--reproducible", action="store_true", help="zip 中的文件日期固定为 1980-01-01（相同输入得到相同字节）")
    batch.set_defaults(func=cmd_batch)
    imp = sub.add_parser("import", help="识别已有报告（.txt 或 .docx）的结构，输出报告 JSON，可重新排版")
    imp.add_argument("input", help=".txt 或 .docx 文件")
    imp.add_argument("-o", "--output", help="输出 JSON 路径（默认打印）")
    imp.add_argument("--docx", help="同时按规范重新排版，写到此 .docx（多份报告时加序号）")
    imp.add_argument("--fullwidth", action="store_true", help="中文里的半角标点（, : ; ( ) 引号）改为全角；数字、时间、网址、英文不变")
    imp.set_defaults(func=cmd_import)
    lint = sub.add_parser("lint", help="检查 .docx 是否符合 GB/T 9704（有错误时退出码为 1）")
    lint.add_argument("input", help=".docx 文件")
    lint.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")
    lint.set_defaults(func=cmd_lint)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":
    sys.exit(main())
