"""Where shared state lives, chosen in this one place.

Without ``DATABASE_URL``: the instance folder (SQLite job state, result
files, unit-template files), the one-machine default. With
``DATABASE_URL=postgresql://…``: jobs, results and unit templates all live in
PostgreSQL, so web nodes and Celery workers on several machines share nothing
by disk (README "多台机器").

A job store is named by its *locator* (a folder or a database URL), which is
all a pool process needs to open it again. Celery messages carry only the job
id when the database is shared; workers read ``DATABASE_URL`` themselves.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .instance import InstanceDirs, instance_dirs
from .jobs.store import JobStorage, JobStore
from .pgdb import is_postgres_url
from .unit_templates.store import LazyUnitTemplateStore, UnitTemplateStorage, UnitTemplateStore

if TYPE_CHECKING:
    from flask import Flask


def job_store_at(locator: str) -> JobStorage:
    """Open the job store a locator names (raises JobStoreError when it cannot)."""
    if is_postgres_url(locator):
        from .jobs.pg_store import PostgresJobStore

        return PostgresJobStore(locator)
    return JobStore(Path(locator))


def unit_templates_at(locator: str) -> UnitTemplateStorage:
    """The unit templates that go with a job store (raises UnitTemplateError, status 503)."""
    if is_postgres_url(locator):
        from .unit_templates.pg_store import PostgresUnitTemplateStore

        return PostgresUnitTemplateStore(locator)
    # Unit templates live beside the jobs folder, in the same instance folder.
    return UnitTemplateStore(InstanceDirs.of_jobs(Path(locator)).unit_templates)


def worker_database_url() -> str | None:
    """A Celery worker's shared database, from its own environment."""
    url = os.environ.get("DATABASE_URL", "")
    return url if is_postgres_url(url) else None


@dataclass(frozen=True)
class Storage:
    dirs: InstanceDirs
    database_url: str = ""

    @property
    def shared(self) -> bool:
        """True when state is in a database every node shares."""
        return is_postgres_url(self.database_url)

    @property
    def jobs_locator(self) -> str:
        return self.database_url if self.shared else str(self.dirs.jobs)

    def jobs(self) -> JobStorage:
        return job_store_at(self.jobs_locator)

    def unit_templates(self) -> UnitTemplateStorage:
        return unit_templates_at(self.database_url) if self.shared else UnitTemplateStore(self.dirs.unit_templates)

    def lazy_unit_templates(self) -> LazyUnitTemplateStore:
        return LazyUnitTemplateStore(self.unit_templates)

    def has_job_state(self) -> bool:
        """Whether there may be jobs to resume (without creating an empty store)."""
        return self.shared or (self.dirs.jobs / "jobs.sqlite3").exists()


def storage(app: Flask | None = None) -> Storage:
    """The storage of ``app`` (default: the current app)."""
    if app is None:
        from flask import current_app

        app = current_app
    return Storage(instance_dirs(app), str(app.config.get("DATABASE_URL") or ""))
