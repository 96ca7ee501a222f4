"""PostgreSQL for shared state (``DATABASE_URL``): connections and the schema.

Plain SQL through psycopg 3, nothing PostgreSQL-only beyond advisory locks
and ``bytea``, so databases that speak PostgreSQL's protocol can follow.

The schema is owned by the service: :data:`MIGRATIONS` is a list of numbered
steps, and every process applies the missing ones the first time it opens
the database. The steps run in one transaction holding an advisory lock, so
two nodes starting at once apply each step once (the second waits, then
finds nothing to do); PostgreSQL's DDL is transactional, so a step that fails
leaves no half-made schema.
"""
from __future__ import annotations

import atexit
import logging
import os
import threading
from contextlib import contextmanager
from typing import Any, Iterator

import psycopg
from psycopg import errors as pg_errors

log = logging.getLogger(__name__)

# The database's own clock, in seconds since the epoch: every node compares
# heartbeats against the same clock, so skewed machine clocks cannot make a
# live job look stale.
NOW = "extract(epoch from clock_timestamp())::double precision"

# Any 64-bit number the service alone uses, to serialise schema upgrades.
MIGRATION_LOCK = 7_204_771_119_920_001

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "jobs, inputs, result chunks, unit templates", """
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    total INTEGER NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    errors TEXT NOT NULL DEFAULT '[]',
    owner TEXT NOT NULL DEFAULT '',
    client TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    created DOUBLE PRECISION NOT NULL,
    updated DOUBLE PRECISION NOT NULL,
    heartbeat DOUBLE PRECISION NOT NULL DEFAULT 0,
    finished DOUBLE PRECISION
);
CREATE INDEX jobs_status ON jobs (status);
CREATE INDEX jobs_finished ON jobs (finished);
CREATE TABLE job_inputs (
    job_id TEXT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    reports TEXT NOT NULL
);
-- A result zip as numbered pieces, written by one owner as it is produced;
-- the job's finishing owner names the pieces that count.
CREATE TABLE job_result_chunks (
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    owner TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (job_id, owner, seq)
);
CREATE TABLE unit_templates (
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    placeholders TEXT NOT NULL,
    created DOUBLE PRECISION NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (id, version)
);
CREATE INDEX unit_templates_name ON unit_templates (name);
"""),
    (2, "reports a job left out (on_error=skip)", """
ALTER TABLE jobs ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
"""),
]

SCHEMA_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied DOUBLE PRECISION NOT NULL
)"""


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or refused the work; ``disk_full`` when
    its disk is full. The message is Chinese and safe to show."""

    def __init__(self, message: str, disk_full: bool = False):
        super().__init__(message)
        self.message = message
        self.disk_full = disk_full


UNAVAILABLE = "数据库暂时无法访问，请稍后重试"
DISK_FULL = "数据库磁盘已满，无法保存：请清理数据库服务器的磁盘"


def is_postgres_url(value: str | None) -> bool:
    return bool(value) and str(value).startswith(("postgresql://", "postgres://"))


def migrate(conn: psycopg.Connection[Any]) -> int:
    """Apply the missing steps of :data:`MIGRATIONS`; returns the schema version."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute(SCHEMA_TABLE)
        row = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()
        current = int(row[0]) if row else 0
        for version, description, sql in MIGRATIONS:
            if version <= current:
                continue
            log.info("database schema: applying step %d (%s)", version, description)
            conn.execute(sql)  # type: ignore[arg-type]  # our own constant SQL
            conn.execute(
                f"INSERT INTO schema_migrations (version, description, applied) VALUES (%s, %s, {NOW})",  # type: ignore[arg-type]
                (version, description),
            )
            current = version
    return current


class Database:
    """Connections to one database, reused within a process.

    A small stack of idle connections (autocommit; transactions are explicit)
    serves every thread; a broken connection is dropped, not returned. After a
    fork the inherited connections belong to the parent and are forgotten.
    """

    MAX_IDLE = 4

    def __init__(self, url: str, connect_timeout_s: int = 5):
        self.url = url
        self.connect_timeout_s = connect_timeout_s
        self._idle: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._migrated = False

    def _new(self) -> psycopg.Connection[Any]:
        conn = psycopg.connect(self.url, autocommit=True, connect_timeout=self.connect_timeout_s,
                               application_name="gongwen-service")
        if not self._migrated:
            try:
                migrate(conn)
            except BaseException:
                conn.close()
                raise
            self._migrated = True
        return conn

    def _take(self) -> psycopg.Connection[Any]:
        with self._lock:
            if self._pid != os.getpid():  # forked: the parent's sockets are not ours
                self._idle, self._pid = [], os.getpid()
            while self._idle:
                conn = self._idle.pop()
                if not conn.closed and not conn.broken:
                    return conn
                conn.close()
        return self._new()

    def _give_back(self, conn: psycopg.Connection[Any]) -> None:
        healthy = not conn.closed and not conn.broken and conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        with self._lock:
            if healthy and self._pid == os.getpid() and len(self._idle) < self.MAX_IDLE:
                self._idle.append(conn)
                return
        conn.close()

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A connection for a few statements; database errors become
        :class:`DatabaseUnavailable` with a message for the user."""
        try:
            conn = self._take()
        except psycopg.Error as exc:
            raise unavailable(exc) from exc
        try:
            yield conn
        except psycopg.Error as exc:
            if isinstance(exc, psycopg.OperationalError):
                conn.close()  # the server may have gone: never reuse this one
            raise unavailable(exc) from exc
        finally:
            self._give_back(conn)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


def unavailable(exc: BaseException) -> DatabaseUnavailable:
    if isinstance(exc, pg_errors.DiskFull):
        return DatabaseUnavailable(DISK_FULL, disk_full=True)
    log.error("database error: %s: %s", exc.__class__.__name__, str(exc).splitlines()[0] if str(exc) else "")
    return DatabaseUnavailable(UNAVAILABLE)


_databases: dict[str, Database] = {}
_databases_lock = threading.Lock()


def database(url: str) -> Database:
    """The one :class:`Database` per URL in this process."""
    with _databases_lock:
        if url not in _databases:
            _databases[url] = Database(url)
        return _databases[url]


@atexit.register
def _close_all() -> None:
    """Idle connections say goodbye to the server at exit (no ResourceWarning)."""
    with _databases_lock:
        for db in _databases.values():
            db.close()
