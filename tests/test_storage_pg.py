"""State in PostgreSQL (DATABASE_URL): schema upgrades, streamed results,
nodes that share only the database, and a database that is down."""
from __future__ import annotations

import io
import threading
import zipfile
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask.testing import FlaskClient

from service import create_app
from service.jobs import pg_store
from service.jobs.store import JobStoreError
from service.jobs.work import execute
from service.pgdb import MIGRATIONS, migrate
from service.storage import job_store_at
from tests.servers import free_port
from tests.support import wait_for_job
from tests.test_unit_templates import ADMIN, REPORT, letterhead, upload


def node(tmp_path: Path, name: str, database_url: str, **config: Any) -> FlaskClient:
    """A web node with its own empty instance folder and the shared database."""
    app = create_app({"TESTING": True, "SECRET_KEY": "shared", "INSTANCE_PATH": str(tmp_path / name),
                      "DATABASE_URL": database_url, "ADMIN_KEYS": "admin-secret", **config})
    return app.test_client()


def test_nodes_on_separate_folders_share_jobs_and_unit_templates(tmp_path: Path, postgres_url: str) -> None:
    a, b = node(tmp_path, "a", postgres_url), node(tmp_path, "b", postgres_url)
    template_id = upload(a, letterhead()).get_json()["id"]
    resp = b.post("/api/v1/reports", json={**REPORT, "unit_template": template_id})
    assert resp.status_code == 200, resp.get_json()
    location = a.post("/api/v1/jobs", json=[{**REPORT, "title": f"报告{i}"} for i in range(5)]).headers["Location"]
    assert wait_for_job(b, location)["status"] == "done"
    with b.get(location + "/result") as result, zipfile.ZipFile(io.BytesIO(result.data)) as zf:
        assert len(zf.namelist()) == 5 and zf.testzip() is None
    # Nothing was kept on either node's disk.
    assert not list((tmp_path / "a").rglob("*.sqlite3")) and not list((tmp_path / "b").rglob("*.sqlite3"))


def test_a_result_is_stored_and_served_in_pieces(tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pg_store, "CHUNK_BYTES", 4096)
    store = job_store_at(postgres_url)
    job_id = store.create([{**REPORT, "title": f"报告{i}"} for i in range(8)], "anonymous").id
    assert store.claim(job_id, "here")
    execute(store, job_id, "here")  # in this process, where the small pieces apply
    client = node(tmp_path, "a", postgres_url)
    location = f"/api/v1/jobs/{job_id}"
    assert client.get(location).get_json()["status"] == "done"
    with psycopg.connect(postgres_url) as conn:
        pieces = conn.execute("SELECT COUNT(*), MAX(length(data)) FROM job_result_chunks WHERE job_id = %s", (job_id,)).fetchone()
    assert pieces is not None and pieces[0] > 3 and pieces[1] <= 4096
    with client.get(location + "/result") as result:
        assert result.status_code == 200 and result.content_length == len(result.data)
        with zipfile.ZipFile(io.BytesIO(result.data)) as zf:
            assert len(zf.namelist()) == 8 and zf.testzip() is None


def test_two_nodes_starting_at_once_apply_each_schema_step_once(postgres_url: str) -> None:
    versions: list[int] = []
    errors: list[BaseException] = []

    def start() -> None:
        try:
            with psycopg.connect(postgres_url, autocommit=True) as conn:
                versions.append(migrate(conn))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and versions == [MIGRATIONS[-1][0]] * 4
    with psycopg.connect(postgres_url) as conn:
        applied = [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert applied == [v for v, _, _ in MIGRATIONS]


def test_a_celery_message_carries_only_the_job_id(tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker opens the store from its own DATABASE_URL: no folder in the message."""
    from service.jobs.celery_app import _render_job

    store = job_store_at(postgres_url)
    job = store.create([REPORT], "anonymous")
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    _render_job(job.id)
    done = store.get(job.id)
    assert done is not None and done.status == "done" and done.attempts == 1


def test_a_database_that_is_down_is_a_clear_503(tmp_path: Path) -> None:
    down = f"postgresql://app@127.0.0.1:{free_port()}/nothing"
    client = node(tmp_path, "a", down)
    assert client.post("/api/v1/reports", json=REPORT).status_code == 200  # plain documents need no database
    for resp in (client.post("/api/v1/jobs", json=[REPORT]), client.get("/api/v1/jobs/abc"),
                 client.get("/api/v1/unit-templates"), upload(client, letterhead(), headers=ADMIN),
                 client.post("/api/v1/reports", json={**REPORT, "unit_template": "ut-abc"})):
        assert resp.status_code == 503, resp.get_json()
        error = resp.get_json()["error"]
        assert error["code"] == "storage_unavailable" and "数据库" in error["message"], error
    with pytest.raises(JobStoreError):
        job_store_at(down)


def test_the_database_going_away_after_a_job_was_created_is_a_503(tmp_path: Path, postgres_url: str) -> None:
    client = node(tmp_path, "a", postgres_url)
    location = client.post("/api/v1/jobs", json=[REPORT]).headers["Location"]
    name = postgres_url.rsplit("/", 1)[1]
    with psycopg.connect(postgres_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        # Refuse new connections and end the open ones, as a database restart would.
        admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")  # type: ignore[arg-type]
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        try:
            resp = client.get(location)
            assert resp.status_code == 503 and "数据库" in resp.get_json()["error"]["message"]
        finally:
            admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")  # type: ignore[arg-type]
    assert client.get(location).status_code == 200  # and back once it is


def test_half_written_pieces_of_lost_and_crashed_jobs_are_removed(postgres_url: str) -> None:
    from service.jobs.runner import LocalRunner

    store = job_store_at(postgres_url)
    crashed = store.create([REPORT], "anonymous")
    assert store.claim(crashed.id, "dead")
    with store.write_result(crashed.id, "dead") as out:
        out.write(b"PK half")  # a worker killed later, mid-zip
    finished = store.create([REPORT], "anonymous")
    assert store.claim(finished.id, "old")
    with store.write_result(finished.id, "stray") as out:
        out.write(b"PK stray")  # pieces of an owner that is not the finishing one
    assert store.fail(finished.id, [{"path": "", "message": "x"}]) is True

    def pieces() -> int:
        with psycopg.connect(postgres_url) as conn:
            row = conn.execute("SELECT COUNT(*) FROM job_result_chunks").fetchone()
        return int(row[0]) if row else 0

    assert pieces() == 1  # failing a job drops its pieces
    store.recover_stale(-1, max_attempts=3)
    assert pieces() == 0 and store.get(crashed.id).status == "queued"
    assert store.fail(crashed.id, [{"path": "", "message": "x"}])  # nothing left for a dispatcher to run
    with store.write_result(crashed.id, "gone") as out:
        out.write(b"PK orphan")  # written after the failure by a worker that did not know
    LocalRunner(store, poll_s=0.1).start()  # at start: pieces of no running job go
    assert pieces() == 0


def test_a_full_database_disk_fails_the_job_with_the_disk_full_message(postgres_url: str) -> None:
    store = job_store_at(postgres_url)
    job = store.create([{**REPORT, "title": f"甲{i}"} for i in range(25)], "anonymous")
    assert store.claim(job.id, "test")

    def full(*args: object) -> bool:
        raise JobStoreError("数据库磁盘已满", disk_full=True)

    store.progress = full  # type: ignore[method-assign]
    execute(store, job.id, "test")
    failed = store.get(job.id)
    assert failed is not None and failed.status == "failed" and "磁盘已满" in failed.errors[0]["message"], failed.errors


def test_a_worker_without_database_url_gives_the_message_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """A job-id-only message on a worker that has no DATABASE_URL is retried, not dropped."""
    from service.jobs.celery_app import _render_job

    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(JobStoreError):
        _render_job("0" * 32)
