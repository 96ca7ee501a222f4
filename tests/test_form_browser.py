"""The form's rough edges, in a real browser (Playwright, Debian Chromium):
undo after delete, 文种 switch keeping typed text, run-in headings ending
before their body, phone width, notes on corrected 发文字号, engine title breaks."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.test_web_browser import base_url, browser, docx_paragraphs, expect, new_page, sec  # noqa: F401  (fixtures)
from tests.support import wait_until

from service.layout import title_lines
from service.templates import template_kinds


def test_delete_then_undo_restores_the_section_and_its_text(browser: Any, base_url: str) -> None:
    context, page, problems = new_page(browser)
    page.goto(base_url + "/")
    first = page.locator(f"{sec(0)}-heading")
    page.locator(f"{sec(0)}-paras").fill("这一章的正文，删掉就没了。")
    heading = first.input_value()
    count = page.locator("#outline-list > li").count()

    page.locator(f"{sec(0)}-tools").get_by_role("button", name="删除", exact=True).click()
    expect(page.locator("#outline-list > li")).to_have_count(count - 1)
    bar = page.locator("#delete-undo")
    expect(bar).to_be_visible()
    expect(bar).to_contain_text(heading[:10])
    bar.get_by_role("button", name="撤销", exact=True).click()
    expect(page.locator("#outline-list > li")).to_have_count(count)
    expect(first).to_have_value(heading)
    expect(page.locator(f"{sec(0)}-paras")).to_have_value("这一章的正文，删掉就没了。")
    expect(bar).to_be_hidden()

    # Ctrl+Z does the same, with focus where the delete left it.
    page.locator(f"{sec(1)}-tools").get_by_role("button", name="删除", exact=True).click()
    expect(page.locator("#outline-list > li")).to_have_count(count - 1)
    page.keyboard.press("Control+z")
    expect(page.locator("#outline-list > li")).to_have_count(count)
    expect(page.locator(f"{sec(0)}-paras")).to_have_value("这一章的正文，删掉就没了。")
    assert not problems.messages, problems.messages
    context.close()


def test_switching_kind_keeps_a_typed_title(browser: Any, base_url: str) -> None:
    context, page, problems = new_page(browser)
    page.goto(base_url + "/")
    duty = template_kinds()["duty-report"]
    page.get_by_label("标题", exact=True).fill("我自己写的标题")
    page.get_by_label("文种").select_option(duty.id)
    expect(page.get_by_label("标题", exact=True)).to_have_value("我自己写的标题")
    # Fields still holding the old example take the new kind's example.
    expect(page.locator(f"{sec(0)}-heading")).to_have_value(duty.scaffold["sections"][0]["heading"])
    expect(page.locator("#notice")).to_contain_text("保留了您填写的标题")
    # The whole switch can be undone.
    page.get_by_role("button", name=re.compile("^撤销切换文种")).click()
    expect(page.get_by_label("文种")).to_have_value("work-summary")
    assert not problems.messages, problems.messages
    context.close()


def test_run_in_heading_without_stop_is_separated_in_the_document(browser: Any, base_url: str, tmp_path: Path) -> None:
    context, page, problems = new_page(browser)
    page.goto(base_url + "/")
    page.get_by_label("标题", exact=True).fill("段首标题测试")
    page.locator(f"{sec(0)}-tools").get_by_role("button", name="添加下级", exact=True).click()
    # The new sub-section's heading has the focus.
    focused = page.evaluate("document.activeElement.id")
    path = tuple(int(n) for n in re.fullmatch(r"sec-([\d-]+)-heading", focused).group(1).split("-"))
    page.locator(f"{sec(*path)}-heading").fill("稳住粮食生产基本盘")
    page.locator(f"{sec(*path)}-runin").check()
    page.locator(f"{sec(*path)}-paras").fill("全年粮食播种面积稳定。")
    # The form says what the document will do, and the preview shows it.
    expect(page.locator(f"{sec(*path)}-runin-note")).to_contain_text("自动加“。”")
    expect(page.locator("#paper")).to_contain_text("稳住粮食生产基本盘。全年粮食播种面积稳定。")
    page.locator(f"{sec(*path)}-heading").fill("稳住粮食生产基本盘！")
    expect(page.locator(f"{sec(*path)}-runin-note")).to_have_count(0)
    page.locator(f"{sec(*path)}-heading").fill("稳住粮食生产基本盘")

    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("下载")).click()
    saved = tmp_path / "doc.docx"
    info.value.save_as(saved)
    texts = [t for t, _ in docx_paragraphs(saved)]
    assert any(t.endswith("稳住粮食生产基本盘。全年粮食播种面积稳定。") for t in texts), texts
    assert not problems.messages, problems.messages
    context.close()


def test_level_four_boxes_stay_wide_on_a_phone(browser: Any, base_url: str) -> None:
    context, page, problems = new_page(browser)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url + "/")
    for depth in range(1, 4):  # 一、 → （一） → 1. → （1）
        path = (0,) * depth
        toggle = page.locator(f"{sec(*path)}-tools-toggle")
        expect(toggle).to_be_visible()
        expect(page.locator(f"{sec(*path)}-tools")).to_be_hidden()  # folded into the menu
        toggle.click()
        page.locator(f"{sec(*path)}-tools").get_by_role("button", name="添加下级", exact=True).click()
    deepest = page.locator(f"{sec(0, 0, 0, 0)}-heading")
    expect(deepest).to_be_visible()
    box = deepest.bounding_box()
    assert box is not None and box["width"] >= 150, box
    assert box["x"] + box["width"] <= 390, box
    paras = page.locator(f"{sec(0, 0, 0, 0)}-paras").bounding_box()
    assert paras is not None and paras["width"] >= 150, paras
    # No sideways scrolling on the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="test-output/form-390px.png") if Path("test-output").is_dir() else None
    assert not problems.messages, problems.messages
    context.close()


def test_corrected_doc_number_is_noted_beside_the_field(browser: Any, base_url: str) -> None:
    context, page, problems = new_page(browser)
    page.goto(base_url + "/")
    page.get_by_label("文种").select_option("red-header-report")
    page.locator("#f-header-doc_number").fill("X政发[2025]08号")
    expect(page.locator("#f-header-doc_number-note")).to_contain_text("X政发〔2025〕8号")
    expect(page.locator("#f-header-doc_number-error")).to_be_hidden()
    page.locator("#f-header-doc_number").fill("X政发(25)第8号")
    page.locator("#f-header-doc_number").blur()
    error = page.locator("#f-header-doc_number-error")
    expect(error).to_contain_text("六角括号")
    expect(error).to_contain_text("四位")
    assert not problems.messages, problems.messages
    context.close()


def test_preview_breaks_a_long_title_where_the_document_does(browser: Any, base_url: str) -> None:
    context, page, problems = new_page(browser)
    page.goto(base_url + "/")
    title = "2025年XX县人民政府关于推进乡村振兴工作情况的报告"
    page.get_by_label("标题", exact=True).fill(title)
    lines = list(title_lines(title))
    assert len(lines) == 2
    shown = page.locator("#paper .pv-title.pv-title-engine")
    expect(shown).to_have_count(1)
    # The scaffold's title stays shown until the engine's answer for the typed one arrives.
    wait_until(lambda: shown.inner_text().split("\n") == lines, 15, "the engine's title lines")
    assert shown.inner_text().split("\n") == lines
    assert not problems.messages, problems.messages
    context.close()
