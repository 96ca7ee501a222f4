"""Celery scale-out: the same job function, run on Celery workers.

On other machines, with jobs in PostgreSQL (README "多台机器"), workers need
only the database and the broker::

    DATABASE_URL=postgresql://… CELERY_BROKER_URL=redis://…:6379/0 python -m celery -A service.jobs.celery_app worker -c 2

Without ``DATABASE_URL``, workers must run beside the service (same machine):
its messages name the instance's jobs folder. Start the service with the
same ``CELERY_BROKER_URL`` (and ``DATABASE_URL``).
"""
from __future__ import annotations

import os
import logging

from celery import Celery

from .store import MAX_ATTEMPTS, STALE_AFTER_S, JobStoreError
from .work import execute, heartbeat_for, worker_id

log = logging.getLogger(__name__)


def make_celery(broker_url: str | None = None, stale_after_s: float | None = None) -> Celery:
    stale = stale_after_s if stale_after_s is not None else _stale_after_s()
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
        broker_transport_options=transport_options(stale),
    )
    # A database that is down for a moment must not lose the job: the
    # message is tried again, waiting up to a minute between tries.
    celery.task(name="service.render_job", autoretry_for=(JobStoreError,), retry_backoff=2, retry_backoff_max=60,
                retry_jitter=False, max_retries=None)(_render_job)
    return celery


def transport_options(stale_after_s: float) -> dict[str, float]:
    """Redis keeps an unacknowledged message hidden for ``visibility_timeout``
    (an hour by default): a message a dead worker had taken comes back after
    twice the stale time instead, checked every few seconds. A job still
    running when its message comes back is left to its owner (see
    ``_render_job``), so a short timeout never runs a job twice."""
    return {
        "visibility_timeout": max(2 * stale_after_s, 10.0),
        "unacked_restore_interval": 5.0,
        "unacked_restore_throttle": 1,
    }


def _stale_after_s() -> float:
    return float(os.environ.get("JOB_STALE_S", STALE_AFTER_S))


def _render_job(first: str, second: str | None = None) -> None:
    """``[job_id]`` (the store is this worker's DATABASE_URL) or
    ``[jobs_folder, job_id]`` (one machine, SQLite)."""
    from ..storage import job_store_at, worker_database_url

    locator, job_id = (first, second) if second is not None else (worker_database_url(), first)
    if locator is None:
        # A worker started without DATABASE_URL: the message goes back (and
        # may reach a worker set up right) instead of being dropped.
        log.error("job %s: the message names no jobs folder and DATABASE_URL is not set on this worker", job_id)
        raise JobStoreError("工作进程没有设置 DATABASE_URL")
    store = job_store_at(locator)  # JobStoreError (database down): Celery retries the message later
    stale = _stale_after_s()
    # Jobs whose worker died go back to the queue; this message may be one of
    # them (redelivered by the broker or re-sent by a sweeper).
    store.recover_stale(stale, MAX_ATTEMPTS)
    owner = worker_id()
    if store.claim(job_id, owner):
        execute(store, job_id, owner, heartbeat_s=heartbeat_for(stale))
    # Otherwise the job is done, failed, or running with a live heartbeat: this
    # message is a duplicate. If that owner dies, stale recovery re-sends it.


app = make_celery()
