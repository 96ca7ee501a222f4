"""The 批量生成 page in a real browser (Playwright, Debian Chromium), as a clerk uses it."""
from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from tests.test_batch_skip import sheet_csv
from tests.test_web_browser import base_url, browser, expect, new_page  # noqa: F401  (fixtures)


def test_thirty_rows_two_bad_skip_progress_and_zip(browser: Any, base_url: str, tmp_path: Path) -> None:
    context, page, problems = new_page(browser)
    page.goto(base_url + "/")
    page.get_by_role("navigation").get_by_role("link", name="批量生成").click()
    expect(page.get_by_role("heading", name="批量生成", exact=True)).to_be_visible()

    source = tmp_path / "三十份报告.csv"
    source.write_bytes(sheet_csv(30))
    page.locator("#batch-file").set_input_files(str(source))
    expect(page.locator("#batch-summary")).to_contain_text("28 份可以生成，2 份有问题")
    bad = page.locator("#rows-table tr.row-bad")
    expect(bad).to_have_count(2)
    expect(bad.nth(0).locator("td").first).to_have_text("5")
    expect(bad.nth(0)).to_contain_text("“日期”列：日期不存在")
    expect(bad.nth(1).locator("td").first).to_have_text("9")
    expect(page.locator("#rows-table tr.row-ok")).to_have_count(28)

    # Every value the bar shows is recorded, as the page sets it.
    page.evaluate("""() => {
        window.progressSeen = [];
        const bar = document.getElementById('batch-progress');
        new MutationObserver(() => window.progressSeen.push([bar.value, bar.max]))
            .observe(bar, {attributes: true, attributeFilter: ['value', 'max']});
    }""")
    page.get_by_label("跳过有问题的行", exact=False).check()
    page.get_by_role("button", name="开始生成").click()
    expect(page.locator("#batch-download")).to_be_visible(timeout=120_000)  # hang guard
    expect(page.locator("#batch-progress-text")).to_have_text("已完成：28 / 28 份，跳过 2 份有问题的报告")
    seen = page.evaluate("window.progressSeen")
    values = [v for v, _max in seen]
    assert values == sorted(values), seen  # the bar only moves forward
    assert values[-1] == 28 and seen[-1][1] == 28 and len(set(values)) >= 2, seen

    with page.expect_download() as info:
        page.locator("#batch-download").click()
    path = tmp_path / "out.zip"
    info.value.save_as(path)
    zf = zipfile.ZipFile(path)
    docs = [n for n in zf.namelist() if n.endswith(".docx")]
    assert len(docs) == 28
    report = list(csv.reader(io.StringIO(zf.read("错误报告.csv").decode("utf-8-sig"))))
    assert report[0] == ["行号", "字段", "问题"] and [r[0] for r in report[1:]] == ["5", "9"]
    page.screenshot(path=str(Path("test-output") / "batch-page.png"), full_page=True) if Path("test-output").is_dir() else None
    assert not problems.messages, problems.messages
    context.close()


def test_stop_refuses_and_lists_rows(browser: Any, base_url: str, tmp_path: Path) -> None:
    context, page, problems = new_page(browser)
    page.goto(base_url + "/batch")
    source = tmp_path / "r.csv"
    source.write_bytes(sheet_csv(6))
    page.locator("#batch-file").set_input_files(str(source))
    expect(page.locator("#batch-summary")).to_contain_text("1 份有问题")
    page.get_by_role("button", name="开始生成").click()
    expect(page.locator("#batch-job-error")).to_contain_text("第 5 行，“日期”列")
    context.close()


def test_templates_download_with_the_listed_columns(browser: Any, base_url: str, tmp_path: Path) -> None:
    context, page, _problems = new_page(browser)
    page.goto(base_url + "/batch")
    listed = page.locator("#columns-table tbody th").all_inner_texts()
    with page.expect_download() as info:
        page.locator("#tpl-xlsx").click()
    info.value.save_as(tmp_path / "t.xlsx")
    rows = list(load_workbook(tmp_path / "t.xlsx").active.iter_rows(values_only=True))
    assert list(rows[0]) == listed and len(rows) == 2 and rows[1][1]
    with page.expect_download() as info:
        page.locator("#tpl-csv").click()
    info.value.save_as(tmp_path / "t.csv")
    header = next(csv.reader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8-sig"))))
    assert header == listed
    context.close()
