"""Where jobs live: the storage interface, and its one-machine form.

:class:`JobStorage` is what runners, workers and the API use.
:class:`JobStore` keeps state in SQLite plus a results folder, both in the
instance folder (the default); ``service.jobs.pg_store.PostgresJobStore``
keeps everything in PostgreSQL when ``DATABASE_URL`` is set, so nodes share
no disk. ``service.storage`` picks one.

State survives a restart of the service. Every change is one short
transaction, so several gunicorn workers and Celery workers can share it.
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, ContextManager, Iterator, Protocol

STATUSES = ("queued", "running", "done", "failed")
# Retry policy of both runners (local pool and Celery).
STALE_AFTER_S = 60.0  # a running job with no heartbeat for this long has lost its worker
MAX_ATTEMPTS = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    total INTEGER NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    errors TEXT NOT NULL DEFAULT '[]',
    owner TEXT NOT NULL DEFAULT '',
    client TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    heartbeat REAL NOT NULL DEFAULT 0,
    finished REAL
);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs (status);
"""
# Columns added after the first release: added to an older database on open.
_ADDED_COLUMNS = {"skipped": "INTEGER NOT NULL DEFAULT 0"}


@dataclass
class Job:
    id: str
    status: str
    total: int
    done: int
    errors: list[dict[str, Any]] = field(default_factory=list)
    owner: str = ""
    client: str = ""
    attempts: int = 0
    created: float = 0.0
    updated: float = 0.0
    heartbeat: float = 0.0
    finished: float | None = None
    skipped: int = 0  # reports left out (on_error=skip); their problems are in ``errors``

    def public(self) -> dict[str, Any]:
        """The contract's job JSON; ``made``/``skipped`` are the v1.1 totals."""
        return {"id": self.id, "status": self.status, "total": self.total, "done": self.done, "errors": self.errors,
                "made": self.done, "skipped": self.skipped}


def input_payload(reports_json: list[dict[str, Any]], skipped: int, errors: list[dict[str, Any]] | None, with_pdf: bool) -> Any:
    """What a store keeps as a job's input (see ``service.jobs.work._job_input``):
    a plain list when there is nothing else to carry (the first format, still read)."""
    if errors or with_pdf:
        return {"items": reports_json, "skipped": skipped, "errors": errors or [], "with_pdf": with_pdf}
    return reports_json


class JobStoreError(RuntimeError):
    """Job state cannot be kept (full disk, no permission, database down);
    the message is Chinese and safe to show."""

    def __init__(self, message: str, disk_full: bool = False):
        super().__init__(message)
        self.message = message
        self.disk_full = disk_full


class ResultSink(Protocol):
    def write(self, data: bytes) -> Any: ...


class JobStorage(Protocol):
    """What runners, workers and the API need from a job store.

    Progress, finish and failure count only from the job's current owner: a
    worker whose job was handed to another (it stopped beating) must not
    overwrite what the new owner does.
    """

    @property
    def locator(self) -> str:
        """Enough to open this store again in another process (a folder or a database URL)."""

    def create(
        self, reports_json: list[dict[str, Any]], client: str = "", *,
        skipped: int = 0, errors: list[dict[str, Any]] | None = None, with_pdf: bool = False,
    ) -> Job: ...
    def get(self, job_id: str) -> Job | None: ...
    def load_input(self, job_id: str) -> Any: ...
    def claim(self, job_id: str, owner: str) -> bool: ...
    def next_queued(self) -> str | None: ...
    def beat(self, job_id: str, owner: str) -> bool: ...
    def progress(self, job_id: str, owner: str, done: int) -> bool: ...
    def finish(self, job_id: str, owner: str, done: int) -> bool: ...
    def fail(self, job_id: str, errors: list[dict[str, Any]], owner: str | None = None) -> bool: ...
    def requeue(self, job_id: str) -> None: ...
    def recover_stale(self, stale_after_s: float, max_attempts: int) -> list[str]: ...
    def expire(self, ttl_s: float) -> int: ...
    def has_unfinished(self) -> bool: ...
    def count_active(self, client: str) -> int: ...

    def write_result(self, job_id: str, owner: str) -> ContextManager[ResultSink]:
        """Where ``owner`` writes the job's zip as it is produced; it becomes
        the result only when the block ends without an error and the owner
        then calls :meth:`finish`."""

    def open_result(self, job_id: str) -> tuple[BinaryIO, int | None] | None:
        """A finished job's zip as a file to stream, and its size when known;
        None when it is gone (expired)."""

    def remove_orphan_parts(self) -> int:
        """At start: delete half-written results of every job not running now."""


class JobStore:
    """Jobs in SQLite, inputs and results as files: one machine (or one shared folder)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.results = self.root / "results"
        self.inputs = self.root / "inputs"
        try:
            self.results.mkdir(parents=True, exist_ok=True)
            self.inputs.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                db.executescript(_SCHEMA)
                _add_columns(db)
        except (OSError, sqlite3.Error) as exc:
            raise JobStoreError(f"无法写入任务目录 {self.root.name}：{exc.__class__.__name__}") from exc

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.root / "jobs.sqlite3", timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.row_factory = sqlite3.Row
            yield db
        finally:
            db.close()

    @property
    def locator(self) -> str:
        return str(self.root)

    # -- paths ------------------------------------------------------------------
    def input_path(self, job_id: str) -> Path:
        return self.inputs / f"{job_id}.json"

    def result_path(self, job_id: str) -> Path:
        return self.results / f"{job_id}.zip"

    def remove_parts(self, job_id: str) -> None:
        """Half-written results of a job (``<id>.<owner>.part``) left by a killed worker."""
        for part in self.results.glob(f"{job_id}.*.part"):
            part.unlink(missing_ok=True)

    def remove_orphan_parts(self) -> int:
        """At start: delete half-written results of every job not running now."""
        removed = 0
        with self._connect() as db:
            running = {row["id"] for row in db.execute("SELECT id FROM jobs WHERE status='running'")}
        for part in self.results.glob("*.part"):
            if part.name.split(".", 1)[0] not in running:
                part.unlink(missing_ok=True)
                removed += 1
        return removed

    # -- inputs and results -------------------------------------------------------
    def load_input(self, job_id: str) -> Any:
        return json.loads(self.input_path(job_id).read_text(encoding="utf-8"))

    @contextmanager
    def write_result(self, job_id: str, owner: str) -> Iterator[ResultSink]:
        # Each owner writes its own temporary file: a worker that lost the job
        # can never clobber the new owner's output.
        tmp = self.result_path(job_id).with_name(f"{job_id}.{owner.replace(':', '-').replace('/', '-')}.part")
        try:
            with open(tmp, "wb") as out:
                yield out
            os.replace(tmp, self.result_path(job_id))
        finally:
            tmp.unlink(missing_ok=True)

    def open_result(self, job_id: str) -> tuple[BinaryIO, int | None] | None:
        try:
            # Opened here: the file may have expired (been deleted) since the lookup.
            result = open(self.result_path(job_id), "rb")
        except OSError:
            return None
        return result, None  # send_file reads the size from the file

    # -- lifecycle --------------------------------------------------------------
    def create(
        self, reports_json: list[dict[str, Any]], client: str = "", *,
        skipped: int = 0, errors: list[dict[str, Any]] | None = None, with_pdf: bool = False,
    ) -> Job:
        """Store a validated batch and queue it; ``client`` names who asked (a key's hash).

        ``skipped``/``errors``: reports left out (on_error=skip) and their
        problems, which also go into the zip's 错误报告.csv; ``with_pdf`` adds
        a PDF beside each document.
        """
        job_id = uuid.uuid4().hex
        now = time.time()
        payload = input_payload(reports_json, skipped, errors, with_pdf)
        try:
            tmp = self.input_path(job_id).with_suffix(".tmp")
            tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.input_path(job_id))
            with self._connect() as db:
                db.execute(
                    "INSERT INTO jobs (id, status, total, client, created, updated, skipped, errors) VALUES (?, 'queued', ?, ?, ?, ?, ?, ?)",
                    (job_id, len(reports_json), client, now, now, skipped, json.dumps(errors or [], ensure_ascii=False)),
                )
        except (OSError, sqlite3.Error) as exc:
            raise JobStoreError(f"无法保存任务：{exc.__class__.__name__}") from exc
        return self.get(job_id)  # type: ignore[return-value]

    def get(self, job_id: str) -> Job | None:
        with self._connect() as db:
            row = db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return _job(row) if row else None

    def claim(self, job_id: str, owner: str) -> bool:
        """Mark a queued job running for ``owner``; false if someone else has it."""
        now = time.time()
        with self._connect() as db:
            cur = db.execute(
                "UPDATE jobs SET status='running', owner=?, attempts=attempts+1, updated=?, heartbeat=? "
                "WHERE id=? AND status='queued'",
                (owner, now, now, job_id),
            )
        return cur.rowcount == 1

    def next_queued(self) -> str | None:
        with self._connect() as db:
            row = db.execute("SELECT id FROM jobs WHERE status='queued' ORDER BY created LIMIT 1").fetchone()
        return row["id"] if row else None

    # Progress, finish and failure count only from the job's current owner (see JobStorage).

    def beat(self, job_id: str, owner: str) -> bool:
        """Say the owner is alive; false when the job is no longer its own."""
        with self._connect() as db:
            cur = db.execute(
                "UPDATE jobs SET heartbeat=? WHERE id=? AND owner=? AND status='running'", (time.time(), job_id, owner)
            )
        return cur.rowcount == 1

    def progress(self, job_id: str, owner: str, done: int) -> bool:
        now = time.time()
        with self._connect() as db:
            cur = db.execute(
                "UPDATE jobs SET done=?, updated=?, heartbeat=? WHERE id=? AND owner=? AND status='running'",
                (done, now, now, job_id, owner),
            )
        return cur.rowcount == 1

    def finish(self, job_id: str, owner: str, done: int) -> bool:
        now = time.time()
        with self._connect() as db:
            cur = db.execute(
                "UPDATE jobs SET status='done', done=?, updated=?, finished=? WHERE id=? AND owner=? AND status='running'",
                (done, now, now, job_id, owner),
            )
        if cur.rowcount == 1:
            self.input_path(job_id).unlink(missing_ok=True)
        return cur.rowcount == 1

    def fail(self, job_id: str, errors: list[dict[str, Any]], owner: str | None = None) -> bool:
        """Mark a job failed (only the owner's, when ``owner`` is given)."""
        now = time.time()
        query = "UPDATE jobs SET status='failed', errors=?, updated=?, finished=? WHERE id=? AND status IN ('queued', 'running')"
        args: tuple[Any, ...] = (json.dumps(errors, ensure_ascii=False), now, now, job_id)
        if owner is not None:
            query += " AND owner=?"
            args += (owner,)
        with self._connect() as db:
            cur = db.execute(query, args)
        if cur.rowcount == 1:
            self.input_path(job_id).unlink(missing_ok=True)
            self.result_path(job_id).unlink(missing_ok=True)
            self.remove_parts(job_id)
        return cur.rowcount == 1

    def requeue(self, job_id: str) -> None:
        with self._connect() as db:
            db.execute(
                "UPDATE jobs SET status='queued', owner='', done=0, updated=? WHERE id=? AND status='running'",
                (time.time(), job_id),
            )

    def recover_stale(self, stale_after_s: float, max_attempts: int) -> list[str]:
        """Running jobs whose worker stopped beating (killed, restarted) go back
        to the queue, or fail once they have been tried ``max_attempts`` times."""
        cutoff = time.time() - stale_after_s
        requeued: list[str] = []
        with self._connect() as db:
            rows = db.execute("SELECT id, attempts FROM jobs WHERE status='running' AND heartbeat < ?", (cutoff,)).fetchall()
        for row in rows:
            self.remove_parts(row["id"])  # its owner is gone: nobody will finish or remove them
            if row["attempts"] >= max_attempts:
                self.fail(row["id"], [{"path": "", "message": f"任务执行中断 {row['attempts']} 次，已停止重试"}])
                continue
            with self._connect() as db:
                cur = db.execute(
                    "UPDATE jobs SET status='queued', owner='', done=0, updated=? "
                    "WHERE id=? AND status='running' AND heartbeat < ?",
                    (time.time(), row["id"], cutoff),
                )
            if cur.rowcount:
                requeued.append(row["id"])
        return requeued

    def expire(self, ttl_s: float) -> int:
        """Delete finished jobs (state and files) older than ``ttl_s``."""
        cutoff = time.time() - ttl_s
        with self._connect() as db:
            rows = db.execute("SELECT id FROM jobs WHERE finished IS NOT NULL AND finished < ?", (cutoff,)).fetchall()
            for row in rows:
                self.result_path(row["id"]).unlink(missing_ok=True)
                self.input_path(row["id"]).unlink(missing_ok=True)
                self.remove_parts(row["id"])
            db.execute("DELETE FROM jobs WHERE finished IS NOT NULL AND finished < ?", (cutoff,))
        return len(rows)

    def has_unfinished(self) -> bool:
        with self._connect() as db:
            return db.execute("SELECT 1 FROM jobs WHERE status IN ('queued', 'running') LIMIT 1").fetchone() is not None

    def count_active(self, client: str) -> int:
        with self._connect() as db:
            return db.execute(
                "SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running') AND client = ?", (client,)
            ).fetchone()[0]


def _add_columns(db: sqlite3.Connection) -> None:
    have = {row[1] for row in db.execute("PRAGMA table_info(jobs)")}
    for name, spec in _ADDED_COLUMNS.items():
        if name not in have:
            try:
                db.execute(f"ALTER TABLE jobs ADD COLUMN {name} {spec}")
            except sqlite3.OperationalError:  # another process added it first
                pass


def _job(row: sqlite3.Row) -> Job:
    data = dict(row)
    data["errors"] = json.loads(data["errors"])
    return Job(**data)
