"""Every document the service writes is valid OOXML: Word opens it without
"发现无法读取的内容" (repair). LibreOffice forgives what Word refuses, so the
layout tests cannot see this; openxml-audit checks schema order and semantics."""
from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from openxml_audit import FileFormat, OpenXmlValidator

from service import render_report
from service.templates import template_kinds
from tests.strategies import reports

VALIDATOR = OpenXmlValidator(file_format=FileFormat.OFFICE_2019)
ROOT = Path(__file__).resolve().parent.parent


def audit(data: bytes, tmp_path: Path, name: str = "doc") -> list[str]:
    path = tmp_path / f"{name}.docx"
    path.write_bytes(data)
    result = VALIDATOR.validate(path)
    return [str(e) for e in result.errors]


def test_the_audit_catches_schema_order_errors(tmp_path: Path) -> None:
    """The check can fail: a w:spacing after w:sz in a run's properties is reported."""
    import io
    import zipfile

    data = render_report({"title": "标题", "preamble": ["正文"]})
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for name in src.namelist():
            content = src.read(name)
            if name == "word/document.xml":
                content = content.replace(b'<w:rFonts w:hint="eastAsia"/>', b'<w:sz w:val="32"/><w:spacing w:val="-5"/>', 1)
            out.writestr(name, content)
    errors = audit(buf.getvalue(), tmp_path)
    assert errors and "spacing" in errors[0]


OPTION_COMBOS = [
    {"font_set": f, "page_numbers": pn, "seal": seal, "numbering": num, "bold_level3": bold}
    for f, pn, seal, num, bold in itertools.product(["gb2312", "windows"], ["outside", "center", "none"], [False, True], ["text", "word"], [False, True])
]


@pytest.mark.parametrize("options", OPTION_COMBOS, ids=lambda o: "-".join(str(v) for v in o.values()))
def test_every_option_combination_is_valid(examples: dict[str, dict[str, Any]], options: dict[str, Any], tmp_path: Path) -> None:
    report = {**examples["town-renda-summary-long"], "options": options}
    assert audit(render_report(report), tmp_path) == []


def test_every_example_and_template_kind_is_valid(examples: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    for name, report in examples.items():
        assert audit(render_report(report), tmp_path, name) == [], name
    for kind_id, kind in template_kinds().items():
        assert audit(render_report(kind.scaffold), tmp_path, kind_id) == [], kind_id
        assert audit(kind.base_docx.read_bytes(), tmp_path, kind_id + "-base") == [], kind_id


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(report=reports)
def test_random_reports_are_valid(report: dict[str, Any], tmp_path: Path) -> None:
    assert audit(render_report(report), tmp_path) == []


@pytest.mark.slow
def test_batch_and_job_output_is_valid(examples: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    import io
    import time
    import zipfile

    from service import create_app

    client = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance")}).test_client()
    items = [{**report, "options": {**report.get("options", {}), **opts}}
             for report in examples.values()
             for opts in ({}, {"numbering": "word", "page_numbers": "center"})]
    batch = client.post("/api/v1/reports/batch", json=items)
    location = client.post("/api/v1/jobs", json=items).headers["Location"]
    deadline = time.monotonic() + 300  # hang guard, not a speed test
    while client.get(location).get_json()["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    with client.get(location + "/result") as job:  # closes the served zip (warnings are errors)
        job_data = job.data
    for label, data in (("batch", batch.data), ("job", job_data)):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            assert len(zf.namelist()) == len(items)
            for name in zf.namelist():
                assert audit(zf.read(name), tmp_path, "item") == [], (label, name)


@pytest.mark.slow
def test_retypeset_imports_are_valid(tmp_path: Path) -> None:
    """Every report the importer finds in the fixtures (and the shared samples,
    when present) renders to a schema-valid document."""
    from service.importer import import_text

    root = Path(__file__).resolve().parent
    texts = sorted((root / "fixtures" / "importer").glob("*.txt"))
    shared = root.parent.parent / "shared" / "samples"
    texts += sorted(shared.glob("*.txt")) if shared.is_dir() else []
    assert len(texts) >= 10
    for path in texts:
        for i, report in enumerate(import_text(path.read_text(encoding="utf-8")).reports):
            assert audit(render_report(report), tmp_path, f"{path.stem}-{i}") == [], (path.name, i)
