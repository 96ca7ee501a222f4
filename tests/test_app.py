"""The Flask app factory."""
from __future__ import annotations

from service import create_app
from tests.support import ROOT


def test_healthz() -> None:
    client = create_app({"TESTING": True}).test_client()
    resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.get_json() == {"status": "ok"}


def test_engine_does_not_import_flask() -> None:
    import subprocess
    import sys

    code = "import sys, service; service.render_report({'title': 't', 'preamble': ['x']}); print('flask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr
