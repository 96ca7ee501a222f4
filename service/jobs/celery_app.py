"""Celery scale-out: the same job function, run on Celery workers.

Start workers that share the service's instance folder (same machine or a
shared file system)::

    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 python -m celery -A service.jobs.celery_app worker -c 2

and start the service with the same ``CELERY_BROKER_URL``.
"""
from __future__ import annotations

import os
from pathlib import Path

from celery import Celery

from .store import MAX_ATTEMPTS, STALE_AFTER_S, JobStore
from .work import execute, heartbeat_for, worker_id


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
    celery.task(name="service.render_job")(_render_job)
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


def _render_job(root: str, job_id: str) -> None:
    store = JobStore(Path(root))
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
