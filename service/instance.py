"""The instance folder and its sub-folders, in one place (as flaskr's db.py owns its database).

``instance/`` (or ``FLASK_INSTANCE_PATH``) holds what the service keeps: the
secret key, job state and results (``jobs/``, owned by :class:`service.jobs.JobStore`)
and unit templates (``unit_templates/``). :func:`init_app` attaches the folders
to the app; adapters ask :func:`instance_dirs`, job workers (no app) derive
them from the job store's folder. Nothing here imports Flask at module level.
With ``DATABASE_URL`` set, jobs and unit templates live in PostgreSQL instead
and these folders stay empty; ``service.storage`` is the one place that picks.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

EXTENSION_KEY = "instance_dirs"


@dataclass(frozen=True)
class InstanceDirs:
    root: Path

    @property
    def secret_key(self) -> Path:
        return self.root / "secret_key"

    @property
    def jobs(self) -> Path:
        """The job store's folder (its database and results/ inside)."""
        return self.root / "jobs"

    @property
    def unit_templates(self) -> Path:
        return self.root / "unit_templates"

    @classmethod
    def of_jobs(cls, jobs: Path) -> InstanceDirs:
        """The instance a job store's folder belongs to (for job workers, which have no app)."""
        return cls(jobs.parent)


def init_app(app: Flask) -> InstanceDirs:
    dirs = InstanceDirs(Path(app.instance_path))
    app.extensions[EXTENSION_KEY] = dirs
    return dirs


def instance_dirs(app: Flask | None = None) -> InstanceDirs:
    """The folders of ``app`` (default: the current app)."""
    if app is None:
        from flask import current_app

        app = current_app
    return app.extensions[EXTENSION_KEY]
