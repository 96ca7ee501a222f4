"""Unit templates in PostgreSQL (``DATABASE_URL``): each version's file bytes
and metadata in one row, so every web node and worker sees the same templates.

Same interface and rules as the folder store (:class:`.store.UnitTemplateStorage`).
Templates are small (the upload limit, a few MB), so a version is one ``bytea``.
"""
from __future__ import annotations

import hashlib
import json
import secrets
from contextlib import contextmanager
from typing import Any, Iterator

import psycopg
from psycopg.rows import dict_row

from ..pgdb import NOW, Database, DatabaseUnavailable, database
from .check import UnitTemplateError
from .store import UnitTemplate

_COLUMNS = "id, version, name, sha256, size, placeholders, created"


class PostgresUnitTemplateStore:
    def __init__(self, url: str):
        self.db: Database = database(url)
        with self._conn():
            pass  # connects once (and creates the schema): a database that is down fails here, as a 503

    @contextmanager
    def _conn(self) -> Iterator[psycopg.Connection[Any]]:
        try:
            with self.db.connection() as conn:
                yield conn
        except DatabaseUnavailable as exc:
            raise UnitTemplateError(exc.message, status=503) from exc

    def add(self, name: str, data: bytes, placeholders: list[str]) -> UnitTemplate:
        with self._conn() as conn, conn.transaction():
            # Two uploads of one name at once must not both become version 2;
            # uploads are rare, so one table lock is cheap.
            conn.execute("LOCK TABLE unit_templates IN SHARE ROW EXCLUSIVE MODE")
            row = conn.execute("SELECT id, MAX(version) FROM unit_templates WHERE name = %s GROUP BY id", (name,)).fetchone()
            template_id, version = (row[0], row[1] + 1) if row else (f"ut-{secrets.token_hex(3)}", 1)
            conn.execute(
                f"INSERT INTO unit_templates ({_COLUMNS}, data) VALUES (%s, %s, %s, %s, %s, %s, {NOW}, %s)",  # type: ignore[arg-type]
                (template_id, version, name, hashlib.sha256(data).hexdigest(), len(data),
                 json.dumps(placeholders, ensure_ascii=False), data),
            )
        return self.get(template_id)  # type: ignore[return-value]

    def _latest(self, template_id: str, with_data: bool) -> dict[str, Any] | None:
        columns = f"{_COLUMNS}, data" if with_data else _COLUMNS
        with self._conn() as conn:
            return conn.cursor(row_factory=dict_row).execute(
                f"SELECT {columns} FROM unit_templates WHERE id = %s ORDER BY version DESC LIMIT 1",  # type: ignore[arg-type]
                (template_id,)).fetchone()

    def get(self, template_id: str) -> UnitTemplate | None:
        row = self._latest(template_id, with_data=False)
        return _record(row) if row else None

    def read(self, template_id: str) -> tuple[UnitTemplate, bytes] | None:
        row = self._latest(template_id, with_data=True)
        if row is None:
            return None
        data = bytes(row.pop("data"))
        return _record(row), data

    def list(self) -> list[UnitTemplate]:
        with self._conn() as conn:
            rows = conn.cursor(row_factory=dict_row).execute(
                f"SELECT {', '.join('t.' + c.strip() for c in _COLUMNS.split(','))} FROM unit_templates t "  # type: ignore[arg-type]
                "JOIN (SELECT id, MAX(version) AS v FROM unit_templates GROUP BY id) m "
                "ON t.id = m.id AND t.version = m.v ORDER BY t.created").fetchall()
        return [_record(r) for r in rows]

    def delete(self, template_id: str) -> bool:
        with self._conn() as conn:
            return conn.execute("DELETE FROM unit_templates WHERE id = %s", (template_id,)).rowcount > 0


def _record(row: dict[str, Any]) -> UnitTemplate:
    return UnitTemplate(**{**row, "placeholders": json.loads(row["placeholders"])})
