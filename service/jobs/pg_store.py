"""Jobs in PostgreSQL (``DATABASE_URL``): state, inputs and result zips.

The same guarantees as the SQLite store (see :class:`service.jobs.store.JobStorage`),
with nothing on any node's disk, so web nodes and Celery workers on several
machines share one state. Times come from the database's clock (``pgdb.NOW``).

A result zip is kept as numbered ``bytea`` pieces of ``CHUNK_BYTES``
(``job_result_chunks``), inserted as the zip is produced and read back one
piece at a time: neither side ever holds a whole zip. Pieces are tagged with
the owner that wrote them; the job's finishing owner names the ones that
count, so a worker that lost its job can never mix its pieces into the new
owner's result.
"""
from __future__ import annotations

import io
import json
import uuid
from contextlib import contextmanager
from typing import Any, BinaryIO, Iterator

import psycopg
from psycopg.rows import dict_row

from ..pgdb import NOW, Database, DatabaseUnavailable, database
from .store import Job, JobStoreError, input_payload

CHUNK_BYTES = 1024 * 1024


class PostgresJobStore:
    def __init__(self, url: str):
        self.url = url
        self.db: Database = database(url)
        with self._conn():
            pass  # connects once (and creates the schema): a database that is down fails here, as a 503

    @property
    def locator(self) -> str:
        return self.url

    @contextmanager
    def _conn(self) -> Iterator[psycopg.Connection[Any]]:
        try:
            with self.db.connection() as conn:
                yield conn
        except DatabaseUnavailable as exc:
            raise JobStoreError(exc.message, exc.disk_full) from exc

    def _rowcount(self, sql: str, args: tuple[Any, ...]) -> int:
        with self._conn() as conn:
            return conn.execute(sql, args).rowcount  # type: ignore[arg-type]

    # -- inputs and results -------------------------------------------------------
    def load_input(self, job_id: str) -> Any:
        with self._conn() as conn:
            row = conn.execute("SELECT reports FROM job_inputs WHERE job_id = %s", (job_id,)).fetchone()
        if row is None:
            raise JobStoreError("任务的输入已不存在")
        return json.loads(row[0])

    @contextmanager
    def write_result(self, job_id: str, owner: str) -> Iterator["_ChunkWriter"]:
        writer = _ChunkWriter(self, job_id, owner)
        # A previous attempt by the same owner (the local dispatcher keeps its name) starts over.
        self._rowcount("DELETE FROM job_result_chunks WHERE job_id = %s AND owner = %s", (job_id, owner))
        yield writer
        writer.flush()

    def _put_chunk(self, job_id: str, owner: str, seq: int, data: bytes) -> None:
        with self._conn() as conn:
            conn.execute("INSERT INTO job_result_chunks (job_id, owner, seq, data) VALUES (%s, %s, %s, %s)",
                         (job_id, owner, seq, data))

    def open_result(self, job_id: str) -> tuple[BinaryIO, int | None] | None:
        with self._conn() as conn:
            row = conn.execute(
                "SELECT j.owner, COUNT(c.seq), COALESCE(SUM(length(c.data)), 0) FROM jobs j "
                "JOIN job_result_chunks c ON c.job_id = j.id AND c.owner = j.owner "
                "WHERE j.id = %s AND j.status = 'done' GROUP BY j.owner",
                (job_id,),
            ).fetchone()
        if row is None:
            return None
        owner, count, size = row
        return io.BufferedReader(_ChunkReader(self, job_id, owner, int(count)), CHUNK_BYTES), int(size)

    def _get_chunk(self, job_id: str, owner: str, seq: int) -> bytes | None:
        with self._conn() as conn:
            row = conn.execute("SELECT data FROM job_result_chunks WHERE job_id = %s AND owner = %s AND seq = %s",
                               (job_id, owner, seq)).fetchone()
        return bytes(row[0]) if row else None

    def remove_orphan_parts(self) -> int:
        """Pieces that are not a running job's and not a finished job's result."""
        return self._rowcount(
            "DELETE FROM job_result_chunks c USING jobs j WHERE c.job_id = j.id AND j.status <> 'running' "
            "AND NOT (j.status = 'done' AND c.owner = j.owner)", ())

    # -- lifecycle --------------------------------------------------------------
    def create(
        self, reports_json: list[dict[str, Any]], client: str = "", *,
        skipped: int = 0, errors: list[dict[str, Any]] | None = None, with_pdf: bool = False,
    ) -> Job:
        job_id = uuid.uuid4().hex
        payload = input_payload(reports_json, skipped, errors, with_pdf)
        with self._conn() as conn, conn.transaction():
            conn.execute(f"INSERT INTO jobs (id, status, total, client, created, updated, skipped, errors) "  # type: ignore[arg-type]
                         f"VALUES (%s, 'queued', %s, %s, {NOW}, {NOW}, %s, %s)",
                         (job_id, len(reports_json), client, skipped, json.dumps(errors or [], ensure_ascii=False)))
            conn.execute("INSERT INTO job_inputs (job_id, reports) VALUES (%s, %s)",
                         (job_id, json.dumps(payload, ensure_ascii=False)))
        return self.get(job_id)  # type: ignore[return-value]

    def get(self, job_id: str) -> Job | None:
        with self._conn() as conn:
            row = conn.cursor(row_factory=dict_row).execute("SELECT * FROM jobs WHERE id = %s", (job_id,)).fetchone()
        if row is None:
            return None
        row["errors"] = json.loads(row["errors"])
        return Job(**row)

    def claim(self, job_id: str, owner: str) -> bool:
        return self._rowcount(
            f"UPDATE jobs SET status='running', owner=%s, attempts=attempts+1, updated={NOW}, heartbeat={NOW} "
            "WHERE id=%s AND status='queued'", (owner, job_id)) == 1

    def next_queued(self) -> str | None:
        with self._conn() as conn:
            row = conn.execute("SELECT id FROM jobs WHERE status='queued' ORDER BY created LIMIT 1").fetchone()
        return row[0] if row else None

    def beat(self, job_id: str, owner: str) -> bool:
        return self._rowcount(f"UPDATE jobs SET heartbeat={NOW} WHERE id=%s AND owner=%s AND status='running'",
                              (job_id, owner)) == 1

    def progress(self, job_id: str, owner: str, done: int) -> bool:
        return self._rowcount(
            f"UPDATE jobs SET done=%s, updated={NOW}, heartbeat={NOW} WHERE id=%s AND owner=%s AND status='running'",
            (done, job_id, owner)) == 1

    def finish(self, job_id: str, owner: str, done: int) -> bool:
        with self._conn() as conn, conn.transaction():
            cur = conn.execute(
                f"UPDATE jobs SET status='done', done=%s, updated={NOW}, finished={NOW} "  # type: ignore[arg-type]
                "WHERE id=%s AND owner=%s AND status='running'", (done, job_id, owner))
            if cur.rowcount != 1:
                return False
            conn.execute("DELETE FROM job_inputs WHERE job_id = %s", (job_id,))
            conn.execute("DELETE FROM job_result_chunks WHERE job_id = %s AND owner <> %s", (job_id, owner))
        return True

    def fail(self, job_id: str, errors: list[dict[str, Any]], owner: str | None = None) -> bool:
        query = (f"UPDATE jobs SET status='failed', errors=%s, updated={NOW}, finished={NOW} "
                 "WHERE id=%s AND status IN ('queued', 'running')")
        args: tuple[Any, ...] = (json.dumps(errors, ensure_ascii=False), job_id)
        if owner is not None:
            query += " AND owner=%s"
            args += (owner,)
        with self._conn() as conn, conn.transaction():
            if conn.execute(query, args).rowcount != 1:  # type: ignore[arg-type]
                return False
            conn.execute("DELETE FROM job_inputs WHERE job_id = %s", (job_id,))
            conn.execute("DELETE FROM job_result_chunks WHERE job_id = %s", (job_id,))
        return True

    def requeue(self, job_id: str) -> None:
        self._rowcount(f"UPDATE jobs SET status='queued', owner='', done=0, updated={NOW} WHERE id=%s AND status='running'",
                       (job_id,))

    def recover_stale(self, stale_after_s: float, max_attempts: int) -> list[str]:
        """Running jobs whose worker stopped beating go back to the queue, or
        fail once tried ``max_attempts`` times; several nodes may sweep at once
        (each row changes once: the updates re-check the heartbeat)."""
        stale = f"status='running' AND heartbeat < {NOW} - %s"
        with self._conn() as conn:
            rows = conn.execute(f"SELECT id, attempts FROM jobs WHERE {stale}", (stale_after_s,)).fetchall()  # type: ignore[arg-type]
        requeued: list[str] = []
        for job_id, attempts in rows:
            if attempts >= max_attempts:
                self.fail(job_id, [{"path": "", "message": f"任务执行中断 {attempts} 次，已停止重试"}])
                continue
            with self._conn() as conn, conn.transaction():
                cur = conn.execute(f"UPDATE jobs SET status='queued', owner='', done=0, updated={NOW} "  # type: ignore[arg-type]
                                   f"WHERE id=%s AND {stale}", (job_id, stale_after_s))
                if cur.rowcount:
                    # Its owner is gone: nobody will finish or remove its pieces.
                    conn.execute("DELETE FROM job_result_chunks WHERE job_id = %s", (job_id,))
                    requeued.append(job_id)
        return requeued

    def expire(self, ttl_s: float) -> int:
        """Delete finished jobs older than ``ttl_s`` (inputs and pieces go with them)."""
        return self._rowcount(f"DELETE FROM jobs WHERE finished IS NOT NULL AND finished < {NOW} - %s", (ttl_s,))

    def has_unfinished(self) -> bool:
        with self._conn() as conn:
            return conn.execute("SELECT 1 FROM jobs WHERE status IN ('queued', 'running') LIMIT 1").fetchone() is not None

    def count_active(self, client: str) -> int:
        with self._conn() as conn:
            row = conn.execute("SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running') AND client = %s",
                               (client,)).fetchone()
        return int(row[0]) if row else 0


class _ChunkWriter:
    """Collects the zip's bytes and stores each full piece as it fills."""

    def __init__(self, store: PostgresJobStore, job_id: str, owner: str):
        self.store, self.job_id, self.owner = store, job_id, owner
        self._buffer = bytearray()
        self._seq = 0

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) >= CHUNK_BYTES:
            self._put(bytes(self._buffer[:CHUNK_BYTES]))
            del self._buffer[:CHUNK_BYTES]
        return len(data)

    def flush(self) -> None:
        if self._buffer or self._seq == 0:
            self._put(bytes(self._buffer))
            self._buffer.clear()

    def _put(self, data: bytes) -> None:
        self.store._put_chunk(self.job_id, self.owner, self._seq, data)
        self._seq += 1


class _ChunkReader(io.RawIOBase):
    """A finished result read back one piece at a time (send_file streams it)."""

    def __init__(self, store: PostgresJobStore, job_id: str, owner: str, count: int):
        self.store, self.job_id, self.owner, self.count = store, job_id, owner, count
        self._seq = 0
        self._piece = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._piece:
            if self._seq >= self.count:
                return 0
            data = self.store._get_chunk(self.job_id, self.owner, self._seq)
            if data is None:  # expired while being read: a short zip would look whole
                raise OSError("任务结果已过期或已被删除")
            self._piece, self._seq = memoryview(data), self._seq + 1
        n = min(len(buffer), len(self._piece))
        buffer[:n] = self._piece[:n]
        self._piece = self._piece[n:]
        return n
