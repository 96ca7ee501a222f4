"""Batch jobs: state in SQLite + results folder; run locally or on Celery."""
from .store import Job, JobStore, JobStoreError

__all__ = ["Job", "JobStore", "JobStoreError"]
