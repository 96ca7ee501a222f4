"""Batch throughput and peak memory: our streamed zip against docxtpl, same run.

Each measurement runs in a fresh process so its peak RSS is its own. Prints
documents per second and peak memory for 1,000 and 10,000 reports (docxtpl:
1,000 only by default — at ~10 ms a document, 10,000 take minutes).

    .venv/bin/python bench/batch_bench.py [--sizes 1000 10000] [--docxtpl-sizes 1000]
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "school-duty-report.json"  # about 3 pages


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_ours(n: int) -> dict[str, float]:
    from service.batch import write_zip

    report = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    items = [{**report, "title": f"{report['title']}（{i}）"} for i in range(n)]
    baseline = peak_rss_mb()
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        write_zip(items, out)
        size = out.tell()
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "peak_rss_mb": peak_rss_mb(), "baseline_rss_mb": baseline, "zip_mb": size / 1e6}


def run_docxtpl(n: int) -> dict[str, float]:
    import io
    import zipfile

    from render_bench import block_rows, make_docxtpl_template, render_docxtpl  # a sibling script (bench/ is on sys.path)
    from service.templates import get_kind

    report = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    rows = block_rows(report)
    template = make_docxtpl_template(get_kind("work-summary").base_docx, sorted({r["style"] for r in rows}))
    baseline = peak_rss_mb()
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for i in range(n):
            rows[0] = {**rows[0], "text": f"{report['title']}（{i}）"}
            zf.writestr(f"{i}.docx", render_docxtpl(template, rows))
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "peak_rss_mb": peak_rss_mb(), "baseline_rss_mb": baseline, "zip_mb": 0.0}


def measure(writer: str, n: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--child", writer, str(n)], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="batch throughput and memory")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--docxtpl-sizes", type=int, nargs="*", default=[1000])
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        writer, n = args.child
        print(json.dumps((run_ours if writer == "ours" else run_docxtpl)(int(n))))
        return 0
    print(f"report: {EXAMPLE.name}; one fresh process per row")
    print(f"{'writer':<9}{'reports':>8}{'seconds':>9}{'docs/s':>9}{'peak RSS MB':>13}{'RSS at start':>14}")
    results = {}
    for writer, sizes in (("ours", args.sizes), ("docxtpl", args.docxtpl_sizes)):
        for n in sizes:
            r = measure(writer, n)
            results[(writer, n)] = r
            print(f"{writer:<9}{n:>8}{r['seconds']:>9.2f}{n / r['seconds']:>9.0f}{r['peak_rss_mb']:>13.1f}{r['baseline_rss_mb']:>14.1f}")
    common = [n for n in args.sizes if ("docxtpl", n) in results]
    for n in common:
        ours, tpl = results[("ours", n)], results[("docxtpl", n)]
        print(f"{n} reports: ours {tpl['seconds'] / ours['seconds']:.1f}x faster than docxtpl")
    if len(args.sizes) >= 2:
        small, large = results[("ours", min(args.sizes))], results[("ours", max(args.sizes))]
        print(f"peak memory {min(args.sizes)} → {max(args.sizes)} reports: {small['peak_rss_mb']:.1f} → {large['peak_rss_mb']:.1f} MB "
              f"(input list included; the zip is streamed)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
