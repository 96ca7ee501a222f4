"""The web form in a real browser: Playwright driving Debian's Chromium.

A real server (werkzeug, loopback, a free port) runs the app in a thread.
Skipped locally when /usr/bin/chromium is missing; fails in CI (CI=true).
Screenshots go to test-output/ for people to look at.
"""
from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any, Iterator

import docx
import pytest

from tests.support import OUTPUT_DIR, require_tool
from service import convert, create_app, numbering
from service.templates import template_kinds

pytestmark = [pytest.mark.browser]


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TITLE = "2025年度述职报告（浏览器测试）"

try:
    from playwright import sync_api as playwright_api
    from playwright.sync_api import expect
except ImportError:  # reported by the browser fixture: a skip locally, a failure in CI
    playwright_api = None


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from werkzeug.serving import make_server

    instance = tmp_path_factory.mktemp("instance")
    app = create_app({"SECRET_KEY": "browser-test", "INSTANCE_PATH": str(instance)})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_tool(playwright_api is not None, "Playwright (pip install -r requirements-dev.txt)")
    require_tool(CHROMIUM.exists(), f"Chromium ({CHROMIUM})")
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageProblems:
    """Uncaught script errors and CSP violations: each one is a broken page."""

    def __init__(self, page: Any):
        self.messages: list[str] = []
        page.on("pageerror", lambda exc: self.messages.append(f"uncaught: {exc}"))
        page.on("console", self._console)

    def _console(self, msg: Any) -> None:
        text = msg.text
        # 4xx answers (validation 422) are expected; Chromium logs them as errors.
        if msg.type == "error" and not re.search(r"status of 4\d\d", text):
            self.messages.append(f"console: {text}")
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.messages.append(f"csp: {text}")


def new_page(browser: Any, **context_options: Any) -> tuple[Any, Any, PageProblems]:
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True, **context_options
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page, PageProblems(page)


def docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    document = docx.Document(str(path))
    return [(p.text, p.style.name) for p in document.paragraphs]


def sec(*path: int) -> str:
    return "#sec-" + "-".join(map(str, path))


def act(page: Any, path: tuple[int, ...], name: str) -> None:
    page.locator(f"{sec(*path)}-tools").get_by_role("button", name=name, exact=True).click()


def expect_label(page: Any, path: tuple[int, ...], text: str) -> None:
    expect(page.locator(f'label[for="{sec(*path)[1:]}-heading"] .sec-num')).to_have_text(text)


# ---------------------------------------------------------------------------


def test_fill_outline_reorder_download_reload_and_errors(browser: Any, base_url: str, tmp_path: Path) -> None:
    context, page, problems = new_page(browser)
    page.goto(base_url + "/")
    kind = template_kinds()["duty-report"]
    n = len(kind.scaffold["sections"])  # the scaffold's level-1 sections

    # Pick a kind: the form fills with its scaffold and shows the kind's fields.
    page.get_by_label("文种").select_option(kind.id)
    expect(page.get_by_label("标题", exact=True)).to_have_value(kind.scaffold["title"])
    expect(page.locator("#f-speaker")).to_be_visible()
    expect(page.locator("#f-subtitle")).to_be_hidden()
    page.get_by_label("标题", exact=True).fill(TITLE)

    # A new level-1 section with paragraphs, and two sub-sections.
    page.get_by_role("button", name="添加一级标题").click()
    expect(page.locator(f"{sec(n)}-heading")).to_be_focused()
    expect_label(page, (n,), numbering.label(1, n + 1))
    page.locator(f"{sec(n)}-heading").fill("创新工作方法")
    page.locator(f"{sec(n)}-paras").fill("第一段。\n第二段。")
    act(page, (n,), "添加下级")
    page.locator(f"{sec(n, 0)}-heading").fill("推行清单管理。")
    page.locator(f"{sec(n, 0)}-runin").check()
    page.locator(f"{sec(n, 0)}-paras").fill("清单管理成效明显。")
    act(page, (n, 0), "在后面添加")
    page.locator(f"{sec(n, 1)}-heading").fill("完善考核办法")
    page.locator(f"{sec(n, 1)}-paras").fill("考核办法已修订。")
    expect_label(page, (n, 0), "（一）")
    expect_label(page, (n, 1), "（二）")

    # Reorder: labels follow at once.
    act(page, (n, 1), "上移")
    expect(page.locator(f"{sec(n, 0)}-heading")).to_have_value("完善考核办法")
    expect(page.locator(f"{sec(n, 1)}-heading")).to_have_value("推行清单管理。")
    expect(page.locator(f"{sec(n, 0)}-heading")).to_be_focused()
    act(page, (n,), "上移")
    expect(page.locator(f"{sec(n - 1)}-heading")).to_have_value("创新工作方法")
    expect_label(page, (n - 1,), numbering.label(1, n))
    expect(page.locator(f"{sec(n)}-heading")).to_have_value(kind.scaffold["sections"][-1]["heading"])
    expect_label(page, (n,), numbering.label(1, n + 1))
    # Outdent to level 1 and indent back.
    act(page, (n - 1, 1), "升级")
    expect(page.locator(f"{sec(n)}-heading")).to_have_value("推行清单管理。")
    expect_label(page, (n,), numbering.label(1, n + 1))
    expect_label(page, (n + 1,), numbering.label(1, n + 2))
    act(page, (n,), "降级")
    expect(page.locator(f"{sec(n - 1, 1)}-heading")).to_have_value("推行清单管理。")
    expect_label(page, (n - 1, 1), "（二）")

    # The live preview shows the numbered headings, run-in included.
    paper = page.locator("#paper")
    expect(paper).to_contain_text(TITLE)
    expect(paper).to_contain_text(numbering.label(1, n) + "创新工作方法")
    expect(paper).to_contain_text("（一）完善考核办法")
    expect(paper).to_contain_text("（二）推行清单管理。清单管理成效明显。")

    # What a person sees (viewport shots: full-page ones misplace the sticky parts).
    OUTPUT_DIR.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(OUTPUT_DIR / "web-form.png"))
    page.locator(f"{sec(n - 1)}-heading").scroll_into_view_if_needed()
    page.evaluate("document.querySelector('.preview-col').scrollTop = 400")
    page.screenshot(path=str(OUTPUT_DIR / "web-form-outline.png"))

    # Download: the .docx, named after the title, with the outline as edited.
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("下载")).click()
    download = info.value
    assert download.suggested_filename == f"{TITLE}.docx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    paragraphs = docx_paragraphs(saved)
    texts = [t for t, _ in paragraphs]
    styles = dict(paragraphs)
    assert texts[0] == TITLE
    order = [
        numbering.label(1, n) + "创新工作方法",
        "第一段。",
        "第二段。",
        "（一）完善考核办法",
        "考核办法已修订。",
        "（二）推行清单管理。清单管理成效明显。",
        numbering.label(1, n + 1) + kind.scaffold["sections"][-1]["heading"],
    ]
    positions = [texts.index(t) for t in order]
    assert positions == sorted(positions) and positions[-1] - positions[0] == len(order) - 1
    assert styles[order[0]] == "Heading 1"
    assert styles["（一）完善考核办法"] == "Heading 2"
    assert "2" in styles[order[5]]  # the run-in level-2 heading's paragraph style

    # Reload: the draft comes back.
    page.reload()
    expect(page.get_by_label("标题", exact=True)).to_have_value(TITLE)
    expect(page.locator(f"{sec(n - 1)}-heading")).to_have_value("创新工作方法")
    expect(page.locator(f"{sec(n - 1, 1)}-runin")).to_be_checked()
    expect(page.locator("#draft-status")).to_contain_text("已恢复")

    # An invalid date: the message appears next to the field, nothing is downloaded.
    downloads: list[Any] = []
    page.on("download", lambda d: downloads.append(d))
    page.get_by_label("成文日期").fill("2025-13-45")
    page.get_by_role("button", name=re.compile("下载")).click()
    error = page.locator(".field:has(#f-date) #f-date-error")
    expect(error).to_have_text("日期不存在：2025年13月45日")
    expect(page.locator("#f-date")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#error-summary")).to_contain_text("成文日期")
    expect(page.get_by_label("标题", exact=True)).to_have_value(TITLE)
    page.screenshot(path=str(OUTPUT_DIR / "web-form-error.png"))
    # The summary link takes the keyboard to the field.
    page.locator("#error-summary a", has_text="成文日期").click()
    expect(page.locator("#f-date")).to_be_focused()
    # Fixing it clears the message.
    page.get_by_label("成文日期").fill("2025-12-31")
    expect(error).to_be_hidden()
    page.wait_for_timeout(300)
    assert downloads == []
    assert problems.messages == []
    context.close()


def test_labels_match_the_services_numbering(browser: Any, base_url: str) -> None:
    """numbering.js is a port of numbering.py: the same labels for every count."""
    context, page, problems = new_page(browser)
    page.goto(base_url + "/")
    counts = list(range(1, 1201)) + [9999, 10000, 10001, 10010, 100000, 100100, 1000001, 99999999]
    labels = page.evaluate(
        """async (counts) => {
            const m = await import("/web/static/numbering.js");
            return [1, 2, 3, 4].map((level) => counts.map((n) => m.label(level, n)));
        }""",
        counts,
    )
    for level, got in zip(range(1, 5), labels):
        assert got == [numbering.label(level, n) for n in counts], level
    samples = ["一、总体情况", "（二）措施", "(3)x", "3、做法", "1.5倍增长", "十一、其他", "①要点", "总体情况", "  4. 结语"]
    stripped = page.evaluate(
        """async (samples) => {
            const m = await import("/web/static/numbering.js");
            return samples.map((s) => m.stripLabel(s));
        }""",
        samples,
    )
    assert stripped == [numbering.strip_label(s) for s in samples]
    assert problems.messages == []
    context.close()


def test_keyboard_moves_sections(browser: Any, base_url: str) -> None:
    context, page, problems = new_page(browser)
    page.goto(base_url + "/")
    scaffold = template_kinds()[page.locator("#f-template").input_value()].scaffold
    first, second = (s["heading"] for s in scaffold["sections"][:2])
    page.locator(f"{sec(1)}-heading").focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator(f"{sec(0)}-heading")).to_have_value(second)
    expect(page.locator(f"{sec(0)}-heading")).to_be_focused()
    # Buttons work from the keyboard too; focus stays with the moved section.
    page.locator(f"{sec(0)}-tools").get_by_role("button", name="下移", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"{sec(0)}-heading")).to_have_value(first)
    expect(page.locator(f"{sec(1)}-tools").get_by_role("button", name="下移", exact=True)).to_be_focused()
    # Alt+→ makes it the last sub-section of the section above, Alt+← undoes that.
    children = len(scaffold["sections"][0]["sections"])
    page.locator(f"{sec(1)}-heading").focus()
    page.keyboard.press("Alt+ArrowRight")
    expect(page.locator(f"{sec(0, children)}-heading")).to_have_value(second)
    expect(page.locator(f"{sec(0, children)}-heading")).to_be_focused()
    expect_label(page, (0, children), numbering.label(2, children + 1))
    page.keyboard.press("Alt+ArrowLeft")
    expect(page.locator(f"{sec(1)}-heading")).to_have_value(second)
    expect_label(page, (1,), numbering.label(1, 2))
    assert problems.messages == []
    context.close()


def test_clear_undo_export_and_import_json(browser: Any, base_url: str, tmp_path: Path) -> None:
    context, page, problems = new_page(browser)
    page.goto(base_url + "/")
    kind = template_kinds()["work-report"]
    page.get_by_label("文种").select_option(kind.id)
    page.get_by_label("标题", exact=True).fill("导出测试报告")

    with page.expect_download() as info:
        page.get_by_role("button", name="导出 JSON").click()
    exported_path = tmp_path / "exported.json"
    info.value.save_as(exported_path)
    assert info.value.suggested_filename == "导出测试报告.json"
    exported = json.loads(exported_path.read_text(encoding="utf-8"))
    assert exported["template"] == kind.id and exported["title"] == "导出测试报告"
    assert exported["sections"] == [
        {**s, "run_in": s.get("run_in", False), "sections": [{**c, "run_in": c.get("run_in", False)} for c in s["sections"]]}
        for s in kind.scaffold["sections"]
    ]
    assert exported["salutation"] == kind.scaffold["salutation"]

    page.get_by_role("button", name="清空").click()
    expect(page.get_by_label("标题", exact=True)).to_have_value("")
    expect(page.locator("#outline-list > li")).to_have_count(0)
    page.get_by_role("button", name=re.compile("^撤销")).click()
    expect(page.get_by_label("标题", exact=True)).to_have_value("导出测试报告")

    page.get_by_role("button", name="清空").click()
    page.get_by_label("导入 JSON").set_input_files(str(exported_path))
    expect(page.get_by_label("标题", exact=True)).to_have_value("导出测试报告")
    expect(page.locator("#outline-list > li")).to_have_count(len(kind.scaffold["sections"]))
    expect(page.locator("#notice")).to_contain_text("已导入")

    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    page.get_by_label("导入 JSON").set_input_files(str(bad))
    expect(page.locator("#notice")).to_contain_text("不是有效的 JSON")
    expect(page.get_by_label("标题", exact=True)).to_have_value("导出测试报告")
    assert problems.messages == []
    context.close()


def test_without_javascript_the_plain_form_downloads(browser: Any, base_url: str, tmp_path: Path) -> None:
    context, page, _ = new_page(browser, java_script_enabled=False)
    page.goto(base_url + "/")
    expect(page.locator("#outline-list")).to_be_hidden()
    page.get_by_label("标题", exact=True).fill("无脚本提交的工作总结")
    page.locator("#f-body").fill("一、主要成绩\n成绩显著。\n（一）抓落实。全年落实到位。\n二、下一步\n继续努力。")
    page.get_by_label("成文日期").fill("2025年12月5日")
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("下载")).click()
    assert info.value.suggested_filename == "无脚本提交的工作总结.docx"
    saved = tmp_path / "plain.docx"
    info.value.save_as(saved)
    texts = [t for t, _ in docx_paragraphs(saved)]
    for expected in ["一、主要成绩", "成绩显著。", "（一）抓落实。全年落实到位。", "二、下一步", "2025年12月5日"]:
        assert expected in texts

    # Invalid input: the page comes back with the message next to the field and the text kept.
    page.get_by_label("成文日期").fill("2025-02-30")
    page.get_by_role("button", name=re.compile("下载")).click()
    expect(page.locator("#f-date-error")).to_have_text("日期不存在：2025年2月30日")
    expect(page.get_by_label("标题", exact=True)).to_have_value("无脚本提交的工作总结")
    expect(page.locator("#f-body")).to_have_value(re.compile("（一）抓落实"))
    page.locator("#f-date").scroll_into_view_if_needed()
    page.screenshot(path=str(OUTPUT_DIR / "web-form-nojs-error.png"))
    context.close()


def test_pdf_preview_shows_the_rendered_pages(browser: Any, base_url: str) -> None:
    require_tool(convert.available(), "LibreOffice (soffice)")
    context, page, problems = new_page(browser)
    page.goto(base_url + "/")
    page.get_by_role("button", name="预览 PDF").click()
    expect(page.locator("#pdf-panel .badge")).to_have_text("替代字体，仅供预览")
    expect(page.locator("#pdf-pages img").first).to_be_visible(timeout=120_000)
    expect(page.locator("#pdf-status")).to_contain_text("替代字体，仅供预览")
    expect(page.locator("#pdf-open")).to_be_visible()
    page.screenshot(path=str(OUTPUT_DIR / "web-pdf-preview.png"))
    page.get_by_role("button", name="返回实时预览").click()
    expect(page.locator("#paper")).to_be_visible()
    assert problems.messages == []
    context.close()


def test_section_errors_show_next_to_the_section(browser: Any, base_url: str) -> None:
    context, page, problems = new_page(browser)
    page.goto(base_url + "/")
    n = page.locator("#outline-list > li").count()
    page.get_by_role("button", name="添加一级标题").click()
    page.locator(f"{sec(n)}-heading").fill("一、")  # only a label, no words
    page.get_by_role("button", name=re.compile("下载")).click()
    error = page.locator(f"{sec(n)}-heading-error")
    expect(error).to_have_text("章节标题不能为空（只有序号没有文字）")
    expect(page.locator(f"{sec(n)}-heading")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#error-summary a")).to_contain_text(numbering.label(1, n + 1))
    # Removing the section removes the problem.
    act(page, (n,), "删除")
    expect(page.locator("#outline-list > li")).to_have_count(n)
    expect(page.locator("#error-summary")).to_be_hidden()
    assert problems.messages == []
    context.close()


def test_an_expired_csrf_token_is_renewed_before_downloading(browser: Any, base_url: str) -> None:
    """A page left open past the token's lifetime still downloads (the draft is never lost)."""
    context, page, problems = new_page(browser)
    page.goto(base_url + "/")
    page.evaluate(
        """() => {
            document.querySelector('meta[name="csrf-token"]').content = "stale";
            document.querySelector('input[name="csrf_token"]').value = "stale";
        }"""
    )
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("下载")).click()
    assert info.value.suggested_filename.endswith(".docx")
    assert page.locator('input[name="csrf_token"]').input_value() != "stale"
    assert problems.messages == []
    context.close()
