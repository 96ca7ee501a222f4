"""The web form's server side, through Flask's test client.

The browser side (outline editor, preview, drafts) is in test_web_browser.py.
"""
from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import docx
import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import require_tool
from service import convert, create_app, validate_report
from service.importer import parse_body
from service.web import form as web_form
from service.web.form import report_from_form
from service.templates import template_kinds

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"




class Page(HTMLParser):
    """The parts of a page the tests look at: elements with attributes, label texts."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.labels: dict[str, str] = {}  # for= → text
        self.texts: dict[str, str] = {}  # id → text (of elements with an id)
        self.selects: dict[str, str] = {}  # select name → its selected option's value
        self.button_texts: list[str] = []
        self._select: str | None = None
        self._open: list[tuple[str, dict[str, str], list[str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.elements.append((tag, attributes))
        if tag == "select":
            self._select = attributes.get("name")
        elif tag == "option" and self._select and ("selected" in attributes or self._select not in self.selects):
            self.selects[self._select] = attributes.get("value", "")
        if tag not in ("input", "meta", "link", "br", "hr", "img"):
            self._open.append((tag, attributes, []))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            open_tag, attributes, chunks = self._open.pop()
            text = "".join(chunks)
            if self._open:
                self._open[-1][2].append(text)
            if open_tag == "label" and "for" in attributes:
                self.labels[attributes["for"]] = " ".join(text.split())
            if "id" in attributes:
                self.texts[attributes["id"]] = text
            if open_tag == "button":
                self.button_texts.append(text.strip())
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][2].append(data)

    def by_id(self, element_id: str) -> dict[str, str]:
        return next(attrs for _, attrs in self.elements if attrs.get("id") == element_id)

    def named(self, name: str) -> list[tuple[str, dict[str, str]]]:
        return [(t, a) for t, a in self.elements if a.get("name") == name]


def get_page(client: FlaskClient, url: str = "/") -> tuple[Page, str]:
    resp = client.get(url)
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    return Page(html), html


def csrf_token(client: FlaskClient) -> str:
    page, _ = get_page(client)
    return page.named("csrf_token")[0][1]["value"]


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def filename_of(resp: Any) -> str:
    m = re.search(r"filename\*=UTF-8''([^;]+)", resp.headers["Content-Disposition"])
    assert m, resp.headers["Content-Disposition"]
    return unquote(m.group(1))


# ---------------------------------------------------------------------------
# The page


def page_data(html: str) -> dict[str, Any]:
    """The JSON the page hands its script."""
    m = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html, re.S)
    assert m
    return json.loads(m.group(1))


def test_page_lists_every_template_kind_and_fills_its_scaffold(client: FlaskClient) -> None:
    page, html = get_page(client)
    kind_options = [a["value"] for t, a in page.elements if t == "option" and a.get("value") in template_kinds()]
    assert kind_options == list(template_kinds())
    # The script gets every kind with its fields and scaffold: nothing hard-coded.
    data = page_data(html)
    assert {k["id"]: (k["fields"], k["scaffold"]) for k in data["kinds"]} == {
        k.id: (list(k.fields), k.scaffold) for k in template_kinds().values()
    }
    for kind in template_kinds().values():
        assert kind.name in html
        kind_page, _ = get_page(client, f"/?template={kind.id}")
        assert kind_page.texts["f-title"] == kind.scaffold["title"]
        assert kind_page.selects["template"] == kind.id


def test_fields_shown_are_the_kinds_fields(client: FlaskClient) -> None:
    """kind.fields decides which top-level fields the form shows."""
    for kind in template_kinds().values():
        page, _ = get_page(client, f"/?template={kind.id}")
        for name in ("subtitle", "speaker", "recipient", "salutation", "signature"):
            box = next(a for t, a in page.elements if t == "div" and a.get("data-group") == name)
            assert ("hidden" in box) == (name not in kind.fields), (kind.id, name)


def test_unknown_template_falls_back_to_the_first_kind(client: FlaskClient) -> None:
    page, _ = get_page(client, "/?template=nope")
    assert page.by_id("template-field")["value"] == next(iter(template_kinds()))


def test_every_control_has_a_visible_label_and_buttons_have_text(client: FlaskClient) -> None:
    page, _ = get_page(client)
    controls = [
        (t, a) for t, a in page.elements
        if t in ("input", "select", "textarea") and a.get("type") != "hidden"
    ]
    assert len(controls) > 15
    for tag, attrs in controls:
        assert attrs.get("id") in page.labels and page.labels[attrs["id"]], f"{tag} {attrs} has no <label for>"
    assert "标题" in page.labels["f-title"]
    assert len(page.button_texts) >= 5 and all(page.button_texts), page.button_texts
    assert "下载" in page.texts["download"]


def test_page_uses_only_local_assets_and_no_inline_script(client: FlaskClient) -> None:
    page, html = get_page(client)
    for tag, attrs in page.elements:
        for attr in ("src", "href", "action", "formaction"):
            url = attrs.get(attr, "")
            assert not re.match(r"^(https?:)?//", url), f"external URL in <{tag} {attr}={url}>"
        assert not [k for k in attrs if k.startswith("on")], f"inline handler on <{tag}>"
        assert "style" not in attrs, f"inline style on <{tag}>"
    scripts = [a for t, a in page.elements if t == "script"]
    assert all(a.get("src") or a.get("type") == "application/json" for a in scripts)
    assert "@import" not in html and "url(http" not in html
    # Every asset the page references is served here.
    for tag, attrs in page.elements:
        url = attrs.get("src") or (attrs.get("href") if tag == "link" else "")
        if url:
            with client.get(url) as resp:  # closing the served file (warnings are errors)
                assert resp.status_code == 200, url
                assert resp.headers["X-Content-Type-Options"] == "nosniff"
    with client.get("/web/static/app.css") as resp:
        css = resp.get_data(as_text=True)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)
    for name in ("app.js", "numbering.js", "outline.js", "preview.js"):
        with client.get(f"/web/static/{name}") as resp:
            js = resp.get_data(as_text=True)
        assert not re.search(r"(import|from)\s*\(?\s*['\"](https?:)?//", js), name


def test_security_headers(client: FlaskClient) -> None:
    resp = client.get("/")
    csp = resp.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Cache-Control"] == "no-store"
    with client.get("/web/static/app.js") as js:  # closes the served file
        assert js.mimetype in ("text/javascript", "application/javascript")
        assert js.headers["X-Content-Type-Options"] == "nosniff"


# ---------------------------------------------------------------------------
# CSRF


def test_form_post_without_csrf_token_is_refused_and_keeps_what_was_typed(client: FlaskClient) -> None:
    resp = client.post("/web/download", data={"title": "没有令牌的标题", "body": "一、总体情况\n正文。"})
    assert resp.status_code == 400
    assert resp.mimetype == "text/html"
    page = Page(resp.get_data(as_text=True))
    assert "安全校验未通过" in page.texts["notice"]
    assert page.texts["f-title"] == "没有令牌的标题"
    assert page.texts["f-body"] == "一、总体情况\n正文。"
    # A fresh token comes with the page, so the next post succeeds.
    token = page.named("csrf_token")[0][1]["value"]
    ok = client.post("/web/download", data={"csrf_token": token, "title": "没有令牌的标题", "body": "一、总体情况\n正文。"})
    assert ok.status_code == 200 and ok.mimetype == DOCX_MIME


def test_wrong_csrf_token_is_refused(client: FlaskClient) -> None:
    csrf_token(client)  # the session has a token, the post brings another
    resp = client.post("/web/download", data={"csrf_token": "forged", "title": "t", "preamble": "x"})
    assert resp.status_code == 400


def test_json_endpoints_need_the_csrf_header(client: FlaskClient) -> None:
    body = {"title": "t", "preamble": ["x"]}
    for url in ("/web/validate", "/web/preview", "/web/preview.pdf", "/web/download"):
        resp = client.post(url, json=body)
        assert resp.status_code == 400, url
        assert resp.get_json()["error"]["code"] == "csrf_failed"
        assert "安全校验未通过" in resp.get_json()["error"]["message"]
    token = csrf_token(client)
    assert client.post("/web/validate", json=body, headers={"X-CSRFToken": token}).status_code == 200


def test_a_fresh_token_can_be_fetched(client: FlaskClient) -> None:
    resp = client.get("/web/csrf-token")
    token = resp.get_json()["token"]
    assert resp.headers["Cache-Control"] == "no-store"
    assert client.post("/web/validate", json={"title": "t", "preamble": ["x"]}, headers={"X-CSRFToken": token}).status_code == 200


# ---------------------------------------------------------------------------
# Downloads


NO_JS_BODY = """一、总体情况
全年工作平稳推进。
（一）抓好重点工作。重点项目全部按期完成。
第二段内容。
（二）加强队伍建设
1.开展培训
（1）专题培训。共举办 6 期。
二、下一步打算
继续努力。"""


def test_plain_form_without_javascript_produces_the_document(client: FlaskClient) -> None:
    token = csrf_token(client)
    form = {
        "csrf_token": token,
        "template": "work-summary",
        "title": "2025年度XX局工作总结",
        "recipient": "县人民政府",
        "preamble": "2025年，我局……现总结如下。",
        "body": NO_JS_BODY,
        "closing": "特此报告。",
        "attachments": "重点项目清单\n培训名册",
        "signature": "XX县XX局",
        "date": "",
        "date_picker": "2025-12-20",
        "font_set": "gb2312",
        "page_numbers": "outside",
        "seal": "on",
    }
    resp = client.post("/web/download", data=form, content_type="multipart/form-data")
    assert resp.status_code == 200
    assert resp.mimetype == DOCX_MIME
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    assert filename_of(resp) == "2025年度XX局工作总结.docx"
    texts = paragraphs(resp.data)
    for expected in [
        "2025年度XX局工作总结",
        "县人民政府：",
        "一、总体情况",
        "全年工作平稳推进。",
        "（一）抓好重点工作。重点项目全部按期完成。",
        "第二段内容。",
        "（二）加强队伍建设",
        "1.开展培训",
        "（1）专题培训。共举办 6 期。",
        "二、下一步打算",
        "特此报告。",
        "XX县XX局",
        "2025年12月20日",
    ]:
        assert expected in texts, expected
    # Run-in: heading and body in one paragraph, the heading in its own run.
    doc = docx.Document(io.BytesIO(resp.data))
    run_in = next(p for p in doc.paragraphs if p.text.startswith("（一）抓好重点工作"))
    assert len(run_in.runs) >= 2


def test_script_path_posts_the_report_json(client: FlaskClient) -> None:
    kind = template_kinds()["work-report"]
    token = csrf_token(client)
    resp = client.post(
        "/web/download",
        data={"csrf_token": token, "report_json": json.dumps(kind.scaffold, ensure_ascii=False)},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 200 and resp.mimetype == DOCX_MIME
    assert filename_of(resp) == kind.scaffold["title"] + ".docx"
    texts = paragraphs(resp.data)
    assert "各位代表：" in texts and "一、2025年工作回顾" in texts


@pytest.mark.parametrize("kind_id", list(template_kinds()))
def test_no_js_form_round_trips_every_scaffold(client: FlaskClient, kind_id: str) -> None:
    """What the plain form shows for a scaffold, posted back unchanged, is the same report."""
    kind = template_kinds()[kind_id]
    page, _ = get_page(client, f"/?template={kind_id}")
    form: dict[str, str] = dict(page.selects)
    for tag, attrs in page.elements:
        name = attrs.get("name")
        if not name or tag not in ("input", "textarea"):
            continue
        if tag == "textarea":
            form[name] = page.texts[attrs["id"]]
        elif attrs.get("type") != "checkbox" or "checked" in attrs:
            form[name] = attrs.get("value", "")
    assert form["template"] == kind_id and form["body"]
    parsed = report_from_form(form)
    assert validate_report(parsed.data) == validate_report(kind.scaffold)


def test_download_name_comes_from_the_title_and_is_safe(client: FlaskClient) -> None:
    token = csrf_token(client)
    report = {"title": "关于“A/B”测试\n的报告", "preamble": ["x"]}
    resp = client.post("/web/download", json=report, headers={"X-CSRFToken": token})
    assert resp.status_code == 200
    assert filename_of(resp) == "关于“A_B”测试 的报告.docx"
    assert re.search(r'filename="[ -~]+"', resp.headers["Content-Disposition"])


# ---------------------------------------------------------------------------
# Validation errors: shown next to the field, everything typed kept


def test_invalid_plain_form_shows_errors_next_to_fields_and_keeps_the_input(client: FlaskClient) -> None:
    token = csrf_token(client)
    form = {
        "csrf_token": token,
        "title": "",
        "subtitle": "副标题\x01有控制字符",
        "body": "一、总体情况\n正文。\n（一）\n内容。",
        "date": "2025-13-45",
        "font_set": "comic",
    }
    resp = client.post("/web/download", data=form)
    assert resp.status_code == 422
    page = Page(resp.get_data(as_text=True))
    assert "不能为空" in page.texts["f-title-error"] or "缺少" in page.texts["f-title-error"]
    assert page.texts["f-date-error"] == "日期不存在：2025年13月45日"
    assert page.by_id("f-date")["aria-invalid"] == "true"
    assert page.by_id("f-date")["value"] == "2025-13-45"
    assert "U+0001" in page.texts["f-subtitle-error"]
    # A section error names the line of the 正文 it came from.
    assert page.texts["f-body-error"].startswith("第 3 行：")
    assert "取值无效" in page.texts["f-font_set-error"]
    assert page.texts["f-body"] == form["body"]
    summary = page.texts["error-summary"]
    assert "请修改以下 5 处问题" in summary and "成文日期" in summary
    assert "hidden" not in page.by_id("error-summary")


def test_rejected_script_post_hands_the_report_back_to_the_script(client: FlaskClient) -> None:
    token = csrf_token(client)
    report = {"title": "t", "preamble": ["x"], "date": "2025-02-30"}
    resp = client.post("/web/download", data={"csrf_token": token, "report_json": json.dumps(report)})
    assert resp.status_code == 422
    data = page_data(resp.get_data(as_text=True))
    assert data["report"] == report
    assert data["errors"] == [{"path": "/date", "message": "日期不存在：2025年2月30日"}]


def test_validate_endpoint_uses_the_models_validation(client: FlaskClient) -> None:
    token = csrf_token(client)
    headers = {"X-CSRFToken": token}
    ok = client.post("/web/validate", json={"title": "t", "preamble": ["x"]}, headers=headers)
    assert ok.status_code == 200 and ok.get_json() == {"ok": True}
    bad = client.post(
        "/web/validate",
        json={"title": "t", "sections": [{"heading": "a", "sections": [{"heading": ""}]}], "date": "x"},
        headers=headers,
    )
    assert bad.status_code == 422
    paths = {d["path"] for d in bad.get_json()["error"]["details"]}
    assert paths == {"/sections/0/sections/0/heading", "/date"}


@pytest.mark.parametrize(
    "body, content_type, status",
    [
        ("{not json", "application/json", 400),
        ("[]", "application/json", 422),
        ("null", "application/json", 422),
        (b"\xff\xfe{", "application/json", 400),
        ('"text"', "application/json", 422),
        ('{"title": 5, "sections": "x"}', "application/json", 422),
        ("title=x", "text/plain", 415),
    ],
)
def test_malformed_json_gets_a_chinese_error_not_a_500(
    client: FlaskClient, body: str | bytes, content_type: str, status: int
) -> None:
    token = csrf_token(client)
    resp = client.post("/web/validate", data=body, content_type=content_type, headers={"X-CSRFToken": token})
    assert resp.status_code == status
    message = resp.get_json()["error"]["message"]
    assert re.search(r"[\u4e00-\u9fff]", message), message


@pytest.mark.parametrize(
    "report_json",
    ["{broken", "[]", "null", '"x"', '{"sections": [1, [2], {"x": 1}]}', '{"title": {"a": 1}, "header": 3, "options": []}'],
)
def test_odd_report_json_in_the_form_never_gives_a_500(client: FlaskClient, report_json: str) -> None:
    token = csrf_token(client)
    resp = client.post("/web/download", data={"csrf_token": token, "report_json": report_json})
    assert resp.status_code in (400, 422)
    assert resp.mimetype == "text/html"
    assert re.search(r"[\u4e00-\u9fff]", resp.get_data(as_text=True))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.text(alphabet=st.sampled_from(list("一二（）()1.、。ab \n\t　")) | st.characters(), max_size=200),
    title=st.text(max_size=30),
    date=st.text(max_size=12),
)
@pytest.mark.slow
def test_any_plain_form_gives_a_document_or_errors(client: FlaskClient, body: str, title: str, date: str) -> None:
    token = csrf_token(client)
    # Form fields travel as UTF-8; lone surrogates cannot be sent by a browser.
    clean = {k: v.encode("utf-8", "replace").decode("utf-8") for k, v in {"body": body, "title": title, "date": date}.items()}
    resp = client.post("/web/download", data={"csrf_token": token, **clean})
    assert resp.status_code in (200, 422)


# ---------------------------------------------------------------------------
# The plain-text body


def test_body_text_becomes_nested_sections() -> None:
    origins: dict[str, tuple[str, int]] = {}
    sections, lead = parse_body("开场白。\n\n一、甲\n（三）乙。乙的正文。\n（1）跳级的丙\n2、丁\n二、戊", origins)
    assert lead == ["开场白。"]
    assert sections == [
        {
            "heading": "甲",
            "run_in": False,
            "paragraphs": [],
            "sections": [
                {
                    "heading": "乙。",
                    "run_in": True,
                    "paragraphs": ["乙的正文。"],
                    "sections": [
                        # （1） right under （一） nests one level down, not two.
                        {"heading": "跳级的丙", "run_in": False, "paragraphs": [], "sections": []},
                        {"heading": "丁", "run_in": False, "paragraphs": [], "sections": []},
                    ],
                }
            ],
        },
        {"heading": "戊", "run_in": False, "paragraphs": [], "sections": []},
    ]
    assert origins["/sections/0/sections/0"] == ("body", 4)
    assert origins["/sections/0/sections/0/sections/1"] == ("body", 6)
    assert origins["/preamble/0"] == ("body", 1)


# ---------------------------------------------------------------------------
# Size limit


def test_too_large_form_post_gets_a_chinese_page(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "s", "INSTANCE_PATH": str(tmp_path), "MAX_CONTENT_LENGTH": 2048})
    client = app.test_client()
    token = csrf_token(client)
    resp = client.post("/web/download", data={"csrf_token": token, "title": "t", "body": "字" * 5000})
    assert resp.status_code == 413
    assert resp.mimetype == "text/html"
    html = resp.get_data(as_text=True)
    assert "内容太大" in html and "2 KB" in html
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_too_large_json_post_gets_a_chinese_json_error(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "s", "INSTANCE_PATH": str(tmp_path), "MAX_CONTENT_LENGTH": 2048})
    client = app.test_client()
    token = csrf_token(client)
    for url in ("/web/validate", "/web/preview"):
        resp = client.post(url, json={"title": "t", "preamble": ["字" * 5000]}, headers={"X-CSRFToken": token})
        assert resp.status_code == 413
        error = resp.get_json()["error"]
        assert error["code"] == "too_large" and "太大" in error["message"]


# ---------------------------------------------------------------------------
# PDF preview


@pytest.fixture()
def no_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "soffice_path", lambda: None)
    monkeypatch.setattr(convert, "available", lambda: False)


def test_pdf_preview_without_libreoffice_is_503_in_chinese(client: FlaskClient, no_libreoffice: None) -> None:
    token = csrf_token(client)
    report = {"title": "t", "preamble": ["x"]}
    for url in ("/web/preview", "/web/preview.pdf"):
        resp = client.post(url, json=report, headers={"X-CSRFToken": token})
        assert resp.status_code == 503, url
        assert "LibreOffice" in resp.get_json()["error"]["message"]
        assert "Word 文档仍可正常下载" in resp.get_json()["error"]["message"]
    # The plain form's 预览 PDF button gets a page.
    resp = client.post("/web/preview.pdf", data={"csrf_token": token, "title": "t", "preamble": "x"})
    assert resp.status_code == 503 and resp.mimetype == "text/html"
    assert "PDF 预览暂不可用" in resp.get_data(as_text=True)
    # And the page does not offer the button at all.
    page, _ = get_page(client)
    assert not [a for t, a in page.elements if a.get("id") == "preview-pdf"]
    assert page_data(client.get("/").get_data(as_text=True))["pdfAvailable"] is False


def test_pdf_preview_when_only_the_binary_is_missing(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """available() says yes but soffice vanished: still a 503, never a 500."""
    monkeypatch.setattr(convert, "soffice_path", lambda: None)
    monkeypatch.setattr(convert, "available", lambda: True)
    token = csrf_token(client)
    resp = client.post("/web/preview", json={"title": "t", "preamble": ["x"]}, headers={"X-CSRFToken": token})
    assert resp.status_code == 503
    assert "LibreOffice" in resp.get_json()["error"]["message"]


def test_pdf_preview_validates_first(client: FlaskClient) -> None:
    token = csrf_token(client)
    resp = client.post("/web/preview", json={"title": "", "preamble": ["x"]}, headers={"X-CSRFToken": token})
    assert resp.status_code == 422
    assert resp.get_json()["error"]["details"][0]["path"] == "/title"


@pytest.mark.libreoffice
def test_pdf_preview_renders_pages(client: FlaskClient) -> None:
    require_tool(convert.available(), "LibreOffice (soffice)")
    token = csrf_token(client)
    report = template_kinds()["work-summary"].scaffold
    resp = client.post("/web/preview", json=report, headers={"X-CSRFToken": token})
    assert resp.status_code == 200
    data = resp.get_json()
    assert data["notice"].startswith("替代字体，仅供预览") and "仿宋_GB2312→" in data["notice"]
    assert data["page_count"] >= 1
    assert data["pdf"].startswith("data:application/pdf;base64,")
    if data["pages"]:  # poppler's pdftoppm draws the page images where it is installed
        assert len(data["pages"]) == data["page_count"]
        assert all(p.startswith("data:image/png;base64,") for p in data["pages"])
    pdf = client.post("/web/preview.pdf", json=report, headers={"X-CSRFToken": token})
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"].startswith("inline;")


def test_an_unexpected_failure_is_a_chinese_500_without_a_trace(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(report: Any) -> bytes:
        raise RuntimeError("engine bug /secret/path")

    monkeypatch.setattr(web_form, "write_docx", broken)
    token = csrf_token(client)
    resp = client.post("/web/download", data={"csrf_token": token, "title": "t", "preamble": "x"})
    assert resp.status_code == 500
    html = resp.get_data(as_text=True)
    assert "服务器内部错误" in html and "secret" not in html
    resp = client.post("/web/download", json={"title": "t", "preamble": ["x"]}, headers={"X-CSRFToken": token})
    assert resp.status_code == 500 and resp.get_json()["error"]["code"] == "internal"
