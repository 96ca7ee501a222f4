"""The import box and the 格式检查 page in a real browser (Playwright driving Debian's Chromium).

The server and the browser are the fixtures of test_web_browser.py: skipped
locally when Chromium or Playwright is missing, a failure in CI (CI=true).
Screenshots go to test-output/.
"""
from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import docx
import pytest

from tests.support import OUTPUT_DIR
from tests.test_web_browser import base_url, browser, docx_paragraphs, new_page, sec  # noqa: F401  (fixtures)
from tests.test_web_import_lint import FIXTURES, PASTED, PASTED_TITLE, REPORT, bad_docx
from service import render_report
from service.lint import lint_docx

pytestmark = [pytest.mark.browser]


try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture reports it
    expect = None

DRAFT_TITLE = "我的草稿（导入前）"


def shoot(page: Any, name: str, full_page: bool = False) -> None:
    OUTPUT_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT_DIR / name), full_page=full_page)


def heading_label(page: Any, *path: int) -> Any:
    return page.locator(f'label[for="{sec(*path)[1:]}-heading"] .sec-num')


def write_file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------------------
# The import box


def test_paste_fills_the_outline_shows_warnings_downloads_and_undoes(browser: Any, base_url: str, tmp_path: Path) -> None:
    context, page, problems = new_page(browser)
    page.goto(base_url + "/")
    page.get_by_label("标题", exact=True).fill(DRAFT_TITLE)

    # Nothing to import: a message by the box, the form untouched.
    page.get_by_role("button", name="识别并填入").click()
    expect(page.locator("#f-import-error")).to_contain_text("请先粘贴报告文本")
    expect(page.get_by_label("标题", exact=True)).to_have_value(DRAFT_TITLE)

    page.get_by_label("粘贴报告文本").fill(PASTED)
    page.get_by_role("button", name="识别并填入").click()

    # The form and the outline editor hold the imported report, labels shown live.
    expect(page.get_by_label("标题", exact=True)).to_have_value(PASTED_TITLE)
    expect(page.locator("#f-import-error")).to_be_hidden()
    expect(page.locator("#outline-list > li")).to_have_count(2)
    expect(page.locator(f"{sec(0)}-heading")).to_have_value("主要工作")
    expect(heading_label(page, 0)).to_have_text("一、")
    expect(page.locator(f"{sec(0, 0)}-heading")).to_have_value("防汛抗旱。")
    expect(heading_label(page, 0, 0)).to_have_text("（一）")
    expect(page.locator(f"{sec(0, 0)}-runin")).to_be_checked()
    expect(page.locator(f"{sec(0, 0)}-paras")).to_have_value("全年排查隐患点46处，全部整改到位。")
    expect(page.locator(f"{sec(0, 1)}-heading")).to_have_value("农村供水")
    expect(heading_label(page, 0, 1)).to_have_text("（二）")
    expect(page.locator(f"{sec(0, 1, 0)}-heading")).to_have_value("建设集中供水工程")
    expect(heading_label(page, 0, 1, 0)).to_have_text("1.")
    expect(heading_label(page, 0, 1, 1)).to_have_text("2.")
    expect(heading_label(page, 1)).to_have_text("二、")
    expect(page.locator(f"{sec(1)}-heading")).to_have_value("下一步打算")
    expect(page.get_by_label("署名")).to_have_value("清河县水利局")
    expect(page.get_by_label("成文日期")).to_have_value("2025-12-20")
    expect(page.locator("#paper")).to_contain_text("（一）防汛抗旱。全年排查隐患点46处")

    # The warnings are a visible list naming the removed web-page noise.
    warnings = page.locator("#import-warnings li")
    expect(page.locator("#import-warnings-box")).to_be_visible()
    expect(warnings.filter(has_text="已删除网页噪声（第 1 行）：首页 > 工作动态 > 工作总结")).to_have_count(1)
    expect(warnings.filter(has_text="分享到")).to_have_count(1)
    expect(page.locator("#import-summary")).to_have_text(f"已识别并填入“{PASTED_TITLE}”。")
    expect(page.locator("#notice")).to_contain_text("撤销恢复")
    expect(page.get_by_role("button", name="撤销导入")).to_be_visible()
    page.locator("#import-box").scroll_into_view_if_needed()
    shoot(page, "web-import.png")

    # The labels stay live: moving 农村供水 up renumbers both sections at once.
    page.locator(f"{sec(0, 1)}-tools").get_by_role("button", name="上移", exact=True).click()
    expect(page.locator(f"{sec(0, 0)}-heading")).to_have_value("农村供水")
    expect(heading_label(page, 0, 0)).to_have_text("（一）")
    expect(heading_label(page, 0, 1)).to_have_text("（二）")
    page.locator(f"{sec(0)}-heading").scroll_into_view_if_needed()
    shoot(page, "web-import-outline.png")

    # The Word file has the headings as edited, with GB/T labels and heading styles.
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("下载")).click()
    assert info.value.suggested_filename == f"{PASTED_TITLE}.docx"
    saved = tmp_path / "imported.docx"
    info.value.save_as(saved)
    paragraphs = docx_paragraphs(saved)
    texts = [t for t, _ in paragraphs]
    styles = dict(paragraphs)
    order = [
        "一、主要工作",
        "（一）农村供水",
        "1.建设集中供水工程",
        "新建集中供水工程3处，受益群众1.2万人。",
        "2.开展水质检测",
        "全年检测水样360份，合格率100%。",
        "（二）防汛抗旱。全年排查隐患点46处，全部整改到位。",
        "二、下一步打算",
    ]
    positions = [texts.index(t) for t in order]
    assert positions == sorted(positions)
    assert styles["一、主要工作"] == "Heading 1" and styles["（一）农村供水"] == "Heading 2"
    assert styles["1.建设集中供水工程"] == "Heading 3"
    assert not any("首页" in t or "分享到" in t or "上一篇" in t for t in texts)
    assert lint_docx(saved.read_bytes()).ok

    # 撤销导入 brings the draft from before the import back.
    page.get_by_role("button", name="撤销导入").click()
    expect(page.get_by_label("标题", exact=True)).to_have_value(DRAFT_TITLE)
    expect(page.locator("#import-result")).to_be_hidden()
    assert problems.messages == []
    context.close()


def test_several_reports_a_docx_upload_and_a_bad_file(browser: Any, base_url: str, tmp_path: Path) -> None:
    context, page, problems = new_page(browser)
    page.goto(base_url + "/")
    page.get_by_label("标题", exact=True).fill(DRAFT_TITLE)

    # A page left open past the token's lifetime: the token is renewed and the import goes through.
    page.evaluate(
        """() => {
            document.querySelector('meta[name="csrf-token"]').content = "stale";
            for (const input of document.querySelectorAll('input[name="csrf_token"]')) input.value = "stale";
        }"""
    )
    # A scraped page with two reports: the first is filled in, the other can be chosen.
    page.get_by_label("粘贴报告文本").fill((FIXTURES / "scraped-collection.txt").read_text(encoding="utf-8"))
    page.get_by_role("button", name="识别并填入").click()
    expect(page.get_by_label("标题", exact=True)).to_have_value("桂园社区2023年度工作总结")
    choices = page.locator("#import-choices li")
    expect(choices).to_have_count(2)
    expect(choices.nth(0)).to_contain_text("（已填入）")
    expect(page.locator("#import-warnings")).to_contain_text("序号不连续")
    page.locator("#import-box").scroll_into_view_if_needed()
    shoot(page, "web-import-choices.png")
    page.get_by_role("button", name="填入第 2 份").click()
    expect(page.get_by_label("标题", exact=True)).to_have_value("县统计局2023年工作总结")
    expect(choices.nth(1)).to_contain_text("（已填入）")
    expect(page.locator("#import-summary")).to_be_focused()
    expect(page.locator("#import-summary")).to_contain_text("已填入第 2 份")
    expect(heading_label(page, 0)).to_have_text("一、")
    expect(page.locator(f"{sec(0)}-heading")).to_have_value("统计调查任务圆满完成")
    # Choosing within one import keeps the undo step on the draft from before it.
    page.get_by_role("button", name="撤销导入").click()
    expect(page.get_by_label("标题", exact=True)).to_have_value(DRAFT_TITLE)

    # A .docx upload, chosen from the keyboard-reachable file input.
    path = write_file(tmp_path, "青山镇.docx", render_report(REPORT))
    page.get_by_label("粘贴报告文本").fill("")
    page.get_by_label("或上传文件（.txt 或 .docx）").set_input_files(str(path))
    page.get_by_role("button", name="识别并填入").click()
    expect(page.get_by_label("标题", exact=True)).to_have_value(REPORT["title"])
    expect(page.locator(f"{sec(0, 0)}-runin")).to_be_checked()
    expect(page.locator(f"{sec(0, 1, 0)}-heading")).to_have_value("发展特色产业")
    expect(page.get_by_label("或上传文件（.txt 或 .docx）")).to_have_value("")  # the next click reads the paste

    # A file that is no Word document: the server's Chinese message, the form untouched.
    page.get_by_label("或上传文件（.txt 或 .docx）").set_input_files(str(write_file(tmp_path, "坏.docx", b"PK\x03\x04broken")))
    page.get_by_role("button", name="识别并填入").click()
    expect(page.locator("#f-import-error")).to_contain_text("docx")
    expect(page.locator("#f-import-text")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("标题", exact=True)).to_have_value(REPORT["title"])
    assert problems.messages == []
    context.close()


def test_without_javascript_the_import_fills_the_plain_form(browser: Any, base_url: str, tmp_path: Path) -> None:
    context, page, _ = new_page(browser, java_script_enabled=False)
    page.goto(base_url + "/")
    page.get_by_label("粘贴报告文本").fill(PASTED)
    page.get_by_role("button", name="识别并填入").click()
    expect(page.get_by_label("标题", exact=True)).to_have_value(PASTED_TITLE)
    expect(page.locator("#f-body")).to_have_value(re.compile(r"^一、主要工作\n（一）防汛抗旱。全年排查隐患点46处，全部整改到位。\n（二）农村供水\n1\.建设集中供水工程"))
    noise = page.locator("#import-warnings li").filter(has_text="已删除网页噪声")
    expect(noise.filter(has_text="首页 > 工作动态")).to_have_count(1)
    expect(noise.filter(has_text="分享到")).to_have_count(1)
    page.locator("#import-box").scroll_into_view_if_needed()
    shoot(page, "web-import-nojs.png")
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("下载")).click()
    saved = tmp_path / "plain.docx"
    info.value.save_as(saved)
    texts = [t for t, _ in docx_paragraphs(saved)]
    for expected in ["一、主要工作", "（一）防汛抗旱。全年排查隐患点46处，全部整改到位。", "1.建设集中供水工程", "二、下一步打算", "2025年12月20日"]:
        assert expected in texts, expected
    context.close()


# ---------------------------------------------------------------------------
# 格式检查 and 一键排版


@pytest.mark.parametrize("script", [False, True], ids=["no-js", "js"])
def test_lint_page_findings_and_one_click_retypesetting(browser: Any, base_url: str, tmp_path: Path, script: bool) -> None:
    context, page, problems = new_page(browser, java_script_enabled=script)
    page.goto(base_url + "/")
    if script:  # a draft that the later import must not lose
        page.get_by_label("标题", exact=True).fill(DRAFT_TITLE)
        page.wait_for_timeout(500)
    page.get_by_role("link", name="格式检查").click()
    expect(page).to_have_url(base_url + "/lint")
    expect(page.get_by_role("heading", name="公文格式检查")).to_be_visible()

    page.get_by_label("Word 文档（.docx）").set_input_files(str(write_file(tmp_path, "坏文档.docx", bad_docx())))
    page.get_by_role("button", name="检查格式").click()
    expect(page.locator("#verdict")).to_contain_text("发现 11 处错误")
    errors = page.locator("#findings .finding-error")
    expect(errors).to_have_count(11)
    expect(page.locator("#findings-error")).to_have_text("错误（11）")
    expect(page.locator("#findings-warning")).to_be_visible()
    margins = page.locator('li[data-rule="page.margins"]')
    expect(margins).to_contain_text("全文")
    expect(margins).to_contain_text("上 25 mm（应为 37 mm）")
    gap = page.locator('li[data-rule="heading.sequence"]')
    expect(gap).to_contain_text("第 4 段")
    expect(gap).to_contain_text("三、存在问题")
    expect(gap).to_contain_text("缺少“二、”")
    expect(page.locator('li[data-rule="date.form"]')).to_contain_text("应写作“2022年3月5日”")
    if not script:
        shoot(page, "web-lint-findings.png")
        page.locator("#fix-form").scroll_into_view_if_needed()
        shoot(page, "web-lint-fix-button.png")

    page.get_by_role("button", name="一键排版").click()
    expect(page.get_by_role("heading", name=re.compile("一键排版完成"))).to_be_visible()
    expect(page.locator("#before-verdict")).to_contain_text("发现 11 处错误")
    expect(page.locator("#after-verdict-1")).to_contain_text("符合 GB/T 9704-2012")
    expect(page.locator("#after-1 .finding-error")).to_have_count(0)
    expect(page.locator("#fix-warnings")).to_contain_text("序号不连续")
    if not script:
        shoot(page, "web-lint-fixed.png")

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("下载排版后的文档")).click()
    assert info.value.suggested_filename == "坏文档（已排版）.docx"
    saved = tmp_path / "fixed.docx"
    info.value.save_as(saved)
    fixed = saved.read_bytes()
    report = lint_docx(fixed)
    assert report.ok and not report.errors(), [f.message for f in report.errors()]
    texts = [p.text for p in docx.Document(io.BytesIO(fixed)).paragraphs]
    for line in ["关于2022年工作的总结", "一、主要工作", "二、存在问题", "2022年3月5日"]:
        assert line in texts, line

    if script:
        # On to the form with the imported text; the draft from before stays one click away.
        page.get_by_role("button", name="在填写页面中修改").click()
        expect(page.get_by_label("标题", exact=True)).to_have_value("关于2022年工作的总结")
        expect(heading_label(page, 1)).to_have_text("二、")
        expect(page.locator(f"{sec(1)}-heading")).to_have_value("存在问题")
        expect(page.locator("#import-warnings")).to_contain_text("序号不连续")
        page.get_by_role("button", name="撤销导入").click()
        expect(page.get_by_label("标题", exact=True)).to_have_value(DRAFT_TITLE)
        assert problems.messages == []
    context.close()


def test_lint_page_says_why_a_file_cannot_be_checked(browser: Any, base_url: str, tmp_path: Path) -> None:
    context, page, problems = new_page(browser)
    page.goto(base_url + "/lint")
    page.get_by_label("Word 文档（.docx）").set_input_files(str(write_file(tmp_path, "笔记.docx", b"plain text, not Word")))
    page.get_by_role("button", name="检查格式").click()
    error = page.locator("#f-lint-file-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("不是有效的 .docx 文件")
    shoot(page, "web-lint-error.png")
    # The keyboard reaches the file input and the button, in that order.
    page.locator("#f-lint-file").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="检查格式")).to_be_focused()
    context.close()


PARTS_TEXT = (
    "青禾镇2024年工作总结和2025年工作打算\n发布时间：2025-01-06 09:30 来源：青禾镇\n"
    "一年来，全镇上下团结奋进，各项工作取得新进展。\n2024年工作回顾\n一、经济发展\n全年完成投资3.2亿元,增长5.1%。\n"
    "二、社会事业\n办好十件民生实事。\n2025年工作打算\n一、抓项目\n引进项目8个。\n"
)


def test_imported_parts_are_part_rows_and_a_warning_shows_its_line(browser: Any, base_url: str) -> None:
    context, page, problems = new_page(browser)
    page.goto(base_url + "/")
    expect(page.locator("#f-import-fullwidth")).to_be_checked()
    page.get_by_label("粘贴报告文本").fill(PARTS_TEXT)
    page.get_by_role("button", name="识别并填入").click()

    # Two part rows; 一、 restarts under the second.
    expect(page.locator("#outline-list > li.part")).to_have_count(2)
    expect(page.locator(f"{sec(0)}-heading")).to_have_value("2024年工作回顾")
    expect(heading_label(page, 0)).to_have_text("第一部分")
    expect(heading_label(page, 0, 1)).to_have_text("二、")
    expect(heading_label(page, 1, 0)).to_have_text("一、")
    expect(page.locator(f"{sec(0, 0)}-paras")).to_have_value("全年完成投资3.2亿元，增长5.1%。")  # full-width by default

    # Each warning has its line beside it; a click selects that line in the pasted text.
    noise = page.locator("#import-warnings li[data-line='2']")
    expect(noise).to_contain_text("发布时间")
    noise.get_by_role("button", name="第 2 行").click()
    selected = page.evaluate(
        "() => { const t = document.getElementById('f-import-text'); return t.value.slice(t.selectionStart, t.selectionEnd); }"
    )
    assert selected.startswith("发布时间：2025-01-06")

    # Removing the first part keeps its sections: they join the second part.
    page.locator(f"{sec(0)}-tools").get_by_role("button", name="删除", exact=True).click()
    expect(page.locator("#outline-list > li.part")).to_have_count(1)
    expect(page.locator(f"{sec(0, 0)}-heading")).to_have_value("经济发展")
    expect(page.locator(f"{sec(0, 2)}-heading")).to_have_value("抓项目")
    expect(heading_label(page, 0, 2)).to_have_text("三、")
    assert problems.messages == []
    context.close()


def test_add_part_puts_every_section_under_a_new_part(browser: Any, base_url: str) -> None:
    context, page, problems = new_page(browser)
    page.goto(base_url + "/")
    page.get_by_label("粘贴报告文本").fill(PASTED)
    page.get_by_role("button", name="识别并填入").click()
    expect(page.locator("#outline-list > li")).to_have_count(2)
    page.get_by_role("button", name="添加部分").click()
    expect(page.locator("#outline-list > li.part")).to_have_count(1)
    expect(heading_label(page, 0, 0)).to_have_text("一、")
    expect(heading_label(page, 0, 1)).to_have_text("二、")
    page.locator(f"{sec(0)}-heading").fill("2025年工作回顾")
    expect(page.locator("#paper")).to_contain_text("2025年工作回顾")
    assert problems.messages == []
    context.close()
