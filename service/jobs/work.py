"""Running one job: the same function in the local pool and on Celery workers."""
from __future__ import annotations

import errno
import logging
import os
import sqlite3
import socket
import threading
import time
from typing import Any

from ..batch import stream_zip, validate_batch
from ..model import ErrorDetail, ReportValidationError
from ..unit_templates import UnitTemplateError
from .store import JobStorage, JobStoreError

log = logging.getLogger(__name__)

PROGRESS_EVERY = 25  # documents between progress updates
PROGRESS_EVERY_S = 0.5  # ... or at least this often, whatever each document takes
HEARTBEAT_S = 5.0  # how often a working job says it is alive, whatever each document takes


def heartbeat_for(stale_after_s: float) -> float:
    """Beat several times within the stale time, so only a dead worker looks stale."""
    return min(HEARTBEAT_S, stale_after_s / 4)


class JobTakenOver(Exception):
    """The job was handed to another worker: stop without touching it."""


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class _Heartbeat:
    """Beats in a thread while the job runs, so a slow document (or validating
    a large batch) never looks like a dead worker."""

    def __init__(self, store: JobStorage, job_id: str, owner: str, every_s: float = HEARTBEAT_S):
        self.store, self.job_id, self.owner, self.every_s = store, job_id, owner, every_s
        self._stop = threading.Event()
        self.lost = False
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{job_id[:8]}", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                alive = self.store.beat(self.job_id, self.owner)
            except JobStoreError:
                continue  # the database is away for a moment: beat again later (stale recovery decides)
            if not alive:
                self.lost = True
                return

    def __enter__(self) -> "_Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def execute(store: JobStorage, job_id: str, owner: str, heartbeat_s: float = HEARTBEAT_S) -> None:
    """Render a job ``owner`` has claimed into its result zip; never raises."""
    from ..storage import unit_templates_at
    from ..unit_templates import LazyUnitTemplateStore

    try:
        with _Heartbeat(store, job_id, owner, heartbeat_s) as heartbeat:
            items, extras = _job_input(store.load_input(job_id))
            # The unit templates that go with the job store (same folder or same database).
            units = LazyUnitTemplateStore(lambda: unit_templates_at(store.locator))
            names = validate_batch(items, units)
            last_report = time.monotonic()
            # About twenty steps per job (at most every PROGRESS_EVERY documents): a
            # progress bar moves even on a 30-row batch.
            step = max(1, min(PROGRESS_EVERY, len(names) // 20))

            def progress(done: int) -> None:
                nonlocal last_report
                if heartbeat.lost:
                    raise JobTakenOver
                if done % step == 0 or time.monotonic() - last_report >= PROGRESS_EVERY_S:
                    last_report = time.monotonic()
                    if not store.progress(job_id, owner, done):
                        raise JobTakenOver

            with store.write_result(job_id, owner) as out:
                for chunk in stream_zip(items, names, progress, units, **extras):
                    out.write(chunk)
            if store.finish(job_id, owner, len(names)):
                log.info("job %s done: %d documents", job_id, len(names))
    except JobTakenOver:
        log.warning("job %s was taken over by another worker; %s stops", job_id, owner)
    except ReportValidationError as exc:
        _fail_quietly(store, job_id, owner, [d.as_dict() for d in exc.details])
    except (JobStoreError, UnitTemplateError) as exc:
        log.error("job %s: storage error: %s", job_id, exc)
        disk_full = isinstance(exc, JobStoreError) and exc.disk_full
        _fail_quietly(store, job_id, owner, [{"path": "", "message": DISK_FULL if disk_full else str(exc)}])
    except (OSError, sqlite3.OperationalError) as exc:
        if not isinstance(exc, OSError) and not is_disk_full(exc):
            log.exception("job %s failed", job_id)
            _fail_quietly(store, job_id, owner, INTERNAL_ERROR)
        else:
            log.error("job %s failed writing its result: %s", job_id, exc)
            _fail_quietly(store, job_id, owner, DISK_FULL if is_disk_full(exc) else CANNOT_WRITE)
    except Exception:  # a bug must fail the job, not leave it running
        log.exception("job %s failed", job_id)
        _fail_quietly(store, job_id, owner, INTERNAL_ERROR)


DISK_FULL = "磁盘已满，无法写入任务结果：请清理服务器磁盘后重新提交任务"
CANNOT_WRITE = "无法写入结果文件（磁盘已满或没有写权限）"
INTERNAL_ERROR = "生成文档时发生内部错误"


def is_disk_full(exc: BaseException) -> bool:
    """ENOSPC/EDQUOT from a file write, or SQLite's own "disk is full"."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    return isinstance(exc, sqlite3.OperationalError) and "full" in str(exc).lower()


def failure_message(exc: BaseException) -> str:
    return DISK_FULL if is_disk_full(exc) else INTERNAL_ERROR


def _fail_quietly(store: JobStorage, job_id: str, owner: str, errors: str | list[dict[str, str]]) -> None:
    """Record the failure; when even that cannot be written (the database's
    disk is full too, or it is down), the job's heartbeat stops and stale
    recovery re-runs or fails it."""
    details = [{"path": "", "message": errors}] if isinstance(errors, str) else errors
    try:
        store.fail(job_id, details, owner)
    except (OSError, sqlite3.Error, JobStoreError) as exc:
        log.error("job %s: could not record its failure: %s", job_id, exc)


def _job_input(data: Any) -> tuple[list[Any], dict[str, Any]]:
    """The items of a stored job and the zip's extras (skipped reports' problems, PDFs)."""
    if isinstance(data, list):
        return data, {}
    errors = [
        ErrorDetail(e.get("path", ""), e.get("message", ""), "skipped", e.get("row"), e.get("column"))
        for e in data.get("errors", [])
    ]
    return data["items"], {"error_report": errors, "skipped": int(data.get("skipped", 0)), "with_pdf": bool(data.get("with_pdf"))}


def execute_in_process(locator: str, job_id: str, owner: str, heartbeat_s: float = HEARTBEAT_S) -> None:
    """Entry point for a pool process (arguments must pickle): ``locator`` names the store."""
    from ..storage import job_store_at

    execute(job_store_at(locator), job_id, owner, heartbeat_s)
