"""The import box (POST /web/import) and the 格式检查 page (/lint, /lint/fix), through Flask's test client.

The browser side (the script filling the outline editor, downloads) is in
test_web_import_lint_browser.py.
"""
from __future__ import annotations

import base64
import io
import re
import zipfile
from pathlib import Path
from typing import Any, Iterator

import docx
import pytest
from docx.shared import Mm

from flask.testing import FlaskClient

from tests.test_web import DOCX_MIME, Page, csrf_token, get_page, page_data, paragraphs
from service import create_app, render_report
from service.importer import parse_body
from service.web.form import report_from_form
from service.lint import lint_docx
from service.safezip import MAX_UNCOMPRESSED_BYTES

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "importer"
CJK = re.compile(r"[\u4e00-\u9fff]")
JSON = {"Accept": "application/json"}

# A report as people paste it from a web page: labels typed as text, a run-in
# heading, and page furniture around it.
PASTED = """首页 > 工作动态 > 工作总结
来源：清河县水利局  发布时间：2025-12-22  浏览次数：1024
清河县水利局2025年工作总结
2025年，县水利局围绕防汛保安和民生水利，各项工作取得新成效。现将有关情况总结如下。
一、主要工作
（一）防汛抗旱。全年排查隐患点46处，全部整改到位。
（二）农村供水
1.建设集中供水工程
新建集中供水工程3处，受益群众1.2万人。
2.开展水质检测
全年检测水样360份，合格率100%。
二、下一步打算
继续抓好水利工程建设，确保全县安全度汛。
清河县水利局
2025年12月20日
分享到：微信 微博 QQ空间
上一篇：2024年工作总结
"""
PASTED_TITLE = "清河县水利局2025年工作总结"
# (level, heading, run_in) in reading order.
PASTED_HEADINGS = [
    (1, "主要工作", False),
    (2, "防汛抗旱。", True),
    (2, "农村供水", False),
    (3, "建设集中供水工程", False),
    (3, "开展水质检测", False),
    (1, "下一步打算", False),
]

# An engine-made report for the .docx upload and the conforming document.
REPORT: dict[str, Any] = {
    "title": "青山镇2025年工作总结",
    "recipient": "县人民政府",
    "preamble": ["2025年，青山镇在县委、县政府的领导下，各项工作稳步推进。现将有关情况报告如下。"],
    "sections": [
        {
            "heading": "经济发展稳中有进",
            "paragraphs": ["全镇地区生产总值增长6.5%。"],
            "sections": [
                {"heading": "抓好项目建设。", "run_in": True, "paragraphs": ["全年实施重点项目12个，完成投资5.6亿元。"], "sections": []},
                {
                    "heading": "壮大集体经济",
                    "paragraphs": ["村级集体经济收入全部超过20万元。"],
                    "sections": [{"heading": "发展特色产业", "paragraphs": ["新建茶园800亩。"], "sections": []}],
                },
            ],
        },
        {"heading": "民生保障持续加强", "paragraphs": ["新增城镇就业岗位420个。"], "sections": []},
    ],
    "closing": ["特此报告。"],
    "signature": "青山镇人民政府",
    "date": "2025-12-20",
}
REPORT_HEADINGS = [
    (1, "经济发展稳中有进", False),
    (2, "抓好项目建设。", True),
    (2, "壮大集体经济", False),
    (3, "发展特色产业", False),
    (1, "民生保障持续加强", False),
]




@pytest.fixture()
def token(client: FlaskClient) -> str:
    return csrf_token(client)


def flatten(sections: list[dict[str, Any]], level: int = 1) -> Iterator[tuple[int, str, bool]]:
    for section in sections:
        yield level, section["heading"], bool(section.get("run_in"))
        yield from flatten(section.get("sections", []), level + 1)


def bad_docx() -> bytes:
    """A hand-typed document with three faults on purpose: margins, a gap in the
    level-1 labels (一、 then 三、) and a zero-padded date."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(30)
    for text in ["关于2022年工作的总结", "一、主要工作", "全年完成各项任务。", "三、存在问题", "还有不足。", "XX县XX局", "2022年03月05日"]:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b" " * (MAX_UNCOMPRESSED_BYTES + 1), compresslevel=1)
    return buf.getvalue()


def upload(data: bytes, name: str) -> tuple[io.BytesIO, str]:
    return io.BytesIO(data), name


def data_url_bytes(href: str) -> tuple[str, bytes]:
    m = re.fullmatch(r"data:([^;]+);base64,(.+)", href, re.S)
    assert m, href[:80]
    return m.group(1), base64.b64decode(m.group(2))


# ---------------------------------------------------------------------------
# The import box on the page


def test_page_has_the_import_box_with_labels_and_a_link_to_the_checker(client: FlaskClient) -> None:
    page, _ = get_page(client)
    form = page.by_id("import-form")
    assert form["action"] == "/web/import" and form["method"] == "post" and form["enctype"] == "multipart/form-data"
    assert page.labels["f-import-text"] == "粘贴报告文本"
    assert ".docx" in page.labels["f-import-file"] and ".txt" in page.labels["f-import-file"]
    assert page.by_id("f-import-text")["name"] == "text" and page.by_id("f-import-file")["name"] == "file"
    assert page.by_id("import-submit")["type"] == "submit"
    assert page.texts["import-submit"] == "识别并填入"
    assert "粘贴已有文本 / 上传 .docx" in page.texts["import-title"]
    # The form carries its own CSRF token (the import form is a form of its own).
    assert any(a.get("name") == "csrf_token" for t, a in page.elements if t == "input")
    # The header links to the checker, and it is there.
    assert any(t == "a" and a.get("href") == "/lint" for t, a in page.elements)
    assert client.get("/lint").status_code == 200


def test_pasted_text_gives_the_report_with_levels_and_run_in(client: FlaskClient, token: str) -> None:
    resp = client.post("/web/import", data={"csrf_token": token, "text": PASTED}, headers=JSON)
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    body = resp.get_json()
    assert set(body) == {"reports", "warnings"}
    (report,) = body["reports"]
    assert report["title"] == PASTED_TITLE
    assert list(flatten(report["sections"])) == PASTED_HEADINGS
    assert report["sections"][0]["sections"][0]["paragraphs"] == ["全年排查隐患点46处，全部整改到位。"]
    assert report["signature"] == "清河县水利局" and report["date"] == "2025-12-20"
    noise = [w["message"] for w in body["warnings"] if w["message"].startswith("已删除网页噪声")]
    assert any("首页 > 工作动态" in w for w in noise) and any("分享到" in w for w in noise)
    # The answer is the API's: the same importer, the same reports.
    api = client.post("/api/v1/import", data=PASTED.encode("utf-8"), content_type="text/plain")
    assert api.get_json()["reports"] == body["reports"]


def test_an_uploaded_docx_gives_the_report_back(client: FlaskClient, token: str) -> None:
    data = render_report(REPORT)
    resp = client.post("/web/import", data={"csrf_token": token, "file": upload(data, "青山镇.docx")}, headers=JSON)
    assert resp.status_code == 200
    (report,) = resp.get_json()["reports"]
    assert report["title"] == REPORT["title"]
    assert report["recipient"].rstrip("：") == REPORT["recipient"]  # the importer keeps the colon; the engine never doubles it
    assert list(flatten(report["sections"])) == REPORT_HEADINGS
    run_in = report["sections"][0]["sections"][0]
    assert run_in["paragraphs"][0] == "全年实施重点项目12个，完成投资5.6亿元。"
    assert report["date"] == REPORT["date"] and report["signature"] == REPORT["signature"]


def test_a_gbk_text_file_is_read(client: FlaskClient, token: str) -> None:
    resp = client.post("/web/import", data={"csrf_token": token, "file": upload(PASTED.encode("gbk"), "总结.txt")}, headers=JSON)
    assert resp.status_code == 200
    assert resp.get_json()["reports"][0]["title"] == PASTED_TITLE


def test_a_chosen_file_wins_over_the_paste_and_says_so(client: FlaskClient, token: str) -> None:
    data = {"csrf_token": token, "text": "一、别的内容\n正文。", "file": upload(render_report(REPORT), "a.docx")}
    body = client.post("/web/import", data=data, headers=JSON).get_json()
    assert body["reports"][0]["title"] == REPORT["title"]
    assert any("已按文件识别" in w["message"] for w in body["warnings"])


@pytest.mark.parametrize(
    "fields, words",
    [
        ({"text": ""}, "请先粘贴"),
        ({"text": "   \n  "}, "请先粘贴"),
        ({"text": "分享到：微信 微博\n上一篇：2023年工作总结\n下一篇：2024年工作总结"}, "网页噪声"),
        ({"file": (b"", "empty.docx")}, "空的"),
        ({"file": (b"PK\x03\x04 truncated zip", "x.docx")}, "docx"),
        ({"file": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.doc")}, ".doc"),
        ({"file": (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "picture.txt")}, "不是文本文件"),
        ({"file": ("zip-bomb", "bomb.docx")}, "压缩炸弹"),
    ],
    ids=["empty", "blank", "only-noise", "empty-file", "truncated", "old-doc", "binary-txt", "zip-bomb"],
)
def test_bad_input_is_422_with_a_chinese_message(client: FlaskClient, token: str, fields: dict[str, Any], words: str) -> None:
    data: dict[str, Any] = {"csrf_token": token}
    for name, value in fields.items():
        if name == "file":
            content, filename = value
            data["file"] = upload(zip_bomb() if content == "zip-bomb" else content, filename)
        else:
            data[name] = value
    resp = client.post("/web/import", data=data, headers=JSON)
    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["code"] == "import_failed"
    assert CJK.search(error["message"]) and words in error["message"], error["message"]
    assert error["details"][0]["message"] == error["message"]


def test_import_needs_a_form_and_the_csrf_token(client: FlaskClient, token: str) -> None:
    resp = client.post("/web/import", data={"text": PASTED}, headers=JSON)
    assert resp.status_code == 400
    assert resp.get_json()["error"]["code"] == "csrf_failed"
    assert "安全校验未通过" in resp.get_json()["error"]["message"]
    forged = client.post("/web/import", data={"csrf_token": "forged", "text": PASTED}, headers=JSON)
    assert forged.status_code == 400
    # Without JavaScript: the page again, the paste kept, the reason next to the box.
    page = Page(client.post("/web/import", data={"text": PASTED}).get_data(as_text=True))
    assert "安全校验未通过" in page.texts["f-import-error"]
    assert page.texts["f-import-text"] == PASTED
    # The token also travels in the header, as the script sends it.
    ok = client.post("/web/import", data={"text": PASTED}, headers={**JSON, "X-CSRFToken": token})
    assert ok.status_code == 200
    wrong_type = client.post("/web/import", data=PASTED, content_type="text/plain", headers={**JSON, "X-CSRFToken": token})
    assert wrong_type.status_code == 415 and CJK.search(wrong_type.get_json()["error"]["message"])


def test_too_large_import_gets_a_chinese_message(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "s", "INSTANCE_PATH": str(tmp_path), "MAX_CONTENT_LENGTH": 4096})
    client = app.test_client()
    token = csrf_token(client)
    resp = client.post("/web/import", data={"csrf_token": token, "text": "字" * 5000}, headers=JSON)
    assert resp.status_code == 413 and "太大" in resp.get_json()["error"]["message"]
    page_resp = client.post("/web/import", data={"csrf_token": token, "text": "字" * 5000})
    assert page_resp.status_code == 413
    assert "太大" in Page(page_resp.get_data(as_text=True)).texts["f-import-error"]


def test_without_javascript_the_page_comes_back_filled(client: FlaskClient, token: str) -> None:
    resp = client.post("/web/import", data={"csrf_token": token, "text": PASTED})
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    html = resp.get_data(as_text=True)
    page = Page(html)
    assert page.texts["f-title"] == PASTED_TITLE
    assert page.by_id("f-signature")["value"] == "清河县水利局"
    assert page.texts["f-preamble"].startswith("2025年，县水利局")
    # The 正文 textarea holds the sections as labelled lines.
    body = page.texts["f-body"]
    assert body.splitlines()[:4] == ["一、主要工作", "（一）防汛抗旱。全年排查隐患点46处，全部整改到位。", "（二）农村供水", "1.建设集中供水工程"]
    # The warnings are a visible list; the notice says what happened.
    assert "hidden" not in page.by_id("import-result") and "hidden" not in page.by_id("import-warnings-box")
    assert "已删除网页噪声（第 1 行）：首页 > 工作动态 > 工作总结" in page.texts["import-warnings"]
    assert PASTED_TITLE in page.texts["import-summary"] and "请核对" in page.texts["notice"]
    assert page.texts["f-import-text"] == PASTED
    # The script gets the report to load (not the draft) and the import for its own list.
    data = page_data(html)
    assert data["report"]["title"] == PASTED_TITLE
    assert data["imported"]["chosen"] == 0 and len(data["imported"]["reports"]) == 1
    # Posting that form as it stands gives the document with the same outline.
    form = report_from_form({"title": page.texts["f-title"], "body": body, "preamble": page.texts["f-preamble"]})
    assert list(flatten(form.data["sections"])) == PASTED_HEADINGS


def test_several_reports_can_be_chosen_without_javascript(client: FlaskClient, token: str) -> None:
    text = (FIXTURES / "scraped-collection.txt").read_text(encoding="utf-8")
    page = Page(client.post("/web/import", data={"csrf_token": token, "text": text}).get_data(as_text=True))
    assert page.texts["f-title"] == "桂园社区2023年度工作总结"
    assert "hidden" not in page.by_id("import-choices-box")
    assert "识别出 2 份报告" in page.texts["import-summary"]
    # The other report has a form that posts the same text again with its number.
    choice = {a["name"]: a.get("value", "") for t, a in page.elements if t == "input" and a.get("name") in ("file_b64", "file_name", "choice")}
    assert choice["choice"] == "2" and choice["file_name"] == ""
    assert base64.b64decode(choice["file_b64"]).decode("utf-8") == text
    assert "填入第 2 份" in page.button_texts
    again = Page(client.post("/web/import", data={"csrf_token": token, **choice}).get_data(as_text=True))
    assert again.texts["f-title"] == "县统计局2023年工作总结"
    assert again.texts["f-body"].startswith("一、统计调查任务圆满完成")
    assert "已填入第 2 份" in again.texts["import-summary"]
    # The gap in the first report's numbering (三、 then 五、) is among the warnings.
    assert "序号不连续" in again.texts["import-warnings"]


# ---------------------------------------------------------------------------
# The no-JS 正文 parser is the importer's


def test_the_no_js_body_reads_labels_the_way_the_importer_does() -> None:
    origins: dict[str, tuple[str, int]] = {}
    text = "一、主要做法一年来，我校坚持立德树人，成效明显。\n1）开展培训\n（一）、加强领导\n工作目标：全年完成任务。\n①第五级要点"
    sections, lead = parse_body(text, origins)
    assert lead == []
    assert sections == [
        {
            # A heading fused to its body is cut where the body sentence starts.
            "heading": "主要做法",
            "run_in": True,
            "paragraphs": ["一年来，我校坚持立德树人，成效明显。"],
            "sections": [
                # 1） and （一）、 are labels too; （一） after 1） is its sibling, not its child.
                {"heading": "开展培训", "run_in": False, "paragraphs": [], "sections": []},
                {
                    "heading": "加强领导",
                    "run_in": False,
                    # An unlabelled line is always body text in the form, never a guessed heading.
                    "paragraphs": ["工作目标：全年完成任务。"],
                    "sections": [{"heading": "第五级要点", "run_in": False, "paragraphs": [], "sections": []}],
                },
            ],
        }
    ]
    assert origins["/sections/0/paragraphs/0"] == ("body", 1)
    assert origins["/sections/0/sections/1/paragraphs/0"] == ("body", 4)


# ---------------------------------------------------------------------------
# 格式检查


def lint_post(client: FlaskClient, token: str, data: bytes, name: str = "报告.docx") -> Any:
    return client.post("/lint", data={"csrf_token": token, "file": upload(data, name)})


def test_lint_page_has_a_labelled_upload_form_and_works_without_script(client: FlaskClient) -> None:
    resp = client.get("/lint")
    assert resp.status_code == 200
    page = Page(resp.get_data(as_text=True))
    assert page.labels["f-lint-file"] == "Word 文档（.docx）"
    assert page.by_id("f-lint-file")["type"] == "file" and page.by_id("f-lint-file")["name"] == "file"
    assert page.texts["lint-submit"] == "检查格式"
    form = page.by_id("lint-form")
    assert form["action"] == "/lint" and form["enctype"] == "multipart/form-data"
    assert not [a for t, a in page.elements if t == "script"]
    for tag, attrs in page.elements:
        assert not [k for k in attrs if k.startswith("on")] and "style" not in attrs
        for attr in ("src", "href", "action"):
            assert not re.match(r"^(https?:)?//", attrs.get(attr, "")), (tag, attrs)
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff" and resp.headers["Cache-Control"] == "no-store"
    assert any(t == "a" and a.get("href") == "/" for t, a in page.elements)
    assert "16 MB" in page.texts["f-lint-file-help"]


def test_a_conforming_document_passes(client: FlaskClient, token: str) -> None:
    resp = lint_post(client, token, render_report(REPORT), "青山镇.docx")
    assert resp.status_code == 200
    page = Page(resp.get_data(as_text=True))
    assert "符合 GB/T 9704-2012" in page.texts["verdict"]
    assert "verdict-ok" in page.by_id("verdict")["class"]
    assert "findings-error" not in page.texts
    assert "青山镇.docx" in page.texts["result-title"]


def test_a_bad_document_lists_its_findings_by_severity(client: FlaskClient, token: str) -> None:
    data = bad_docx()
    expected = lint_docx(data)
    resp = lint_post(client, token, data, "坏文档.docx")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    page = Page(html)
    errors = [f for f in expected.findings if f.severity == "error"]
    assert page.texts["verdict"].count(f"发现 {len(errors)} 处错误") == 1
    assert page.texts["findings-error"] == f"错误（{len(errors)}）"
    assert page.texts["findings-warning"] == f"警告（{len(expected.findings) - len(errors)}）"
    # Each finding: its message, the paragraph for people (index + 1, or 全文), the quote.
    by_rule = {f.rule: f for f in expected.findings}
    margins, gap, date = by_rule["page.margins"], by_rule["heading.sequence"], by_rule["date.form"]
    assert margins.location["paragraph"] is None and gap.location["paragraph"] == 3 and date.location["paragraph"] == 6
    items = re.findall(r'<li class="finding finding-(\w+)" data-rule="([\w.-]+)">(.*?)</li>', html, re.S)
    shown = {rule: (severity, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()) for severity, rule, body in items}
    assert len(items) == len(expected.findings)
    assert shown["page.margins"][0] == "error" and "全文" in shown["page.margins"][1]
    assert "上 25 mm（应为 37 mm）" in shown["page.margins"][1]
    assert "第 4 段 三、存在问题" in shown["heading.sequence"][1]
    assert "缺少“二、”" in shown["heading.sequence"][1]
    assert "第 7 段 2022年03月05日" in shown["date.form"][1]
    assert "应写作“2022年3月5日”" in shown["date.form"][1]
    listed = page.texts["findings"]
    for f in expected.findings:
        assert f.message in listed, f.rule
    # Errors come first, then warnings.
    severities = [s for s, _, _ in items]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    # The page offers 一键排版 and carries the upload for it.
    assert page.texts["fix-submit"] == "一键排版"
    carried = page.by_id("fix-form")
    assert carried["action"] == "/lint/fix"
    b64 = next(a["value"] for t, a in page.elements if a.get("name") == "docx_b64")
    assert base64.b64decode(b64) == data


def fix_post(client: FlaskClient, token: str, data: bytes, name: str) -> Any:
    return client.post("/lint/fix", data={"csrf_token": token, "docx_b64": base64.b64encode(data).decode(), "filename": name})


def test_one_click_retypesetting_gives_a_conforming_document_with_the_same_headings(client: FlaskClient, token: str) -> None:
    resp = fix_post(client, token, bad_docx(), "坏文档.docx")
    assert resp.status_code == 200
    page = Page(resp.get_data(as_text=True))
    link = page.by_id("fixed-download")
    assert link["download"] == "坏文档（已排版）.docx"
    mimetype, fixed = data_url_bytes(link["href"])
    assert mimetype == DOCX_MIME
    after = lint_docx(fixed)
    assert after.ok and not after.errors()
    texts = paragraphs(fixed)
    # The original's headings, renumbered without the gap; body, signature and date in GB/T form.
    assert texts[0] == "关于2022年工作的总结"
    for line in ["一、主要工作", "全年完成各项任务。", "二、存在问题", "还有不足。", "XX县XX局", "2022年3月5日"]:
        assert line in texts, line
    # Before and after, side by side.
    # Margins, gap, date; and the unformatted title, the 宋体 (theme) headings and body of a plain Word file.
    assert "发现 11 处错误" in page.texts["before-verdict"]
    assert "符合 GB/T 9704-2012" in page.texts["after-verdict-1"]
    assert "after-findings-1-error" not in page.texts
    # Findings name their rule in Chinese; the id stays in the tooltip.
    assert "检查项：序号连续、不重复" in page.texts["before-findings"]
    assert 'title="检查项 id：heading.sequence"' in resp.get_data(as_text=True)
    assert "序号不连续" in page.texts["fix-warnings"]
    # The imported text can go on to the form: the same upload, posted to the import box.
    edit = {a["name"]: a.get("value", "") for t, a in page.elements if t == "input" and a.get("name") in ("file_b64", "file_name")}
    form_page = Page(client.post("/web/import", data={"csrf_token": token, **edit}).get_data(as_text=True))
    assert form_page.texts["f-title"] == "关于2022年工作的总结"
    assert form_page.texts["f-body"].splitlines()[0] == "一、主要工作"


def test_a_document_of_several_reports_is_retypeset_as_a_zip(client: FlaskClient, token: str) -> None:
    document = docx.Document()
    for line in (FIXTURES / "scraped-collection.txt").read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    resp = fix_post(client, token, buf.getvalue(), "合集.docx")
    assert resp.status_code == 200
    page = Page(resp.get_data(as_text=True))
    link = page.by_id("fixed-download")
    assert link["download"] == "合集（已排版）.zip"
    mimetype, data = data_url_bytes(link["href"])
    assert mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert names == ["桂园社区2023年度工作总结.docx", "县统计局2023年工作总结.docx"]
        for name in names:
            assert lint_docx(zf.read(name)).ok, name
    assert "识别出 2 份报告" in page.texts["fixed-summary"]
    assert "符合" in page.texts["after-verdict-1"] and "符合" in page.texts["after-verdict-2"]


@pytest.mark.parametrize(
    "data, name, words",
    [
        (b"just some text, not a Word file", "notes.docx", "zip"),
        (None, "truncated.docx", "docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.doc", ".doc"),
        ("zip-bomb", "bomb.docx", "压缩炸弹"),
        (b"", "empty.docx", "空的"),
    ],
    ids=["text", "truncated", "old-doc", "zip-bomb", "empty"],
)
def test_unreadable_uploads_get_a_chinese_message_on_the_page(
    client: FlaskClient, token: str, data: Any, name: str, words: str
) -> None:
    if data is None:
        data = render_report(REPORT)[:3000]
    elif data == "zip-bomb":
        data = zip_bomb()
    for url in ("/lint", "/lint/fix"):
        resp = client.post(url, data={"csrf_token": token, "file": upload(data, name)})
        assert 400 <= resp.status_code < 500, (url, resp.status_code)
        assert resp.mimetype == "text/html"
        page = Page(resp.get_data(as_text=True))
        message = page.texts["f-lint-file-error"]
        assert CJK.search(message) and words in message, (url, message)
        assert "hidden" not in page.by_id("f-lint-file-error")
        assert page.by_id("f-lint-file")["aria-invalid"] == "true"


def test_lint_posts_need_a_file_a_token_and_a_sane_copy(client: FlaskClient, token: str) -> None:
    missing = client.post("/lint", data={"csrf_token": token})
    assert missing.status_code == 400
    assert "请先选择" in Page(missing.get_data(as_text=True)).texts["f-lint-file-error"]
    no_token = client.post("/lint", data={"file": upload(bad_docx(), "a.docx")})
    assert no_token.status_code == 400
    assert "安全校验未通过" in Page(no_token.get_data(as_text=True)).texts["f-lint-file-error"]
    no_token_fix = client.post("/lint/fix", data={"docx_b64": base64.b64encode(bad_docx()).decode()})
    assert no_token_fix.status_code == 400
    broken = client.post("/lint/fix", data={"csrf_token": token, "docx_b64": "@@@not base64@@@"})
    assert broken.status_code == 400
    assert "已损坏" in Page(broken.get_data(as_text=True)).texts["f-lint-file-error"]


def test_a_document_without_body_text_is_checked_but_not_retypeset(client: FlaskClient, token: str) -> None:
    document = docx.Document()
    document.add_paragraph("")
    document.add_paragraph("\u3000")  # paragraphs, but no text in any
    buf = io.BytesIO()
    document.save(buf)
    resp = fix_post(client, token, buf.getvalue(), "空白.docx")
    assert resp.status_code == 422
    page = Page(resp.get_data(as_text=True))
    assert page.texts["fix-error"].startswith("无法一键排版：")
    assert "verdict" in page.texts  # the check itself is still shown


def test_too_large_lint_upload_and_large_files_in_the_fix_form(tmp_path: Path) -> None:
    data = render_report(REPORT)
    app = create_app({"TESTING": True, "SECRET_KEY": "s", "INSTANCE_PATH": str(tmp_path), "MAX_CONTENT_LENGTH": len(data) + 8 * 1024})
    client = app.test_client()
    token = csrf_token(client)
    # Fits once, but not once more as base64 in a hidden field: the fix form asks for the file again.
    page = Page(lint_post(client, token, data).get_data(as_text=True))
    assert not [a for t, a in page.elements if a.get("name") == "docx_b64"]
    assert page.labels["f-fix-file"] == "再次选择该文件"
    fixed = client.post("/lint/fix", data={"csrf_token": token, "file": upload(data, "x.docx")})
    assert fixed.status_code == 200 and "fixed-download" in Page(fixed.get_data(as_text=True)).texts
    # Too large to accept at all: a Chinese message on the checker's page.
    big = data + b"\0" * (16 * 1024)
    resp = client.post("/lint", data={"csrf_token": token, "file": upload(big, "big.docx")})
    assert resp.status_code == 413
    message = Page(resp.get_data(as_text=True)).texts["f-lint-file-error"]
    assert "太大" in message and re.search(r"超过 \d+ KB", message), message


def test_one_click_retypesetting_keeps_tables(client: FlaskClient, token: str) -> None:
    document = docx.Document()
    document.add_paragraph("关于2022年工作的总结")
    document.add_paragraph("一、主要工作")
    document.add_paragraph("全年完成各项任务，主要指标如下。")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = f"指标{r}{c}"
    document.add_paragraph("XX县XX局")
    document.add_paragraph("2022年3月5日")
    buf = io.BytesIO()
    document.save(buf)
    resp = fix_post(client, token, buf.getvalue(), "带表格.docx")
    assert resp.status_code == 200
    _, fixed = data_url_bytes(Page(resp.get_data(as_text=True)).by_id("fixed-download")["href"])
    cells = [c.text for t in docx.Document(io.BytesIO(fixed)).tables for row in t.rows for c in row.cells]
    assert cells == ["指标00", "指标01", "指标10", "指标11"]
    assert lint_docx(fixed).ok
