"""import_docx: a .docx's body paragraphs, as a reader sees them."""
from __future__ import annotations

import json

import copy
import io
import zipfile

import pytest
from docx import Document
from docx.shared import Pt
from docx.oxml.ns import qn
from tests.test_importer import assert_every_character_accounted_for, flatten

from service.importer import ImportFailed, import_docx, import_text
from service.model import MAX_TABLE_COLUMNS

BODY = "全年共完成重点任务十二项，群众满意度明显提升。"


def _docx(*paragraphs: str, table: bool = False) -> Document:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if table:
        doc.add_table(rows=1, cols=2).cell(0, 0).text = "表格里的文字"
    return doc


def _bytes(doc: Document) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_paragraphs_are_read_like_lines_of_text() -> None:
    paragraphs = ["2023年工作总结", BODY, "一、主要做法", "（一）抓项目。" + BODY, "青山镇人民政府", "2023年12月20日"]
    from_docx = import_docx(_bytes(_docx(*paragraphs)))
    assert from_docx.reports == import_text("\n".join(paragraphs)).reports
    assert from_docx.reports[0]["date"] == "2023-12-20"


def test_a_paragraph_boundary_is_a_hard_break() -> None:
    # In plain text the unfinished first line would continue on the next;
    # two Word paragraphs are two paragraphs.
    long_unfinished = "全镇上下围绕年度目标任务，坚持项目为王，扎实推进重点工作，全年共实施重点项目二十个"
    report = import_docx(_bytes(_docx("2023年工作总结", long_unfinished, BODY))).reports[0]
    assert report["preamble"] == [long_unfinished, BODY]


def test_line_breaks_inside_a_paragraph_split_it() -> None:
    doc = _docx(BODY)
    title = doc.paragraphs[0].insert_paragraph_before("")
    title.add_run("青山镇人民政府")
    title.add_run().add_break()
    title.add_run("关于2023年度安全生产工作情况的报告")
    report = import_docx(_bytes(doc)).reports[0]
    assert report["title"] == "青山镇人民政府关于2023年度安全生产工作情况的报告"


def test_tracked_insertions_count_and_deletions_do_not() -> None:
    doc = _docx("2023年工作总结", BODY)
    paragraph = doc.paragraphs[1]._p
    inserted = paragraph.makeelement(qn("w:ins"), {qn("w:id"): "1", qn("w:author"): "审稿人"})
    run = copy.deepcopy(paragraph.findall(qn("w:r"))[0])
    run.find(qn("w:t")).text = "新增内容。"
    inserted.append(run)
    paragraph.append(inserted)
    deleted = paragraph.makeelement(qn("w:del"), {qn("w:id"): "2", qn("w:author"): "审稿人"})
    gone = copy.deepcopy(run)
    gone.find(qn("w:t")).tag = qn("w:delText")
    deleted.append(gone)
    paragraph.append(deleted)
    assert import_docx(_bytes(doc)).reports[0]["preamble"] == [BODY + "新增内容。"]


def test_tables_become_table_items() -> None:
    doc = _docx("2023年工作总结", BODY, table=True)
    doc.tables[0].cell(0, 1).text = "第二格"
    result = import_docx(_bytes(doc))
    assert result.reports[0]["preamble"] == [BODY, {"table": {"header": [["表格里的文字", "第二格"]], "rows": []}}]
    assert [w.code for w in result.warnings if w.code.startswith("table")] == ["tables_imported"]


def test_a_caption_above_and_notes_below_go_into_the_table_and_merged_cells_keep_their_spans() -> None:
    doc = _docx("2023年工作总结", BODY, "表1 主要指标完成情况")
    table = doc.add_table(rows=3, cols=3)
    for r in range(3):
        for c in range(3):
            table.cell(r, c).text = f"格{r}{c}" if (r, c) != (2, 0) else ""
    table.cell(0, 1).merge(table.cell(0, 2))  # gridSpan
    table.cell(1, 0).merge(table.cell(2, 0))  # vMerge
    doc.add_paragraph("注：数据截至年底。")
    doc.add_paragraph(BODY)
    items = import_docx(_bytes(doc)).reports[0]["preamble"]
    assert items[0] == BODY and items[2] == BODY and len(items) == 3
    table_item = items[1]["table"]
    assert table_item["title"] == "表1 主要指标完成情况" and table_item["notes"] == ["注：数据截至年底。"]
    assert table_item["header"] == [["格00", {"text": "格01\n格02", "colspan": 2, "rowspan": 1}]]
    assert table_item["rows"] == [[{"text": "格10", "colspan": 1, "rowspan": 2}, "格11", "格12"], ["格21", "格22"]]


def test_a_table_the_model_cannot_hold_is_kept_as_text_lines() -> None:
    doc = _docx("2023年工作总结", BODY)
    wide = doc.add_table(rows=2, cols=MAX_TABLE_COLUMNS + 1)
    for c in range(MAX_TABLE_COLUMNS + 1):
        wide.cell(0, c).text = f"列{c}"
    result = import_docx(_bytes(doc))
    preamble = result.reports[0]["preamble"]
    assert preamble[0] == BODY and preamble[1].startswith("列0\u3000列1\u3000")
    assert [w.code for w in result.warnings if w.code.startswith("table")] == ["table_as_text"]


def test_a_document_of_a_title_and_a_table_is_imported() -> None:
    doc = Document()
    title = doc.add_paragraph()
    title.alignment = 1  # centred
    title.add_run("表格材料样例").font.size = Pt(22)
    table = doc.add_table(rows=2, cols=2)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = f"第{r + 1}行第{c + 1}列数据"
    report = import_docx(_bytes(doc)).reports[0]
    assert report["title"] == "表格材料样例"
    assert report["preamble"] == [{"table": {"header": [["第1行第1列数据", "第1行第2列数据"]], "rows": [["第2行第1列数据", "第2行第2列数据"]]}}]


def test_web_noise_removal_never_deletes_a_word_files_own_lines() -> None:
    # The noise filter is for pasted web pages: in a Word file "来源：https://…"
    # and "审核：[审核人]" are the author's own lines (issue 21).
    lines = (BODY, "一、主要做法", BODY, "来源：https://example.com/a", "审核：[审核人]")
    doc = _docx(*lines)
    title = doc.paragraphs[0].insert_paragraph_before()
    title.alignment = 1  # a centred 22 pt title: a formatted Word file, not text pasted into Word
    title.add_run("2023年工作总结").font.size = Pt(22)
    result = import_docx(_bytes(doc))
    assert not any(w.code == "noise_removed" for w in result.warnings)
    kept = json.dumps(result.reports, ensure_ascii=False)
    assert "来源：https://example.com/a" in kept and "审核：[审核人]" in kept


def test_web_text_pasted_into_word_unformatted_loses_its_noise() -> None:
    # Every line a plain paragraph: that is pasted text, read as such.
    result = import_docx(_bytes(_docx("2023年工作总结", "第 1 页 共 3 页", BODY, "一、主要做法", BODY)))
    assert "已删除网页噪声（第 2 段）：第 1 页 共 3 页" in [str(w) for w in result.warnings]
    assert list(flatten(result.reports[0]["sections"])) == [(1, "主要做法", False)]


def test_every_character_of_a_docx_is_accounted_for() -> None:
    paragraphs = ["政 府 工 作 报 告", "各位代表：", BODY, "一、主要做法", "（一）抓项目。" + BODY, "分享到：微信", "二〇二三年十二月五日"]
    result = import_docx(_bytes(_docx(*paragraphs)))
    assert_every_character_accounted_for("\n".join(paragraphs), result)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件为空"),
        (b"plain text, not a zip", "不是有效的 .docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "旧版 .doc"),
    ],
)
def test_bad_files_fail_in_chinese(data: bytes, message: str) -> None:
    with pytest.raises(ImportFailed, match=message):
        import_docx(data)


def test_a_zip_that_is_not_a_docx_fails_in_chinese() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("hello.txt", "你好")
    with pytest.raises(ImportFailed, match="无法读取 .docx 文件"):
        import_docx(buffer.getvalue())


def test_a_docx_with_only_a_table_imports_the_table_untitled() -> None:
    doc = Document()
    doc.add_table(rows=1, cols=1).cell(0, 0).text = "只有表格"
    result = import_docx(_bytes(doc))
    assert result.reports[0]["preamble"] == [{"table": {"header": [["只有表格"]], "rows": []}}]
    assert "no_title" in [w.code for w in result.warnings]


def test_a_docx_without_any_text_fails_in_chinese() -> None:
    with pytest.raises(ImportFailed, match="没有"):
        import_docx(_bytes(_docx("", "  ")))


def _bold(doc: Document, text: str) -> None:
    doc.add_paragraph().add_run(text).bold = True


def _titled(*body: str) -> Document:
    doc = Document()
    title = doc.add_paragraph()
    title.alignment = 1
    title.add_run("关于专题会议的纪要").font.size = Pt(22)
    for text in body:
        doc.add_paragraph(text)
    return doc


def test_unlabelled_heads_set_apart_by_type_are_parts_without_invented_numbers() -> None:
    # A Word file whose only headings are short bold lines: parts, never "一、二、".
    doc = _titled()
    for head in ("会议基本信息", "责任分工", "后续要求"):
        _bold(doc, head)
        doc.add_paragraph(BODY)
    report = import_docx(_bytes(doc)).reports[0]
    assert report["title"] == "关于专题会议的纪要" and report.get("preamble") == []
    assert [(s.get("part"), s["heading"], s["paragraphs"]) for s in report["sections"]] == [
        (True, head, [BODY]) for head in ("会议基本信息", "责任分工", "后续要求")
    ]
    assert "options" not in report  # no "第一部分" printed: the source wrote none


def test_one_bold_line_is_emphasis_not_an_outline() -> None:
    doc = _titled(BODY)
    _bold(doc, "特别提醒")
    doc.add_paragraph(BODY)
    report = import_docx(_bytes(doc)).reports[0]
    assert report["sections"] == [] and "特别提醒" in report["preamble"]


def test_bold_heads_under_bracketed_parts_are_their_sections() -> None:
    doc = _titled(BODY, "【第一部分：笔试环节】")
    _bold(doc, "以笔为戎，查漏补缺")
    doc.add_paragraph(BODY)
    doc.add_paragraph("（插入现场图片）")
    doc.add_paragraph("【第二部分：抢答环节】")
    doc.add_paragraph("（插入抢答照片）")
    _bold(doc, "强强联合，分秒必争")
    doc.add_paragraph(BODY)
    result = import_docx(_bytes(doc))
    outline = [(s["heading"], [c["heading"] for c in s["sections"]]) for s in result.reports[0]["sections"]]
    assert outline == [("笔试环节", ["以笔为戎，查漏补缺"]), ("抢答环节", ["强强联合，分秒必争"])]
    assert not [w for w in result.warnings if w.code == "sequence"]
