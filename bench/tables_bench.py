"""Tables cost: a report with three 40-row tables against the same report
without them, rendered in the same run (the target: within 2×).

Two baselines: the same report without the tables (the target's), and the
same report with the tables' words as plain paragraphs (a row a paragraph),
which shows what setting words as a table costs. The three renders alternate
one by one, so a noisy neighbour slows them alike; medians of many runs.
Machines are shared and noisy: only ratios measured in one run mean anything.

    .venv/bin/python bench/tables_bench.py [--runs 200]
"""
from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service import render_report  # noqa: E402

EXAMPLE = ROOT / "examples" / "town-renda-summary-long.json"


def table(n: int) -> dict[str, Any]:
    return {"table": {
        "title": f"表{n} 重点项目推进情况",
        "header": [["序号", "项目名称", "责任单位", "计划投资（万元）", "完成率"]],
        "rows": [[str(i), f"第{i}号民生实事项目建设", "县发展改革局", f"{1000 + 37 * i}", f"{60 + i % 40}%"] for i in range(1, 41)],
        "notes": ["注：完成率按财务支出计算。"],
    }}


def as_paragraphs(item: dict[str, Any]) -> list[str]:
    t = item["table"]
    return [t["title"], *("　".join(row) for row in t["header"] + t["rows"]), *t["notes"]]


def reports() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    base = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    with_tables = copy.deepcopy(base)
    as_text = copy.deepcopy(base)
    for n, (a, b) in enumerate(zip(with_tables["sections"], as_text["sections"]), start=1):
        if n > 3:
            break
        a["paragraphs"] = list(a.get("paragraphs", [])) + [table(n)]
        b["paragraphs"] = list(b.get("paragraphs", [])) + as_paragraphs(table(n))
    return with_tables, base, as_text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    docs = reports()
    for doc in docs:
        render_report(doc)  # warm the caches
    times: list[list[float]] = [[], [], []]
    for _ in range(args.runs):
        for i, doc in enumerate(docs):
            start = time.perf_counter()
            render_report(doc)
            times[i].append(time.perf_counter() - start)
    t_with, t_without, t_text = (statistics.median(t) * 1000 for t in times)
    print(f"long example + three 40-row tables: {t_with:.2f} ms/report")
    print(f"long example without the tables:    {t_without:.2f} ms/report")
    print(f"long example + the tables' words as paragraphs: {t_text:.2f} ms/report")
    print(f"ratio with/without tables: {t_with / t_without:.2f}x (target: within 2x)")
    print(f"ratio tables/same words as paragraphs: {t_with / t_text:.2f}x")
    # The fastest of many runs is what the code costs when no neighbour interferes.
    b_with, b_without, b_text = (min(t) * 1000 for t in times)
    print(f"best runs: {b_with:.2f} / {b_without:.2f} / {b_text:.2f} ms; "
          f"ratios {b_with / b_without:.2f}x without tables, {b_with / b_text:.2f}x same words as paragraphs")


if __name__ == "__main__":
    main()
