"""Plain helpers the tests share: paths, tool checks, example loading, job polling.

Fixtures live in conftest.py; this module is imported as ``tests.support``.
Tests that need LibreOffice/Chromium/Redis skip locally when the tool is
missing, but fail when ``CI=true``: in CI a missing tool is a broken set-up.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parent.parent
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


def wait_until(predicate: Any, timeout_s: float, what: str) -> Any:
    """Poll ``predicate`` until it gives a true value (returned); a hang guard, not a speed test."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def wait_for_job(client: FlaskClient, location: str, timeout_s: float = 90) -> dict[str, Any]:
    """Poll a job until it is done or failed (a hang guard, not a speed test)."""
    deadline = time.monotonic() + timeout_s
    job: dict[str, Any] = {}
    while time.monotonic() < deadline:
        job = client.get(location).get_json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job not finished: {job}")


def job_store_of(app: Flask) -> Any:
    """The app's job store, whichever mode it is in (folder or PostgreSQL)."""
    from service.storage import storage

    return storage(app).jobs()
