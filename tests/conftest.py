"""Shared fixtures: examples, rendering, and LibreOffice conversion.

Plain helpers (paths, ``require_tool``, ``wait_for_job``) live in
``tests/support.py``; tests import them as ``tests.support``, never conftest.

Tests that need LibreOffice skip locally when it is missing, but fail when
``CI=true``: in CI a missing tool is a broken set-up, not a reason to skip.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import convert, create_app
from tests.servers import new_database, postgres_bin, running_postgres
from tests.support import OUTPUT_DIR, load_examples, require_tool


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


class ClosingClient(FlaskClient):
    """A test client whose responses are closed when the test ends.

    A served file (a job's zip, a static script) stays open until its response
    is closed; dropped unclosed, it is a ResourceWarning, and warnings are
    errors here. Responses stay referenced by the app until the ``app``
    fixture closes them, so streaming is still what the tests see.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        resp = super().open(*args, **kwargs)
        self.application.extensions.setdefault("test_responses", []).append(resp)
        return resp


@pytest.fixture()
def app(tmp_path: Path) -> Iterator[Flask]:
    """The real app with its own instance folder (jobs, unit templates, secret)."""
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test-secret", "INSTANCE_PATH": str(tmp_path / "instance"), "JOB_STALE_S": 2}
    )
    app.test_client_class = ClosingClient
    yield app
    for resp in app.extensions.pop("test_responses", []):
        resp.close()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """One throw-away PostgreSQL server for the session (tests.servers)."""
    require_tool(postgres_bin() is not None, "PostgreSQL (apt-get install postgresql)")
    with running_postgres() as url:
        yield url
        # Dispatchers and sweepers of this server's databases stop before it does.
        from service.jobs.runner import stop_runners

        stop_runners(url.rsplit("/", 1)[0] + "/")


@pytest.fixture()
def postgres_url(postgres_server: str) -> str:
    """A fresh empty database: the service creates its schema itself."""
    return new_database(postgres_server)


# Where shared state lives, for the tests that must pass in both modes:
# the instance folder (SQLite) and PostgreSQL (DATABASE_URL).
STORAGE_MODES = [pytest.param("sqlite"), pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=STORAGE_MODES)
def storage_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Extra app config of one storage mode ({} or {"DATABASE_URL": …})."""
    if request.param == "postgres":
        return {"DATABASE_URL": request.getfixturevalue("postgres_url")}
    return {}


@pytest.fixture()
def job_app(tmp_path: Path, storage_config: dict[str, Any]) -> Iterator[Flask]:
    """The ``app`` fixture in each storage mode."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "INSTANCE_PATH": str(tmp_path / "instance"),
                      "JOB_STALE_S": 2, **storage_config})
    app.test_client_class = ClosingClient
    yield app
    for resp in app.extensions.pop("test_responses", []):
        resp.close()


@pytest.fixture()
def job_client(job_app: Flask) -> FlaskClient:
    return job_app.test_client()


# Fixtures that mean "this test needs that tool": such tests get the marker
# without each one having to say so (tests that check a tool by hand say it).
FIXTURE_MARKERS = {"soffice": "libreoffice", "pdf_of": "libreoffice", "browser": "browser", "redis_url": "redis",
                   "postgres_server": "postgres", "postgres_url": "postgres"}
# Markers whose tests take seconds each: all of them are outside the fast tier.
SLOW_MARKERS = ("libreoffice", "browser", "redis", "postgres")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for fixture in FIXTURE_MARKERS.keys() & set(getattr(item, "fixturenames", ())):
            item.add_marker(getattr(pytest.mark, FIXTURE_MARKERS[fixture]))
        if any(item.get_closest_marker(name) for name in SLOW_MARKERS):
            item.add_marker(pytest.mark.slow)
