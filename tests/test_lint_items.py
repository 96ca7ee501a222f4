"""Checker rules for tables and attachment pages: silent on the engine's own
output, and each one firing on a document broken in its way."""
from __future__ import annotations

import io
import zipfile
from typing import Callable

import pytest

from tests.itemsdata import items_report, wide_table
from service import render_report
from service.docx import base_template as T
from service.lint import lint_docx

NEW_RULES = ("table.cell-spacing", "table.header-repeat", "table.width", "attachment.new-page", "attachment.label",
             "attachment.title-position", "attachment.note-consistency")


def rewritten(data: bytes, change: Callable[[str], str]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            content = src.read(name)
            if name == "word/document.xml":
                new = change(content.decode("utf-8"))
                assert new != content.decode("utf-8"), "the change must change something"
                content = new.encode("utf-8")
            out.writestr(name, content)
    return buf.getvalue()


@pytest.fixture(scope="module")
def engine_doc() -> bytes:
    return render_report(items_report(closing=["附表如下。", wide_table()]))


def rules(data: bytes) -> set[str]:
    return {f.rule for f in lint_docx(data).findings}


def test_the_engines_tables_and_attachment_pages_raise_nothing(engine_doc: bytes) -> None:
    assert not rules(engine_doc) & set(NEW_RULES)


BREAKAGES: dict[str, Callable[[str], str]] = {
    "table.cell-spacing": lambda x: x.replace(f'<w:pStyle w:val="{T.S_TABLE_CELL}"/>',
                                              f'<w:pStyle w:val="{T.S_TABLE_CELL}"/><w:spacing w:line="579" w:lineRule="exact"/>'),
    "table.header-repeat": lambda x: x.replace("<w:cantSplit/><w:tblHeader/>", "<w:cantSplit/>"),
    "table.width": lambda x: x.replace('<w:tblGrid><w:gridCol w:w="', '<w:tblGrid><w:gridCol w:w="4'),
    "attachment.new-page": lambda x: x.replace("<w:pageBreakBefore/>", "", 1),
    "attachment.label": lambda x: x.replace(f'<w:pStyle w:val="{T.S_ATTACHMENT_LABEL}"/>',
                                            f'<w:pStyle w:val="{T.S_ATTACHMENT_LABEL}"/><w:jc w:val="center"/>', 1).replace(
                                                "<w:keepNext/><w:pageBreakBefore/><w:jc", "<w:keepNext/><w:pageBreakBefore/><w:jc"),
    "attachment.title-position": lambda x: x.replace(
        '<w:p><w:pPr><w:pStyle w:val="GwTitle"/><w:spacing w:before="579"/>', '<w:p><w:pPr><w:pStyle w:val="GwTitle"/><w:spacing w:before="1737"/>'),
    "attachment.note-consistency": lambda x: x.replace("3.分月完成情况", "3.分月统计表"),
}


@pytest.mark.parametrize("rule", NEW_RULES)
def test_each_rule_fires_on_a_document_broken_its_way(engine_doc: bytes, rule: str) -> None:
    broken = rewritten(engine_doc, BREAKAGES[rule])
    found = [f for f in lint_docx(broken).findings if f.rule in NEW_RULES]
    assert rule in {f.rule for f in found}, found
    finding = next(f for f in found if f.rule == rule)
    assert finding.location["paragraph"] is not None and finding.message


def test_a_single_attachment_is_labelled_without_a_number() -> None:
    data = render_report(items_report(attachments=[{"name": "实施情况", "preamble": ["内容。"]}]))
    assert not rules(data) & set(NEW_RULES)
    broken = rewritten(data, lambda x: x.replace("附件：实施情况", "附件：1.实施情况\u3000"))
    assert not rules(broken) & {"attachment.note-consistency"}


def test_attachment_pages_typed_by_hand_are_checked() -> None:
    """A hand-made document: "附件2" typed on the page after the signature, without a page break."""
    import docx as python_docx

    doc = python_docx.Document()
    for text in ("关于2025年工作的总结", "全年工作顺利完成。", "附件：1.项目清单", "2.资金明细", "某某局", "2025年12月5日",
                 "附件1", "", "项目清单", "内容。", "附件2", "", "资金情况", "内容。"):
        doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    found = {(f.rule, f.location["text"]) for f in lint_docx(buf.getvalue()).findings if f.rule.startswith("attachment.")}
    rules_found = {r for r, _ in found}
    assert "attachment.new-page" in rules_found  # neither label starts a page
    assert ("attachment.note-consistency", "资金情况") in found  # 附件说明 says 资金明细
