"""The table editor, 段首句 switch and attachment editor in a real browser:
paste a 3 × 4 block of cells copied from Excel/WPS, see it in the preview,
download a document holding that table (Playwright, Debian's Chromium)."""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from tests.test_web_browser import base_url, browser, new_page, sec  # noqa: F401 (fixtures)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BLOCK = "指标\t单位\t目标\t完成\n地区生产总值\t亿元\t18.0\t18.6\n财政收入\t亿元\t2.1\t2.3\n"


def paste(page: Any, selector: str, text: str) -> None:
    """A paste event with tab-separated text, as a spreadsheet puts on the clipboard."""
    page.locator(selector).focus()
    page.locator(selector).evaluate(
        """(el, text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
        }""",
        text,
    )


def tables_of(path: Path) -> list[list[list[str]]]:
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    out = []
    for tbl in root.iter(f"{W}tbl"):
        if any(a.tag == f"{W}txbxContent" for a in tbl.iterancestors()):
            continue  # the 版记
        out.append([["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in tr.iter(f"{W}tc")] for tr in tbl.iter(f"{W}tr")])
    return out


def test_paste_a_3x4_block_into_the_table_editor_and_download_it(browser: Any, base_url: str, tmp_path: Path) -> None:  # noqa: F811
    context, page, problems = new_page(browser)
    page.goto(base_url + "/")
    page.get_by_label("文种").select_option("work-summary")
    page.get_by_label("标题", exact=True).fill("2025年工作总结（表格测试）")

    first = sec(0)
    page.locator(f"{first}-paras").fill("全年主要指标如下。")
    page.locator(f"li:has({first}-heading) > .items-editor > .items-add-table").first.click()
    editor = page.locator(f"li:has({first}-heading) > .items-editor .tbl-editor").first
    cell = editor.locator(".tbl-cell").first
    cell_id = cell.get_attribute("id")
    paste(page, f"#{cell_id}", BLOCK)
    # The grid grows to the pasted block: 3 rows of 4 cells, the first a header row.
    assert editor.locator("tr").count() == 3
    assert editor.locator("tr").nth(0).locator(".tbl-cell").count() == 4
    editor.locator(".tbl-title").fill("表1 主要指标完成情况")
    # Added and removed rows and columns.
    editor.get_by_role("button", name="添加列").click()
    editor.get_by_role("button", name="删除末列").click()
    editor.get_by_role("button", name="添加行").click()
    editor.get_by_role("button", name="删除末行").click()

    # The preview shows the table.
    preview = page.locator("#paper .pv-table")
    assert preview.count() >= 1
    assert preview.first.locator("tr").count() == 3
    assert "地区生产总值" in preview.first.inner_text()

    # A lead sentence and an attachment with a body of its own.
    page.locator("#f-preamble").fill("经济持续稳健发展。全年地区生产总值增长百分之六。")
    page.locator("#f-preamble-lead").check()
    page.locator("#f-attachments-add").click()
    page.locator("#f-attachments").fill("主要指标明细")
    page.locator("#f-attachments-body").check()
    page.locator("#f-attachments-att-preamble").fill("明细如下。")
    assert page.locator("#paper .pv-attachment-label").inner_text() == "附件"
    assert page.locator("#paper .pv-lead").first.inner_text() == "经济持续稳健发展。"

    with page.expect_download() as info:
        page.get_by_role("button", name="下载 Word").click()
    saved = tmp_path / "table.docx"
    info.value.save_as(saved)
    tables = tables_of(saved)
    assert tables == [[["指标", "单位", "目标", "完成"], ["地区生产总值", "亿元", "18.0", "18.6"], ["财政收入", "亿元", "2.1", "2.3"]]]
    xml = zipfile.ZipFile(saved).read("word/document.xml").decode("utf-8")
    assert "表1 主要指标完成情况" in xml and "<w:tblHeader/>" in xml
    assert "GwLeadBold" in xml and "主要指标明细" in xml and "<w:pageBreakBefore/>" in xml
    assert problems.messages == []
    context.close()
