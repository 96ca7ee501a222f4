"""Uploaded unit templates: the storage interface, and files plus a SQLite
index in the instance folder (the one-machine default).

``service.unit_templates.pg_store.PostgresUnitTemplateStore`` keeps them in
PostgreSQL instead when ``DATABASE_URL`` is set; ``service.storage`` picks one.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol

from .check import UnitTemplateError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS unit_templates (
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    placeholders TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (id, version)
);
"""


@dataclass(frozen=True)
class UnitTemplate:
    id: str
    version: int
    name: str
    sha256: str
    size: int
    placeholders: list[str]
    created: float

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "version": self.version, "placeholders": self.placeholders}


class UnitTemplateStorage(Protocol):
    """What the API and the engine need from a unit-template store. Errors
    of the store itself are :class:`UnitTemplateError` with status 503."""

    def add(self, name: str, data: bytes, placeholders: list[str]) -> UnitTemplate:
        """Keep an upload; the same name again is a new version of the same id."""

    def get(self, template_id: str) -> UnitTemplate | None:
        """The latest version of a template."""

    def read(self, template_id: str) -> tuple[UnitTemplate, bytes] | None: ...
    def list(self) -> list[UnitTemplate]: ...
    def delete(self, template_id: str) -> bool: ...


class UnitTemplateStore:
    """Unit templates as files plus a SQLite index, in one folder."""

    def __init__(self, root: Path):
        self.root = Path(root)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise UnitTemplateError(f"无法写入单位模板目录：{exc.__class__.__name__}", status=503) from exc

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.root / "index.sqlite3", timeout=30, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            yield db
        finally:
            db.close()

    def _path(self, template_id: str, version: int) -> Path:
        return self.root / f"{template_id}-v{version}.docx"

    def add(self, name: str, data: bytes, placeholders: list[str]) -> UnitTemplate:
        """Keep an upload; the same name again is a new version of the same id."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT id, MAX(version) AS v FROM unit_templates WHERE name = ? GROUP BY id", (name,)).fetchone()
            template_id, version = (row["id"], row["v"] + 1) if row else (f"ut-{secrets.token_hex(3)}", 1)
            path = self._path(template_id, version)
            try:
                tmp = path.with_suffix(".tmp")
                tmp.write_bytes(data)
                os.replace(tmp, path)
            except OSError as exc:
                db.execute("ROLLBACK")
                raise UnitTemplateError(f"无法保存单位模板：{exc.__class__.__name__}", status=503) from exc
            db.execute(
                "INSERT INTO unit_templates VALUES (?, ?, ?, ?, ?, ?, ?)",
                (template_id, version, name, hashlib.sha256(data).hexdigest(), len(data), json.dumps(placeholders, ensure_ascii=False), time.time()),
            )
            db.execute("COMMIT")
        return self.get(template_id)  # type: ignore[return-value]

    def get(self, template_id: str) -> UnitTemplate | None:
        """The latest version of a template."""
        with self._connect() as db:
            row = db.execute("SELECT * FROM unit_templates WHERE id = ? ORDER BY version DESC LIMIT 1", (template_id,)).fetchone()
        return _record(row) if row else None

    def read(self, template_id: str) -> tuple[UnitTemplate, bytes] | None:
        record = self.get(template_id)
        if record is None:
            return None
        return record, self._path(record.id, record.version).read_bytes()

    def list(self) -> list[UnitTemplate]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT t.* FROM unit_templates t JOIN (SELECT id, MAX(version) AS v FROM unit_templates GROUP BY id) m "
                "ON t.id = m.id AND t.version = m.v ORDER BY t.created"
            ).fetchall()
        return [_record(r) for r in rows]

    def delete(self, template_id: str) -> bool:
        with self._connect() as db:
            rows = db.execute("SELECT version FROM unit_templates WHERE id = ?", (template_id,)).fetchall()
            db.execute("DELETE FROM unit_templates WHERE id = ?", (template_id,))
        for row in rows:
            self._path(template_id, row["version"]).unlink(missing_ok=True)
        return bool(rows)


def _record(row: sqlite3.Row) -> UnitTemplate:
    data = dict(row)
    data["placeholders"] = json.loads(data["placeholders"])
    return UnitTemplate(**data)


class LazyUnitTemplateStore:
    """Opens the store only for a report that names a unit template, so a
    broken instance folder or database never stops plain documents. Raises
    :class:`UnitTemplateError` (status 503) when the store cannot be opened.

    Reads are remembered for the life of this object (one request or one
    job): a batch of thousands of reports naming one template fetches it once.
    """

    def __init__(self, open_store: Callable[[], UnitTemplateStorage]):
        self._open_store = open_store
        self._store: UnitTemplateStorage | None = None
        self._read: dict[str, tuple[UnitTemplate, bytes] | None] = {}

    def read(self, template_id: str) -> tuple[UnitTemplate, bytes] | None:
        if template_id not in self._read:
            if self._store is None:
                self._store = self._open_store()
            self._read[template_id] = self._store.read(template_id)
        return self._read[template_id]
