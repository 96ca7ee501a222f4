"""Template kinds: manifests, scaffolds and reproducible base documents."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT
from service import render_report
from service.model import validate_report
from service.templates import template_kinds


def test_kinds_and_their_manifests() -> None:
    kinds = template_kinds()
    assert list(kinds)[:3] == ["work-summary", "work-report", "duty-report"]
    for kind in kinds.values():
        assert kind.name and kind.description and kind.fields
        assert kind.base_docx.is_file()
        report = validate_report(kind.scaffold)
        assert report.template == kind.id
        assert render_report(kind.scaffold)


def test_committed_base_documents_are_built_from_the_code() -> None:
    proc = subprocess.run([sys.executable, "scripts/build_templates.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_base_documents_carry_no_python_docx_leftovers() -> None:
    import zipfile

    for kind in template_kinds().values():
        with zipfile.ZipFile(kind.base_docx) as zf:
            names = set(zf.namelist())
            assert "word/stylesWithEffects.xml" not in names and "docProps/thumbnail.jpeg" not in names
            props = zf.read("docProps/core.xml").decode()
            assert "python-docx" not in props
