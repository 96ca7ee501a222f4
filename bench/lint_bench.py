"""Checker speed: lint a 15-page document against opening it with python-docx, same run.

The checker reads the package, resolves effective formatting and runs every
rule; python-docx only parses it. Only the ratio measured in one run means
anything on a shared machine (this replaced a wall-clock test assertion).

    .venv/bin/python bench/lint_bench.py [--runs 30]
"""
from __future__ import annotations

import argparse
import io
import json
import statistics
import time
from pathlib import Path
from typing import Callable

import docx as python_docx

from service import render_report
from service.lint import lint_docx

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "town-renda-summary-long.json"


def fifteen_pages() -> bytes:
    long = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    # The long example is 14 pages in LibreOffice; one more section makes 15.
    return render_report({**long, "sections": long["sections"] + long["sections"][:1]})


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm caches (imports, lru caches)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    data = fifteen_pages()
    lint = median_ms(lambda: lint_docx(data), args.runs)
    baseline = median_ms(lambda: python_docx.Document(io.BytesIO(data)), args.runs)
    print(f"lint_docx (15 pages):        {lint:7.1f} ms")
    print(f"python-docx open (baseline): {baseline:7.1f} ms")
    print(f"ratio lint / open:           {lint / baseline:7.2f}")


if __name__ == "__main__":
    main()
