"""Celery scale-out: the same job function, run on Celery workers.

Start workers that share the service's instance folder (same machine or a
shared file system)::

    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 python -m celery -A service.jobs.celery_app worker -c 2

and start the service with the same ``CELERY_BROKER_URL``.
"""
from __future__ import annotations

import os
from pathlib import Path

from celery import Celery, Task

from .store import MAX_ATTEMPTS, STALE_AFTER_S, JobStore
from .work import execute, worker_id


def make_celery(broker_url: str | None = None) -> Celery:
    celery = Celery("service", broker=broker_url or os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"))
    celery.conf.update(
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        # A worker killed mid-job leaves the message unacknowledged, so the
        # broker hands it to another worker.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
    )
    celery.task(name="service.render_job", bind=True, max_retries=MAX_ATTEMPTS * 2)(_render_job)
    return celery


def _stale_after_s() -> float:
    return float(os.environ.get("JOB_STALE_S", STALE_AFTER_S))


def _render_job(task: Task, root: str, job_id: str) -> None:
    store = JobStore(Path(root))
    store.recover_stale(_stale_after_s(), MAX_ATTEMPTS)
    owner = worker_id()
    if store.claim(job_id, owner):
        execute(store, job_id, owner)
        return
    job = store.get(job_id)
    if job is not None and job.status == "running":
        # Redelivered after a worker died: wait until its heartbeat is stale.
        raise task.retry(countdown=_stale_after_s())


app = make_celery()
