"""Render speed: our engine against docxtpl and plain python-docx, same run.

Renders the long example (about 14 pages) many times with each and prints the
median time per report and the ratios. The machines are shared and noisy, so
only ratios measured in one run mean anything.

    .venv/bin/python bench/render_bench.py [--runs 200]
"""
from __future__ import annotations

import argparse
import io
import json
import statistics
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent

import docx as python_docx
from docxtpl import DocxTemplate

from service import render_report
from service import layout as L
from service.docx import base_template as T
from service.layout import layout_report
from service.model import validate_report
from service.templates import get_kind

EXAMPLE = ROOT / "examples" / "town-renda-summary-long.json"


def block_rows(report: dict[str, Any]) -> list[dict[str, str]]:
    """The same content as (style, text) rows, for the other two writers."""
    rows = []
    for b in layout_report(validate_report(report)):
        if isinstance(b, L.Title):
            rows.append({"style": T.S_TITLE, "text": "".join(b.lines)})
        elif isinstance(b, L.Heading):
            style = T.S_HEADING[b.level - 1] if b.body is None else T.S_RUN_IN[b.level - 1]
            rows.append({"style": style, "text": b.label + b.text + (b.body or "")})
        elif isinstance(b, L.AttachmentItem):
            rows.append({"style": T.S_ATTACHMENT, "text": b.prefix + b.name})
        elif isinstance(b, L.TitleNote):
            rows.append({"style": T.S_SUBTITLE, "text": "".join(b.lines)})
        else:
            rows.append({"style": {L.Recipient: T.S_RECIPIENT, L.Signature: T.S_SIGNATURE, L.DateLine: T.S_DATE}.get(type(b), T.S_BODY), "text": b.text})
    return rows


def make_docxtpl_template(base: Path, styles: list[str]) -> bytes:
    """A docxtpl template on our base.docx: one paragraph per style, chosen in a loop."""
    doc = python_docx.Document(str(base))
    body = doc.element.body
    for p in list(body.iterchildren()):
        if not p.tag.endswith("sectPr"):
            body.remove(p)
    doc.add_paragraph("{%p for row in rows %}")
    for i, style in enumerate(styles):
        keyword = "if" if i == 0 else "elif"
        doc.add_paragraph(f"{{%p {keyword} row.style == '{style}' %}}")
        doc.add_paragraph("{{ row.text }}", style=_style_name(doc, style))
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _style_name(doc: Any, style_id: str) -> str:
    for st in doc.styles:
        if st.style_id == style_id:
            return st.name
    raise KeyError(style_id)


def render_docxtpl(template: bytes, rows: list[dict[str, str]]) -> bytes:
    tpl = DocxTemplate(io.BytesIO(template))
    tpl.render({"rows": rows})
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def render_python_docx(base: Path, rows: list[dict[str, str]], names: dict[str, str]) -> bytes:
    doc = python_docx.Document(str(base))
    body = doc.element.body
    for p in list(body.iterchildren()):
        if not p.tag.endswith("sectPr"):
            body.remove(p)
    for row in rows:
        doc.add_paragraph(row["text"], style=names[row["style"]])
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def median_ms(fn: Callable[[], bytes], runs: int) -> tuple[float, int]:
    size = len(fn())  # warm-up (and caches)
    for _ in range(min(5, runs)):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="render speed against docxtpl and python-docx")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args(argv)
    report = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    base = get_kind("work-summary").base_docx
    rows = block_rows(report)
    styles = sorted({r["style"] for r in rows})
    template = make_docxtpl_template(base, styles)
    probe = python_docx.Document(str(base))
    names = {s: _style_name(probe, s) for s in styles}
    chars = sum(len(r["text"]) for r in rows)

    # The three must write the same text, or the comparison means nothing.
    for render in (lambda: render_report(report), lambda: render_docxtpl(template, rows), lambda: render_python_docx(base, rows, names)):
        written = [p.text.replace("\n", "") for p in python_docx.Document(io.BytesIO(render())).paragraphs if p.text]
        assert written == [r["text"] for r in rows], "writers disagree on the text"

    ours, our_size = median_ms(lambda: render_report(report), args.runs)
    tpl, tpl_size = median_ms(lambda: render_docxtpl(template, rows), max(20, args.runs // 10))
    pd, pd_size = median_ms(lambda: render_python_docx(base, rows, names), max(20, args.runs // 10))

    print(f"report: {EXAMPLE.name}, {len(rows)} paragraphs, {chars} characters (about {chars / (28 * 22):.0f}+ pages)")
    print(f"{'writer':<14}{'median ms':>10}{'docx bytes':>12}{'vs ours':>9}")
    for name, ms, size in (("ours", ours, our_size), ("docxtpl", tpl, tpl_size), ("python-docx", pd, pd_size)):
        print(f"{name:<14}{ms:>10.2f}{size:>12}{ms / ours:>8.1f}x")
    print(f"ours is {tpl / ours:.1f}x faster than docxtpl (target ≥ 5x) and {pd / ours:.1f}x faster than python-docx")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
