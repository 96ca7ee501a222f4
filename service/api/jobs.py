"""Background jobs: submit, poll, fetch the zip."""
from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, send_file, url_for
from flask.typing import ResponseReturnValue

from ..filenames import content_disposition
from ..jobs import JobStoreError
from ..jobs.store import JobStorage
from ..model import ErrorDetail
from ..batch import BatchPlan
from . import bp
from .access import client_id, is_admin
from .errors import ApiError
from .inputs import batch_input, job_runner, job_store, on_error, planned_batch


@bp.post("/api/v1/jobs")
def create_job() -> ResponseReturnValue:
    items, sheet = batch_input()
    mode = on_error()
    limit = int(current_app.config["JOB_MAX_REPORTS"])
    if len(items) > limit:
        raise ApiError(413, "batch_too_large", f"一个任务最多 {limit} 份报告（本次 {len(items)} 份）")
    job = start_job(planned_batch(items, sheet, mode), client_id())
    resp = jsonify({k: v for k, v in job.public().items() if k != "errors"})
    resp.status_code = 202
    resp.headers["Location"] = url_for("api.get_job", job_id=job.id)
    return resp


def start_job(plan: BatchPlan, client: str, with_pdf: bool = False) -> Any:
    """Store a validated batch as a job and have it run (the API and the 批量生成 page)."""
    store = job_store()
    store.expire(float(current_app.config["JOB_TTL_S"]))
    limit = int(current_app.config["JOBS_MAX_ACTIVE_PER_CLIENT"])
    if store.count_active(client) >= limit:
        raise ApiError(429, "too_many_jobs", f"未完成的后台任务已达上限（{limit} 个），请等已有任务完成后再提交")
    try:
        job = store.create(plan.items, client, skipped=plan.skipped_count,
                           errors=[d.as_dict() for d in plan.skipped], with_pdf=with_pdf)
    except JobStoreError as exc:
        raise ApiError(503, "storage_unavailable", str(exc)) from None
    job_runner(store).submit(job.id)
    return job


def _job_or_404(store: JobStorage, job_id: str) -> Any:
    job = store.get(job_id)
    # Another key's job is answered exactly like a missing one: its id tells
    # nothing. Admin keys see every job.
    if job is None or (job.client != client_id() and not is_admin()):
        raise ApiError(404, "unknown_job", "任务不存在或已过期")
    if job.status in ("queued", "running"):
        job_runner(store).ensure_running()  # after a restart, a local dispatcher must be running
    return job


@bp.get("/api/v1/jobs/<job_id>")
def get_job(job_id: str) -> ResponseReturnValue:
    return jsonify(_job_or_404(job_store(), job_id).public())


@bp.get("/api/v1/jobs/<job_id>/result")
def get_job_result(job_id: str) -> ResponseReturnValue:
    store = job_store()
    job = _job_or_404(store, job_id)
    if job.status == "failed":
        raise ApiError(409, "job_failed", "任务失败，没有结果；错误见任务状态", [ErrorDetail(e.get("path", ""), e["message"], "job_failed") for e in job.errors])
    if job.status != "done":
        raise ApiError(409, "not_ready", f"任务尚未完成（{job.done}/{job.total}），请稍后再取")
    resp = result_response(store, job.id, f"reports-{job.id[:8]}.zip")
    if resp is None:
        raise ApiError(404, "unknown_job", "任务结果已过期或已被删除")
    return resp


def result_response(store: JobStorage, job_id: str, filename: str) -> Any:
    """A finished job's zip, streamed (never whole in memory), or None when it is gone.

    Opened here: the result may have expired (been deleted) since the lookup.
    The API and the 批量生成 page both answer with it.
    """
    opened = store.open_result(job_id)
    if opened is None:
        return None
    result, size = opened
    resp = send_file(result, mimetype="application/zip")
    if size is not None:
        resp.content_length = size
    resp.headers["Content-Disposition"] = content_disposition(filename)
    return resp
