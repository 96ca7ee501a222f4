"""Batch jobs: state in SQLite + results folder (one machine) or in PostgreSQL
(``DATABASE_URL``, several machines); run locally or on Celery."""
from .store import Job, JobStorage, JobStore, JobStoreError

__all__ = ["Job", "JobStorage", "JobStore", "JobStoreError"]
