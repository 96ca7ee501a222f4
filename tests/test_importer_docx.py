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


def test_tables_are_kept_as_lines_and_reported() -> None:
    # Until the model holds tables, a table's rows are kept as text (cells
    # separated by a full-width space), never dropped.
    doc = _docx("2023年工作总结", BODY, table=True)
    doc.tables[0].cell(0, 1).text = "第二格"
    result = import_docx(_bytes(doc))
    assert result.reports[0]["preamble"] == [BODY, "表格里的文字\u3000第二格"]
    assert any("1 个表格，已按行转为文字段落" in str(w) for w in result.warnings)


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
    assert "第1行第1列数据\u3000第1行第2列数据" in json.dumps(report, ensure_ascii=False)


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


def test_a_docx_with_only_a_table_fails_in_chinese() -> None:
    doc = Document()
    doc.add_table(rows=1, cols=1).cell(0, 0).text = "只有表格"
    # python-docx leaves an empty paragraph in the default body; only the table has text.
    with pytest.raises(ImportFailed, match="只有表格"):
        import_docx(_bytes(doc))
