"""Running one job: the same function in the local pool and on Celery workers."""
from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from pathlib import Path
from typing import Any

from ..batch import stream_zip, validate_batch
from ..model import ErrorDetail, ReportValidationError
from .store import JobStore

log = logging.getLogger(__name__)

PROGRESS_EVERY = 25  # documents between progress updates
PROGRESS_EVERY_S = 0.5  # ... or at least this often, whatever each document takes
HEARTBEAT_S = 5.0  # how often a working job says it is alive, whatever each document takes


class JobTakenOver(Exception):
    """The job was handed to another worker: stop without touching it."""


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class _Heartbeat:
    """Beats in a thread while the job runs, so a slow document (or validating
    a large batch) never looks like a dead worker."""

    def __init__(self, store: JobStore, job_id: str, owner: str):
        self.store, self.job_id, self.owner = store, job_id, owner
        self._stop = threading.Event()
        self.lost = False
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{job_id[:8]}", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(HEARTBEAT_S):
            if not self.store.beat(self.job_id, self.owner):
                self.lost = True
                return

    def __enter__(self) -> "_Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def execute(store: JobStore, job_id: str, owner: str) -> None:
    """Render a job ``owner`` has claimed into its result zip; never raises."""
    from ..unit_templates import UnitTemplateStore

    # Each owner writes its own temporary file: a worker that lost the job
    # can never clobber the new owner's output.
    tmp = store.result_path(job_id).with_name(f"{job_id}.{owner.replace(':', '-').replace('/', '-')}.part")
    try:
        with _Heartbeat(store, job_id, owner) as heartbeat:
            items, extras = _job_input(json.loads(store.input_path(job_id).read_text(encoding="utf-8")))
            # Unit templates live beside the jobs folder, in the same instance folder.
            units = UnitTemplateStore(store.root.parent / "unit_templates")
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

            with open(tmp, "wb") as out:
                for chunk in stream_zip(items, names, progress, units, **extras):
                    out.write(chunk)
            os.replace(tmp, store.result_path(job_id))
            if store.finish(job_id, owner, len(names)):
                log.info("job %s done: %d documents", job_id, len(names))
    except JobTakenOver:
        log.warning("job %s was taken over by another worker; %s stops", job_id, owner)
    except ReportValidationError as exc:
        store.fail(job_id, [d.as_dict() for d in exc.details], owner)
    except OSError as exc:
        log.error("job %s failed writing its result: %s", job_id, exc.__class__.__name__)
        store.fail(job_id, [{"path": "", "message": "无法写入结果文件（磁盘已满或没有写权限）"}], owner)
    except Exception:  # a bug must fail the job, not leave it running
        log.exception("job %s failed", job_id)
        store.fail(job_id, [{"path": "", "message": "生成文档时发生内部错误"}], owner)
    finally:
        tmp.unlink(missing_ok=True)


def _job_input(data: Any) -> tuple[list[Any], dict[str, Any]]:
    """The items of a stored job and the zip's extras (skipped reports' problems, PDFs)."""
    if isinstance(data, list):
        return data, {}
    errors = [
        ErrorDetail(e.get("path", ""), e.get("message", ""), "skipped", e.get("row"), e.get("column"))
        for e in data.get("errors", [])
    ]
    return data["items"], {"error_report": errors, "skipped": int(data.get("skipped", 0)), "with_pdf": bool(data.get("with_pdf"))}


def execute_in_process(root: str, job_id: str, owner: str) -> None:
    """Entry point for a pool process (arguments must pickle)."""
    execute(JobStore(Path(root)), job_id, owner)
