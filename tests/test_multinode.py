"""Several machines sharing nothing by disk: two gunicorn web nodes and two
Celery workers, one PostgreSQL, one Redis (README "多台机器").

Each node runs with its own empty instance folder. As root, each is also in a
private mount namespace with a fresh tmpfs mounted over that folder: whatever
a node writes there, no other process can see, so anything one node finds
that another made came through PostgreSQL. (Without root, the folders are
only separate temporary folders.)
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path
from typing import Any, Iterator

import psycopg
import pytest

from tests.servers import free_port, running_redis
from tests.support import ROOT, require_tool, wait_until
from tests.test_unit_templates import REPORT, letterhead

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.postgres]

STALE_S = 4
KEY_A, KEY_B, ADMIN = "key-a", "key-b", "admin-secret"


def namespaces_work() -> bool:
    if os.getuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "true"], capture_output=True)
    return probe.returncode == 0


ISOLATED = namespaces_work()


def isolated(argv: list[str], folder: Path) -> list[str]:
    """``argv`` in a private mount namespace with a fresh tmpfs over ``folder``."""
    if not ISOLATED:
        return argv
    return ["unshare", "-m", "--propagation", "private", "--", "sh", "-c",
            'mount -t tmpfs -o size=64m tmpfs "$0" && exec "$@"', str(folder), *argv]


class Cluster:
    def __init__(self, tmp: Path, database_url: str, broker_url: str):
        self.tmp, self.database_url, self.broker_url = tmp, database_url, broker_url
        self.procs: list[subprocess.Popen[bytes]] = []
        self._n = 0

    def _folder(self, name: str) -> Path:
        self._n += 1
        folder = self.tmp / f"{name}-{self._n}"
        folder.mkdir()
        return folder

    def _start(self, name: str, folder: Path, argv: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[bytes], Path]:
        log = open(folder.with_suffix(".log"), "wb")
        with log:
            proc = subprocess.Popen(
                isolated(argv, folder), cwd=ROOT, stdout=log, stderr=log, start_new_session=True,
                env={**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": self.database_url,
                     "CELERY_BROKER_URL": self.broker_url, "HOME": str(folder), **env},
            )
        self.procs.append(proc)
        return proc, folder

    def web(self, name: str) -> tuple[subprocess.Popen[bytes], str, Path]:
        port, folder = free_port(), self._folder(name)
        proc, _ = self._start(name, folder, [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], {
            "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1", "FLASK_INSTANCE_PATH": str(folder),
            "FLASK_SECRET_KEY": "shared-secret", "API_KEYS": f"{KEY_A},{KEY_B}", "ADMIN_KEYS": ADMIN,
            "FLASK_JOB_STALE_S": str(STALE_S)})
        return proc, f"http://127.0.0.1:{port}", folder

    def worker(self, name: str) -> tuple[subprocess.Popen[bytes], Path]:
        return self._start(name, self._folder(name), [sys.executable, "-m", "celery", "-A", "service.jobs.celery_app", "worker", "-c", "1",
                                  "-l", "warning", "--without-heartbeat", "--without-gossip", "--without-mingle"],
                           {"JOB_STALE_S": str(STALE_S)})

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(30)


def http(method: str, url: str, key: str = KEY_A, body: Any = None, data: bytes | None = None,
         content_type: str = "application/json") -> tuple[int, bytes]:
    if body is not None:
        data = json.dumps(body, ensure_ascii=False).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": content_type, "Authorization": f"Bearer {key}"})
    return send(req)


def send(req: urllib.request.Request) -> tuple[int, bytes]:
    """Status and body, for an error status too."""
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read()


def healthy(base: str) -> bool:
    try:
        return http("GET", f"{base}/healthz")[0] == 200
    except OSError:
        return False


def job(base: str, job_id: str, key: str = KEY_A) -> dict[str, Any]:
    status, data = http("GET", f"{base}/api/v1/jobs/{job_id}", key)
    assert status == 200, (status, data)
    return json.loads(data)


def finished(base: str, job_id: str, timeout_s: float = 120) -> dict[str, Any]:
    return wait_until(lambda: (j := job(base, job_id))["status"] in ("done", "failed") and j, timeout_s, f"job {job_id}")


def submit(base: str, reports: list[dict[str, Any]]) -> str:
    status, data = http("POST", f"{base}/api/v1/jobs", body=reports)
    assert status == 202, data
    return json.loads(data)["id"]


def result_zip(base: str, job_id: str) -> bytes:
    status, data = http("GET", f"{base}/api/v1/jobs/{job_id}/result")
    assert status == 200, data
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
    return data


def multipart(field: str, filename: str, content: bytes, extra: dict[str, str]) -> tuple[bytes, str]:
    boundary = "----multinode-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in extra.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                 "Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@pytest.fixture()
def cluster(tmp_path: Path, postgres_url: str) -> Iterator[Cluster]:
    require_tool(shutil.which("redis-server") is not None, "redis-server")
    with running_redis(tmp_path) as broker:
        nodes = Cluster(tmp_path, postgres_url, broker)
        try:
            yield nodes
        finally:
            nodes.stop()


def test_two_web_nodes_and_two_workers_share_only_the_database(cluster: Cluster) -> None:
    (web_a, a, folder_a), (web_b, b, folder_b) = cluster.web("web-a"), cluster.web("web-b")
    workers = [cluster.worker("worker-1"), cluster.worker("worker-2")]
    wait_until(lambda: healthy(a) and healthy(b), 60, "both web nodes")

    # A unit template uploaded on A renders on B.
    body, content_type = multipart("file", "letterhead.docx", letterhead(), {"name": "青山镇信笺"})
    status, data = http("POST", f"{a}/api/v1/unit-templates", ADMIN, data=body, content_type=content_type)
    assert status == 201, data
    template_id = json.loads(data)["id"]
    status, data = http("POST", f"{b}/api/v1/reports", body={**REPORT, "unit_template": template_id})
    assert status == 200 and data[:2] == b"PK", data[:200]
    status, data = form_across_nodes(a, b)
    assert status == 200 and data[:2] == b"PK", data[:300]

    # A job made on A is polled and downloaded on B, and the other way round;
    # its unit template is found by whichever worker runs it.
    on_a = submit(a, [{**REPORT, "title": f"甲{i}", "unit_template": template_id} for i in range(20)])
    on_b = submit(b, [{**REPORT, "title": f"乙{i}"} for i in range(20)])
    assert finished(b, on_a)["status"] == "done" and finished(a, on_b)["status"] == "done"
    zips = {on_a: result_zip(b, on_a), on_b: result_zip(a, on_b)}
    with zipfile.ZipFile(io.BytesIO(zips[on_a])) as zf:
        assert len(zf.namelist()) == 20
    # Ownership holds across nodes: the other key sees nothing on either node.
    assert http("GET", f"{b}/api/v1/jobs/{on_a}", KEY_B)[0] == 404
    assert http("GET", f"{a}/api/v1/jobs/{on_b}/result", KEY_B)[0] == 404

    # A worker killed with SIGKILL mid-job: the job still finishes, on the other worker.
    big = submit(a, [{**REPORT, "title": f"丙{i}"} for i in range(1500)])
    wait_until(lambda: job(b, big)["done"] > 0, 120, "the big job to start")
    with psycopg.connect(cluster.database_url) as conn:
        row = conn.execute("SELECT owner FROM jobs WHERE id = %s", (big,)).fetchone()
    assert row is not None
    owner_pid = int(row[0].rsplit(":", 1)[1])
    victim = next(proc for proc, _ in workers if owner_pid in children(proc.pid))
    os.killpg(victim.pid, signal.SIGKILL)  # the whole worker: main process and its pool
    victim.wait()
    done = finished(b, big, timeout_s=240)
    assert done["status"] == "done" and done["done"] == 1500, done
    with psycopg.connect(cluster.database_url) as conn:
        attempts = conn.execute("SELECT attempts FROM jobs WHERE id = %s", (big,)).fetchone()
    assert attempts is not None and attempts[0] >= 2

    # Nothing reached any disk another node can see.
    if ISOLATED:
        for _, folder in workers:
            assert not any(folder.iterdir()), folder
        assert not any(folder_a.iterdir()) and not any(folder_b.iterdir())

    # Both web nodes restart on fresh, empty disks: jobs and results are still there.
    for proc in (web_a, web_b):
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    (_, a2, _), (_, b2, _) = cluster.web("web-a"), cluster.web("web-b")
    wait_until(lambda: healthy(a2) and healthy(b2), 60, "the restarted web nodes")
    for job_id, data in zips.items():
        assert job(b2, job_id)["status"] == "done"
        assert hashlib.sha256(result_zip(a2, job_id)).digest() == hashlib.sha256(data).digest()
    assert len(result_zip(b2, big)) > 0
    status, data = http("GET", f"{b2}/api/v1/unit-templates")
    assert status == 200 and [t["id"] for t in json.loads(data)["unit_templates"]] == [template_id]


def form_across_nodes(a: str, b: str) -> tuple[int, bytes]:
    """The web form loaded from A and posted to B (its CSRF token is signed
    with the shared FLASK_SECRET_KEY)."""
    with urllib.request.urlopen(f"{a}/", timeout=30) as page:
        cookie = page.headers["Set-Cookie"].split(";", 1)[0]
        html = page.read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert token is not None
    data = urllib.parse.urlencode({"csrf_token": token.group(1), "title": "跨节点表单", "body": "一、总体情况\n正文。"}).encode()
    return send(urllib.request.Request(f"{b}/web/download", data=data, method="POST", headers={"Cookie": cookie}))


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]
