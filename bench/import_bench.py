"""Import speed: a 20,000-character text through the importer, against a
trivial baseline measured in the same run.

The text is the importer's own fixtures (scraped pages, hard-wrapped PDF
copy, speeches) repeated until it is at least 20,000 characters long, so every
pass — noise, rejoining, report splitting, headings — has work to do. The
baseline is what any importer must at least do: ``str.splitlines`` and one
label regex over every line. The machines are shared and noisy: the median
and the ratio measured in one run are what mean something.

    .venv/bin/python bench/import_bench.py [--runs 200] [--chars 20000] [--text FILE]

``--text FILE`` repeats that file instead (e.g. a page from ../shared/samples).
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent

from service import numbering
from service.importer import chrome, genre, import_text
from service.importer.labels import read_label

FIXTURES = ROOT / "tests" / "fixtures" / "importer"


def bench_text(chars: int, source: Path | None = None) -> str:
    files = [source] if source else sorted(FIXTURES.glob("*.txt"))
    pieces = [p.read_text(encoding="utf-8") for p in files]
    if not pieces:
        raise SystemExit(f"no fixtures in {FIXTURES}")
    text = ""
    while len(text) < chars:
        text += "\n\n".join(pieces) + "\n\n"
    return text


def cold_import(text: str) -> object:
    """import_text as on a new text: the label cache (it serves the passes of
    one import) must not carry over from the previous run of the same text."""
    read_label.cache_clear()
    chrome.category.cache_clear()
    genre.parse_date_line.cache_clear()
    return import_text(text)


def one_line_import(text: str) -> object:
    """The same text with its line breaks lost (a page copied from a PDF viewer):
    the whole of it is cut apart at labels, titles and end matter."""
    return cold_import(text)


def baseline(text: str) -> int:
    """Split into lines and look for a label on each: the least an importer does."""
    return sum(1 for line in text.splitlines() if numbering.LABEL_RE.match(line))


def median_ms(fn: Callable[[str], object], text: str, runs: int) -> float:
    fn(text)  # warm caches (compiled regexes, imports)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--chars", type=int, default=20_000)
    parser.add_argument("--text", type=Path, default=None, help="a text file to repeat instead of the fixtures")
    args = parser.parse_args()
    text = bench_text(args.chars, args.text)
    result = import_text(text)
    importer = median_ms(cold_import, text, args.runs)
    base = median_ms(baseline, text, args.runs)
    print(f"text: {len(text)} characters, {text.count(chr(10)) + 1} lines → {len(result.reports)} reports")
    print(f"{'':<34}{'median':>10}{'vs baseline':>14}")
    print(f"{'importer (import_text)':<34}{importer:>8.2f} ms{importer / base:>13.1f}×")
    print(f"{'baseline (splitlines + LABEL_RE)':<34}{base:>8.2f} ms{1:>13.1f}×")
    fused = text.replace("\n", " ")
    one_line = median_ms(one_line_import, fused, max(5, args.runs // 10))
    print(f"{'importer, all on one line':<34}{one_line:>8.2f} ms{one_line / base:>13.1f}×")


if __name__ == "__main__":
    main()
