"""Shared fixtures: examples, rendering, and LibreOffice conversion.

Tests that need LibreOffice skip locally when it is missing, but fail when
``CI=true``: in CI a missing tool is a broken set-up, not a reason to skip.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Callable

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402

from service import convert, create_app  # noqa: E402

EXAMPLES_DIR = ROOT / "examples"
SHARED_DIR = ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"
OUTPUT_DIR = ROOT / "test-output"


def require_tool(available: bool, what: str) -> None:
    """Skip locally, fail in CI, when a tool a test needs is missing."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not installed", pytrace=False)
    pytest.skip(f"{what} is not installed (scripts/test.sh installs it)")


def load_examples() -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES_DIR.glob("*.json"))}


@pytest.fixture(scope="session")
def examples() -> dict[str, dict[str, Any]]:
    return load_examples()


@pytest.fixture(scope="session")
def soffice() -> None:
    require_tool(convert.available(), "LibreOffice (soffice)")


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT_DIR.mkdir(exist_ok=True)
    return OUTPUT_DIR


@pytest.fixture(scope="session")
def pdf_of(soffice: None, tmp_path_factory: pytest.TempPathFactory) -> Callable[[dict[str, bytes]], dict[str, Path]]:
    """Convert named .docx documents to PDF in one LibreOffice run; cached by name."""
    cache: dict[str, Path] = {}
    root = tmp_path_factory.mktemp("pdf")

    def convert_many(docs: dict[str, bytes]) -> dict[str, Path]:
        todo = {name: data for name, data in docs.items() if name not in cache}
        if todo:
            src = []
            for name, data in todo.items():
                path = root / f"{name}.docx"
                path.write_bytes(data)
                src.append(path)
            outputs = convert.convert_files(src, root / "out", "pdf", timeout_s=300)
            cache.update(dict(zip(todo, outputs)))
        return {name: cache[name] for name in docs}

    return convert_many


@pytest.fixture()
def app(tmp_path: Path) -> Flask:
    """The real app with its own instance folder (jobs, unit templates, secret)."""
    return create_app(
        {"TESTING": True, "SECRET_KEY": "test-secret", "INSTANCE_PATH": str(tmp_path / "instance"), "JOB_STALE_S": 2}
    )


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def wait_for_job(client: FlaskClient, location: str, timeout_s: float = 90) -> dict[str, Any]:
    """Poll a job until it is done or failed (a hang guard, not a speed test)."""
    import time

    deadline = time.monotonic() + timeout_s
    job: dict[str, Any] = {}
    while time.monotonic() < deadline:
        job = client.get(location).get_json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job not finished: {job}")
