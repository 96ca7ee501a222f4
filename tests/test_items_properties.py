"""Any valid mix of paragraph items, tables (merged cells included) and
attachments renders: valid OOXML, every character in the document, lint
clean. Hypothesis draws the reports."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openxml_audit import FileFormat, OpenXmlValidator

from service import render_report
from service.docx.effective import DocxFormatting
from service.layout import split_paragraphs
from service.lint import lint_docx
from tests.strategies import _body_text, _heading_text, _line_text

VALIDATOR = OpenXmlValidator(file_format=FileFormat.OFFICE_2019)
_cell_text = st.text(alphabet=st.sampled_from(list("表格甲乙12.%&<>“”— ")), max_size=6)


@st.composite
def tables(draw: Any) -> dict[str, Any]:
    """A table whose rows all span `columns`, with random colspans and rowspans."""
    columns = draw(st.integers(min_value=1, max_value=8))

    def part(n_rows: int) -> list[list[Any]]:
        rows: list[list[Any]] = [[] for _ in range(n_rows)]
        covered = [[False] * columns for _ in range(n_rows)]
        for r in range(n_rows):
            c = 0
            while c < columns:
                if covered[r][c]:
                    c += 1
                    continue
                free = 1
                while c + free < columns and not covered[r][c + free]:
                    free += 1
                span = draw(st.integers(min_value=1, max_value=free))
                down = draw(st.integers(min_value=1, max_value=n_rows - r))
                for rr in range(r, r + down):
                    for cc in range(c, c + span):
                        covered[rr][cc] = True
                text = draw(_cell_text)
                rows[r].append(text if span == down == 1 else {"text": text, "colspan": span, "rowspan": down})
                c += span
        return rows

    header = part(draw(st.integers(min_value=0, max_value=2)))
    rows = part(draw(st.integers(min_value=1 if not header else 0, max_value=6)))
    return {"table": {"title": draw(st.text(alphabet=st.sampled_from(list("表1甲乙")), max_size=8)), "header": header, "rows": rows,
                      "notes": draw(st.lists(_line_text, max_size=1)), "landscape": draw(st.booleans())}}


items = st.lists(_body_text | st.fixed_dictionaries({"lead": _line_text, "text": _body_text}) | tables(), max_size=3)
sections = st.lists(st.fixed_dictionaries({"heading": _heading_text, "paragraphs": items,
                                            "sections": st.lists(st.fixed_dictionaries({"heading": _heading_text, "paragraphs": items}), max_size=2)}),
                    max_size=2)
attachments = st.lists(_line_text | st.fixed_dictionaries({"name": _line_text, "preamble": items, "sections": sections}), max_size=3)
reports = st.fixed_dictionaries({
    "title": _line_text, "preamble": items.filter(bool), "sections": sections, "attachments": attachments,
    "signature": _line_text, "date": st.just("2025-12-05"),
    "options": st.fixed_dictionaries({"numbering": st.sampled_from(["text", "word"]), "lead_style": st.sampled_from(["bold", "kai", "hei"]),
                                      "page_numbers": st.sampled_from(["outside", "center", "none"])}),
})


def texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return split_paragraphs(value)
    if isinstance(value, list):
        return [t for v in value for t in texts(v)]
    if isinstance(value, dict):
        return [t for k, v in value.items() if k not in ("colspan", "rowspan", "landscape", "options", "date") for t in texts(v)]
    return []


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(reports)
def test_any_report_with_items_renders_valid_and_whole(tmp_path_factory: Any, report: dict[str, Any]) -> None:
    data = render_report(report)
    path: Path = tmp_path_factory.mktemp("items") / "doc.docx"
    path.write_bytes(data)
    assert [str(e) for e in VALIDATOR.validate(path).errors] == []
    body = "".join(p.text for p in DocxFormatting(data).paragraphs())
    squeezed = "".join(body.split())
    for text in texts({k: v for k, v in report.items() if k != "title"}):
        assert "".join(text.split()) in squeezed, text
    found = lint_docx(data).findings
    assert [f.rule for f in found if f.rule.startswith("lint.")] == []
