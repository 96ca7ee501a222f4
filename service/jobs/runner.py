"""Who runs jobs: a local process pool by default, Celery workers when a broker is set.

The API is the same either way: it stores the job, then calls ``submit``.
"""
from __future__ import annotations

import logging
import multiprocessing
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol

# The retry policy lives with the store, so celery_app need not import this module.
from ..pgdb import is_postgres_url
from .store import MAX_ATTEMPTS, STALE_AFTER_S, JobStorage, JobStoreError
from .work import execute_in_process, failure_message, heartbeat_for, worker_id

log = logging.getLogger(__name__)


class Runner(Protocol):
    def submit(self, job_id: str) -> None:
        """A new job was stored: have it run."""

    def ensure_running(self) -> None:
        """Stored jobs wait: make sure something will run them (after a restart)."""


class _BackgroundLoop:
    """One daemon thread per service process running ``self._loop``; a start
    also clears half-written results left by a crash (the one start-up step)."""

    store: JobStorage
    _lock: threading.Lock
    _stopped: threading.Event
    _thread: threading.Thread | None

    def _loop(self) -> None:
        raise NotImplementedError

    @property
    def running(self) -> bool:
        """The loop goes on: the process is not exiting and :meth:`stop` was not called."""
        return not sys.is_finalizing() and not self._stopped.is_set()

    def stop(self) -> None:
        """End the loop at its next round (the store goes away, e.g. a test's database)."""
        self._stopped.set()

    def _pause(self, seconds: float) -> None:
        self._stopped.wait(seconds)

    def _start_loop(self, name: str) -> None:
        with self._lock:
            if self._stopped.is_set():
                return
            if self._thread is None or not self._thread.is_alive():
                self.store.remove_orphan_parts()
                self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
                self._thread.start()


class LocalRunner(_BackgroundLoop):
    """A dispatcher thread that claims queued jobs from the store and runs them
    in a small process pool (rendering is CPU-bound: processes, not threads).

    Several service processes may each have one; claims are atomic in the store.
    A pool process that dies takes its job back to the queue (or fails it after
    MAX_ATTEMPTS), and the pool is rebuilt.
    """

    def __init__(self, store: JobStorage, workers: int = 1, stale_after_s: float = STALE_AFTER_S, poll_s: float = 2.0):
        self.store = store
        self.workers = workers
        self.stale_after_s = stale_after_s
        self.poll_s = poll_s
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._running: dict[str, Future[None]] = {}

    def start(self) -> None:
        self._start_loop("job-dispatcher")

    def submit(self, job_id: str) -> None:
        self.start()
        self._wake.set()

    def ensure_running(self) -> None:
        # Queued jobs live in the store: a dispatcher in this process picks them up.
        self.start()

    # -- dispatcher ---------------------------------------------------------------
    def _pool_or_new(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    def _loop(self) -> None:
        while self.running:
            try:
                self._reap()
                self.store.recover_stale(self.stale_after_s, MAX_ATTEMPTS)
                while len(self._running) < self.workers:
                    job_id = self.store.next_queued()
                    if job_id is None:
                        break
                    owner = f"{worker_id()}:{job_id[:8]}"
                    if not self.store.claim(job_id, owner):
                        break
                    self._running[job_id] = self._pool_or_new().submit(
                        execute_in_process, self.store.locator, job_id, owner, heartbeat_for(self.stale_after_s))
            except JobStoreError as exc:  # the database is away: try again at the next round
                log.warning("job dispatcher: %s", exc)
            except RuntimeError:
                if sys.is_finalizing() or threading.main_thread().is_alive() is False:
                    return  # the interpreter is shutting down: the pool is gone
                log.exception("job dispatcher error")
            except Exception:  # the dispatcher must outlive any single failure
                log.exception("job dispatcher error")
            self._wake.wait(self.poll_s if not self._running else 0.2)
            self._wake.clear()

    def _reap(self) -> None:
        for job_id, future in list(self._running.items()):
            if not future.done():
                continue
            del self._running[job_id]
            error = future.exception()
            if isinstance(error, BrokenProcessPool):
                log.error("job %s lost its worker process; requeueing", job_id)
                self._pool = None
                self._requeue_or_fail(job_id)
            elif error is not None:
                log.error("job %s raised %s", job_id, error.__class__.__name__)
                self.store.fail(job_id, [{"path": "", "message": failure_message(error)}])

    def _requeue_or_fail(self, job_id: str) -> None:
        job = self.store.get(job_id)
        if job is None or job.status != "running":
            return
        if job.attempts >= MAX_ATTEMPTS:
            self.store.fail(job_id, [{"path": "", "message": f"任务执行中断 {job.attempts} 次，已停止重试"}])
        else:
            self.store.requeue(job_id)


class CeleryRunner(_BackgroundLoop):
    """Jobs go to Celery workers (``python -m celery -A service.jobs.celery_app worker``).

    A sweeper thread in the service puts jobs whose worker died (no heartbeat
    for ``stale_after_s``) back in the queue and sends their message again:
    the broker alone would hold the dead worker's message for its visibility
    timeout. A lost job is running again within ``recovery_bound_s()``.
    """

    def __init__(self, store: JobStorage, broker_url: str, stale_after_s: float = STALE_AFTER_S):
        from .celery_app import make_celery

        self.store = store
        self.stale_after_s = stale_after_s
        self.celery = make_celery(broker_url, stale_after_s)
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def sweep_every_s(self) -> float:
        return max(1.0, min(15.0, self.stale_after_s / 2))

    def recovery_bound_s(self) -> float:
        return self.stale_after_s + self.sweep_every_s()

    def _send(self, job_id: str) -> None:
        # A shared database: the message is the job id alone (workers read
        # DATABASE_URL). A folder: the worker must be told which one.
        locator = self.store.locator
        self.celery.send_task("service.render_job", args=[job_id] if is_postgres_url(locator) else [locator, job_id])

    def submit(self, job_id: str) -> None:
        self._send(job_id)
        self._start()

    def ensure_running(self) -> None:
        # Queued jobs have a message in the broker; only lost ones need help.
        self._start()

    def sweep(self) -> list[str]:
        """Requeue jobs whose worker stopped beating and send them again."""
        requeued = self.store.recover_stale(self.stale_after_s, MAX_ATTEMPTS)
        for job_id in requeued:
            log.warning("job %s lost its Celery worker; sending it again", job_id)
            self._send(job_id)
        return requeued

    def _start(self) -> None:
        self._start_loop("job-sweeper")

    def _loop(self) -> None:
        while self.running:
            try:
                self.sweep()
            except JobStoreError as exc:  # the database is away: sweep again later
                log.warning("job sweeper: %s", exc)
            except Exception:  # a broker or disk hiccup must not end the sweeps
                log.exception("job sweeper error")
            self._pause(self.sweep_every_s())


_runners: dict[tuple[str, str], Runner] = {}
_runners_lock = threading.Lock()


def runner_for(locator: str, broker_url: str | None, workers: int, stale_after_s: float = STALE_AFTER_S) -> Runner:
    """One runner per job store (a folder or a database URL) and broker in this process."""
    from ..storage import job_store_at

    key = (str(locator), broker_url or "")
    with _runners_lock:
        if key not in _runners:
            store = job_store_at(str(locator))
            _runners[key] = (
                CeleryRunner(store, broker_url, stale_after_s) if broker_url else LocalRunner(store, workers, stale_after_s)
            )
        return _runners[key]


def stop_runners(locator_prefix: str) -> None:
    """Stop and forget the runners of every store whose locator starts so
    (a database server that is going away)."""
    with _runners_lock:
        for key in [k for k in _runners if k[0].startswith(locator_prefix)]:
            _runners.pop(key).stop()
