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
from pathlib import Path
from typing import Protocol

# The retry policy lives with the store, so celery_app need not import this module.
from .store import MAX_ATTEMPTS, STALE_AFTER_S, JobStore
from .work import execute_in_process, worker_id

log = logging.getLogger(__name__)


class Runner(Protocol):
    def submit(self, job_id: str) -> None:
        """A new job was stored: have it run."""

    def ensure_running(self) -> None:
        """Stored jobs wait: make sure something will run them (after a restart)."""


class LocalRunner:
    """A dispatcher thread that claims queued jobs from the store and runs them
    in a small process pool (rendering is CPU-bound: processes, not threads).

    Several service processes may each have one; claims are atomic in SQLite.
    A pool process that dies takes its job back to the queue (or fails it after
    MAX_ATTEMPTS), and the pool is rebuilt.
    """

    def __init__(self, store: JobStore, workers: int = 1, stale_after_s: float = STALE_AFTER_S, poll_s: float = 2.0):
        self.store = store
        self.workers = workers
        self.stale_after_s = stale_after_s
        self.poll_s = poll_s
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._running: dict[str, Future[None]] = {}

    def start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="job-dispatcher", daemon=True)
                self._thread.start()

    def submit(self, job_id: str) -> None:
        self.start()
        self._wake.set()

    def ensure_running(self) -> None:
        # Queued jobs live in SQLite: a dispatcher in this process picks them up.
        self.start()

    # -- dispatcher ---------------------------------------------------------------
    def _pool_or_new(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    def _loop(self) -> None:
        while not sys.is_finalizing():
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
                    self._running[job_id] = self._pool_or_new().submit(execute_in_process, str(self.store.root), job_id, owner)
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
                self.store.fail(job_id, [{"path": "", "message": "生成文档时发生内部错误"}])

    def _requeue_or_fail(self, job_id: str) -> None:
        job = self.store.get(job_id)
        if job is None or job.status != "running":
            return
        if job.attempts >= MAX_ATTEMPTS:
            self.store.fail(job_id, [{"path": "", "message": f"任务执行中断 {job.attempts} 次，已停止重试"}])
        else:
            self.store.requeue(job_id)


class CeleryRunner:
    """Jobs go to Celery workers (``python -m celery -A service.jobs.celery_app worker``)."""

    def __init__(self, store: JobStore, broker_url: str):
        from .celery_app import make_celery

        self.store = store
        self.celery = make_celery(broker_url)

    def submit(self, job_id: str) -> None:
        self.celery.send_task("service.render_job", args=[str(self.store.root), job_id])

    def ensure_running(self) -> None:
        # The broker holds the job's message until a worker takes it; sending it
        # again on every poll would only fill the queue with duplicates.
        pass


_runners: dict[tuple[str, str], Runner] = {}
_runners_lock = threading.Lock()


def runner_for(root: Path, broker_url: str | None, workers: int, stale_after_s: float = STALE_AFTER_S) -> Runner:
    """One runner per jobs folder and broker in this process."""
    key = (str(root), broker_url or "")
    with _runners_lock:
        if key not in _runners:
            store = JobStore(root)
            _runners[key] = (
                CeleryRunner(store, broker_url) if broker_url else LocalRunner(store, workers, stale_after_s)
            )
        return _runners[key]
