"""One Word reader: the checker and the importer see the same list labels.

Both read a .docx through service/ooxml/reader.py; the same numbered file
fed to both must give the same labels, and the labels Word draws.
"""
from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.importer import import_docx
from service.importer.docx_reader import read_docx as importer_read
from service.lint.roles import read_document
from service.lint.package import read_docx as lint_read
from service.ooxml import vocab
from service.ooxml.reader import format_number

W_NS = vocab.W_NS
# (numFmt, lvlText, start, expected label of the first item, of the second)
LEVELS = [
    ("ideographTraditional", "%1、", 2, "乙、", "丙、"),
    ("upperLetter", "%1.", 27, "AA.", "BB."),
    ("upperRoman", "%1.", 4, "IV.", "V."),
    ("decimalZero", "%1.", 5, "05.", "06."),
    ("chineseLegalSimplified", "%1、", 3, "叁、", "肆、"),
    ("chineseCounting", "（%1）", 1, "（一）", "（二）"),
]


def _package(document: str, numbering: str | None = None, main: str = "word/document.xml", content_type: str = vocab.CT_DOCUMENT) -> bytes:
    rels = f'<Relationships xmlns="{vocab.PKG_REL_NS}"><Relationship Id="rId1" Type="{vocab.RT_OFFICE_DOC}" Target="{main}"/></Relationships>'
    doc_rels = f'<Relationships xmlns="{vocab.PKG_REL_NS}">'
    if numbering:
        doc_rels += f'<Relationship Id="rId2" Type="{vocab.RT_NUMBERING}" Target="numbering.xml"/>'
    doc_rels += "</Relationships>"
    types = (
        f'<Types xmlns="{vocab.CT_NS}"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/><Override PartName="/{main}" ContentType="{content_type}"/></Types>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", types)
        zf.writestr("_rels/.rels", rels)
        zf.writestr(main, document)
        zf.writestr("word/_rels/" + main.rsplit("/", 1)[1] + ".rels", doc_rels)
        if numbering:
            zf.writestr("word/numbering.xml", numbering)
    return out.getvalue()


def _numbered_docx() -> bytes:
    abstract, nums, body = [], [], []
    for i, (fmt, text, start, _, _) in enumerate(LEVELS):
        abstract.append(
            f'<w:abstractNum w:abstractNumId="{i}"><w:lvl w:ilvl="0"><w:start w:val="{start}"/>'
            f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/><w:suff w:val="nothing"/></w:lvl></w:abstractNum>'
        )
        nums.append(f'<w:num w:numId="{i + 1}"><w:abstractNumId w:val="{i}"/></w:num>')
        for item in ("第一项工作情况", "第二项工作情况"):
            body.append(
                f'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{i + 1}"/></w:numPr></w:pPr>'
                f"<w:r><w:t>{item}</w:t></w:r></w:p>"
            )
    numbering = f'<w:numbering xmlns:w="{W_NS}">{"".join(abstract)}{"".join(nums)}</w:numbering>'
    document = f'<w:document xmlns:w="{W_NS}"><w:body>{"".join(body)}<w:sectPr/></w:body></w:document>'
    return _package(document, numbering)


def test_checker_and_importer_draw_the_same_labels_as_word() -> None:
    data = _numbered_docx()
    expected = [label for *_, first, second in LEVELS for label in (first, second)]
    checker = [p.info.label for p in read_document(lint_read(data)).paragraphs if p.info.text]
    importer = [line.text.removesuffix("第一项工作情况").removesuffix("第二项工作情况") for line in importer_read(data, []).lines]
    assert checker == expected
    assert importer == expected


@pytest.mark.parametrize(("n", "fmt", "label"), [(2, "ideographTraditional", "乙"), (27, "upperLetter", "AA"), (4, "upperRoman", "IV"), (5, "decimalZero", "05"), (3, "chineseLegalSimplified", "叁")])
def test_format_number_is_words(n: int, fmt: str, label: str) -> None:
    assert format_number(n, fmt) == label


@pytest.mark.parametrize("content_type", [vocab.CT_TEMPLATE, vocab.CT_MACRO_DOCUMENT])
def test_templates_and_macro_files_are_read_like_documents(content_type: str) -> None:
    # A .dotx/.docm: the main part found through the package relationships;
    # nothing in it is run.
    body = "".join(
        f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>"
        for t in ("2023年工作总结", "全镇上下围绕年度目标任务，坚持项目为王，扎实推进重点工作，取得明显成效。")
    )
    document = f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    report = import_docx(_package(document, content_type=content_type)).reports[0]
    assert report["title"] == "2023年工作总结"


def test_the_safe_parser_refuses_entities() -> None:
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    root = vocab.parse_xml(evil)
    assert "root:" not in "".join(root.itertext())


def test_a_tally_counts_paragraphs_not_runs() -> None:
    # One paragraph of three runs in the wrong font and one more paragraph: "共 2 段".
    from service.lint import lint_docx

    def run(text: str) -> str:
        return f'<w:r><w:rPr><w:rFonts w:eastAsia="宋体"/><w:sz w:val="32"/></w:rPr><w:t>{text}</w:t></w:r>'

    body = "".join(
        f'<w:p><w:pPr><w:ind w:firstLineChars="200"/></w:pPr>{run("全镇上下")}{run("围绕年度目标任务，")}{run("扎实推进重点工作。")}</w:p>'
        for _ in range(2)
    )
    document = f'<w:document xmlns:w="{W_NS}"><w:body>{body}<w:sectPr/></w:body></w:document>'
    found = [f for f in lint_docx(_package(document)).findings if f.rule == "body.font"]
    assert len(found) == 1 and "共 2 段" in found[0].message, [f.message for f in found]


FORMATS = ["decimal", "decimalZero", "upperLetter", "lowerLetter", "upperRoman", "lowerRoman", "chineseCounting",
           "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional", "decimalFullWidth", "decimalEnclosedCircle"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    levels=st.lists(st.tuples(st.sampled_from(FORMATS), st.integers(min_value=0, max_value=40)), min_size=1, max_size=3),
    items=st.lists(st.integers(min_value=0, max_value=2), min_size=1, max_size=12),
)
def test_any_numbered_document_gives_both_readers_the_same_labels(levels: list[tuple[str, int]], items: list[int]) -> None:
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="%{i + 1}、"/>'
        f'<w:suff w:val="nothing"/></w:lvl>'
        for i, (fmt, start) in enumerate(levels)
    )
    numbering = (f'<w:numbering xmlns:w="{W_NS}"><w:abstractNum w:abstractNumId="0">{lvls}</w:abstractNum>'
                 f'<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')
    body = "".join(
        f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{min(level, len(levels) - 1)}"/><w:numId w:val="1"/></w:numPr></w:pPr>'
        f"<w:r><w:t>工作情况</w:t></w:r></w:p>"
        for level in items
    )
    data = _package(f'<w:document xmlns:w="{W_NS}"><w:body>{body}<w:sectPr/></w:body></w:document>', numbering)
    checker = [p.info.label + "工作情况" for p in read_document(lint_read(data)).paragraphs if p.info.text]
    importer = [line.text for line in importer_read(data, []).lines]
    assert checker == importer
