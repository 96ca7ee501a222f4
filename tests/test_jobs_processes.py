"""Jobs across real processes: a service restarted mid-job, and Celery workers on Redis."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.servers import running_redis
from tests.support import ROOT, require_tool, wait_until
from service import create_app

pytestmark = [pytest.mark.slow]



def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method: str, url: str, body: Any = None) -> tuple[int, dict[str, str], bytes]:
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def start_service(instance: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "FLASK_INSTANCE_PATH": str(instance), "FLASK_JOB_STALE_S": "2", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "service", "run", "--port", str(port), "--no-reload"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )

    def healthy() -> bool:
        try:
            return http("GET", f"http://127.0.0.1:{port}/healthz")[0] == 200
        except OSError:
            return False

    wait_until(healthy, 30, "the service to start")
    return proc


def crash(proc: subprocess.Popen[bytes]) -> None:
    """Kill the service and its job pool at once, as a power cut would."""
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def reports(n: int) -> list[dict[str, Any]]:
    return [{"title": f"第{i}号报告", "preamble": ["正文" * 50], "sections": [{"heading": "工作", "paragraphs": ["内容" * 80]}]} for i in range(n)]


def test_a_job_survives_a_restart_of_the_service(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    port = free_port()
    first = start_service(instance, port)
    try:
        status, headers, body = http("POST", f"http://127.0.0.1:{port}/api/v1/jobs", reports(1500))
        assert status == 202
        location = f"http://127.0.0.1:{port}{headers['Location']}"

        def started() -> bool:
            job = json.loads(http("GET", location)[2])
            return job["status"] == "running" and job["done"] > 0

        wait_until(started, 30, "the job to start")
    finally:
        crash(first)
    second = start_service(instance, port)
    try:
        # Nobody asks about the job for a while: the restarted service resumes it by itself.
        from service.jobs import JobStore

        store = JobStore(instance / "jobs")
        job_id = location.rsplit("/", 1)[1]
        wait_until(lambda: store.get(job_id).status == "done", 60, "the job to resume on its own")
        job = json.loads(http("GET", location)[2])
        assert job["status"] == "done" and job["done"] == job["total"] == 1500
        status, _, data = http("GET", location + "/result")
        assert status == 200
        result = tmp_path / "result.zip"
        result.write_bytes(data)
        with zipfile.ZipFile(result) as zf:
            assert len(zf.namelist()) == 1500 and zf.testzip() is None
    finally:
        crash(second)


@pytest.fixture()
def redis_url(tmp_path: Path) -> Iterator[str]:
    require_tool(shutil.which("redis-server") is not None, "redis-server")
    with running_redis(tmp_path) as url:
        yield url


def start_celery_worker(redis_url: str, stale_s: str = "2", python: str = sys.executable) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CELERY_BROKER_URL": redis_url, "PYTHONPATH": str(ROOT), "JOB_STALE_S": stale_s}
    return subprocess.Popen(
        [python, "-m", "celery", "-A", "service.jobs.celery_app", "worker", "-c", "1", "-l", "warning",
         "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


def test_jobs_run_on_a_celery_worker(tmp_path: Path, redis_url: str) -> None:
    instance = tmp_path / "instance"
    worker = start_celery_worker(redis_url)
    try:
        app = create_app({"TESTING": True, "INSTANCE_PATH": str(instance), "CELERY_BROKER_URL": redis_url})
        client = app.test_client()
        resp = client.post("/api/v1/jobs", json=reports(40))
        assert resp.status_code == 202
        location = resp.headers["Location"]
        job = wait_until(lambda: (j := client.get(location).get_json())["status"] in ("done", "failed") and j, 90, "the Celery worker")
        assert job["status"] == "done" and job["done"] == 40
        # The local pool never ran: the worker recorded itself as the job's owner.
        from service.jobs import JobStore

        owner = JobStore(instance / "jobs").get(job["id"]).owner
        assert owner.split(":")[1] != str(os.getpid())
        with client.get(location + "/result") as result:  # closes the served zip
            assert result.status_code == 200
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(30)


def test_a_celery_worker_process_killed_mid_job(tmp_path: Path, redis_url: str) -> None:
    """The broker hands the unacknowledged job to the next worker process, which
    takes it over once the dead one's heartbeat is stale; other jobs finish."""
    instance = tmp_path / "instance"
    worker = start_celery_worker(redis_url)
    try:
        app = create_app({"TESTING": True, "INSTANCE_PATH": str(instance), "CELERY_BROKER_URL": redis_url})
        client = app.test_client()
        first = client.post("/api/v1/jobs", json=reports(3000)).headers["Location"]
        second = client.post("/api/v1/jobs", json=reports(10)).headers["Location"]
        wait_until(lambda: client.get(first).get_json()["done"] > 0, 60, "the job to start on the worker")
        for pid in children(worker.pid):
            os.kill(pid, signal.SIGKILL)
        job = wait_until(lambda: (j := client.get(first).get_json())["status"] in ("done", "failed") and j, 120, "the job after the kill")
        assert job["status"] == "done" and job["done"] == 3000, job
        from service.jobs import JobStore

        assert JobStore(instance / "jobs").get(job["id"]).attempts >= 2
        assert wait_until(lambda: client.get(second).get_json()["status"] == "done", 60, "the other job")
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(30)


def test_a_celery_main_process_killed_mid_job_is_rerun_by_another_worker(tmp_path: Path, redis_url: str) -> None:
    """kill -9 of the worker's main process: Redis would hide its unacknowledged
    message for an hour; the service's sweeper sees the job's heartbeat go stale
    and sends it again, and the other worker runs it."""
    from service.jobs import JobStore
    from service.jobs.runner import runner_for

    instance = tmp_path / "instance"
    stale = 4
    first_worker = start_celery_worker(redis_url, str(stale))
    second_worker: subprocess.Popen[bytes] | None = None
    try:
        app = create_app({"TESTING": True, "INSTANCE_PATH": str(instance), "CELERY_BROKER_URL": redis_url, "JOB_STALE_S": stale})
        client = app.test_client()
        location = client.post("/api/v1/jobs", json=reports(3000)).headers["Location"]
        wait_until(lambda: client.get(location).get_json()["done"] > 0, 90, "the job to start on the first worker")
        store = JobStore(instance / "jobs")
        job_id = location.rsplit("/", 1)[1]
        first_owner = store.get(job_id).owner
        assert int(first_owner.split(":")[1]) in children(first_worker.pid)
        second_worker = start_celery_worker(redis_url, str(stale))
        os.kill(first_worker.pid, signal.SIGKILL)  # the main process only, as the attack did
        first_worker.wait()
        runner = runner_for(store.root, redis_url, 1, stale)
        # Generous hang guard: the bound is recovery_bound_s() plus the rerun itself.
        job = wait_until(lambda: (j := client.get(location).get_json())["status"] in ("done", "failed") and j,
                         180 + runner.recovery_bound_s(), "the job to be run again")
        assert job["status"] == "done" and job["done"] == 3000, job
        record = store.get(job_id)
        assert record.attempts >= 2 and record.owner != first_owner
    finally:
        for proc in (first_worker, second_worker):
            if proc is not None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(30)


@pytest.fixture(scope="session")
def runtime_python() -> str:
    """The interpreter of .venv-runtime: requirements.txt only (built once, cached)."""
    subprocess.run(["bash", "-c", 'source scripts/lib.sh && ensure_runtime_venv'], cwd=ROOT, check=True,
                   timeout=1800)  # hang guard: the first build downloads and installs the runtime packages
    return str(ROOT / ".venv-runtime" / "bin" / "python")


def test_a_celery_worker_starts_from_the_runtime_requirements_alone(tmp_path: Path, redis_url: str, runtime_python: str) -> None:
    """kombu's Redis transport imports packaging: requirements.txt must bring it,
    not the test requirements."""
    probe = subprocess.run([runtime_python, "-c", "import pytest"], capture_output=True)
    assert probe.returncode != 0, ".venv-runtime must hold the runtime requirements only"
    instance = tmp_path / "instance"
    worker = start_celery_worker(redis_url, python=runtime_python)
    try:
        app = create_app({"TESTING": True, "INSTANCE_PATH": str(instance), "CELERY_BROKER_URL": redis_url})
        client = app.test_client()
        location = client.post("/api/v1/jobs", json=reports(3)).headers["Location"]
        job = wait_until(lambda: (j := client.get(location).get_json())["status"] in ("done", "failed") and j, 120,
                         "the worker from .venv-runtime")  # hang guard
        assert job["status"] == "done" and job["done"] == 3
        assert worker.poll() is None
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(30)
