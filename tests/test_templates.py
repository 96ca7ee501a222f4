"""Template kinds: manifests, scaffolds and reproducible base documents."""
from __future__ import annotations

import subprocess
import sys

from tests.support import ROOT
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


def test_adding_a_kind_is_adding_a_folder(tmp_path, monkeypatch) -> None:
    """A new folder with a manifest and a base .docx is a new kind everywhere:
    validation, rendering and the API's list — no code edited."""
    import json
    import shutil

    from service import create_app, templates

    root = tmp_path / "docx_templates"
    shutil.copytree(templates.TEMPLATES_DIR, root)
    folder = root / "meeting-notes"
    folder.mkdir()
    shutil.copy(root / "work-summary" / "base.docx", folder / "base.docx")
    manifest = json.loads((root / "work-summary" / "manifest.json").read_text(encoding="utf-8"))
    manifest.update(id="meeting-notes", name="会议纪要", order=9, description="会议纪要（测试用文种）")
    manifest["scaffold"] = {**manifest["scaffold"], "template": "meeting-notes", "title": "第一次会议纪要"}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(templates, "TEMPLATES_DIR", root)
    templates.template_kinds.cache_clear()
    try:
        assert "meeting-notes" in templates.template_ids()
        assert validate_report(manifest["scaffold"]).template == "meeting-notes"
        assert render_report(manifest["scaffold"])[:2] == b"PK"
        client = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance")}).test_client()
        names = {k["id"]: k["name"] for k in client.get("/api/v1/templates").get_json()["templates"]}
        assert names["meeting-notes"] == "会议纪要"
    finally:
        templates.template_kinds.cache_clear()
