"""Running one job: the same function in the local pool and on Celery workers."""
from __future__ import annotations

import logging
import os
import socket
from pathlib import Path

from ..batch import stream_zip, validate_batch
from ..model import ReportValidationError
from .store import JobStore

log = logging.getLogger(__name__)

PROGRESS_EVERY = 25  # documents between progress (and heartbeat) updates


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def execute(store: JobStore, job_id: str) -> None:
    """Render a claimed job's reports into its result zip; never raises."""
    import json

    try:
        from ..unit_templates import UnitTemplateStore

        items = json.loads(store.input_path(job_id).read_text(encoding="utf-8"))
        # Unit templates live beside the jobs folder, in the same instance folder.
        units = UnitTemplateStore(store.root.parent / "unit_templates")
        names = validate_batch(items, units)
        tmp = store.result_path(job_id).with_suffix(".part")

        def progress(done: int) -> None:
            if done % PROGRESS_EVERY == 0:
                store.progress(job_id, done)

        with open(tmp, "wb") as out:
            for chunk in stream_zip(items, names, progress, units):
                out.write(chunk)
        os.replace(tmp, store.result_path(job_id))
        store.finish(job_id, len(names))
        log.info("job %s done: %d documents", job_id, len(names))
    except ReportValidationError as exc:
        store.fail(job_id, [d.as_dict() for d in exc.details])
    except OSError as exc:
        log.error("job %s failed writing its result: %s", job_id, exc.__class__.__name__)
        store.fail(job_id, [{"path": "", "message": "无法写入结果文件（磁盘已满或没有写权限）"}])
    except Exception:  # a bug must fail the job, not leave it running
        log.exception("job %s failed", job_id)
        store.fail(job_id, [{"path": "", "message": "生成文档时发生内部错误"}])


def execute_in_process(root: str, job_id: str) -> None:
    """Entry point for a pool process (arguments must pickle)."""
    execute(JobStore(Path(root)), job_id)
