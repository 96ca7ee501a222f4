"""The warm LibreOffice pool under gunicorn, started as scripts/start.sh starts
it: a killed worker takes its LibreOffices along, and a stopped service leaves
no soffice behind."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from tests.support import ROOT, require_tool

from service import convert

REPORT = {"title": "关于池进程的报告", "preamble": ["正文。" * 60]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post_pdf(port: int) -> tuple[int, bytes]:
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/reports?format=pdf", data=json.dumps(REPORT).encode(),
        method="POST", headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:  # hang guard
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def alive(pid: int) -> bool:
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def pool_processes(marker: str) -> dict[int, int]:
    """pid → ppid of every live process whose command line names the test's temp folder."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{entry.name}/cmdline").read_bytes()
            ppid = int(Path(f"/proc/{entry.name}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        if marker.encode() in cmd and alive(int(entry.name)):
            found[int(entry.name)] = ppid
    return found


def wait_until_gone(marker: str, pids: set[int] | None = None, timeout_s: float = 30) -> set[int]:
    """Pool processes still alive after a hang guard (optionally only among ``pids``)."""
    deadline = time.monotonic() + timeout_s
    while True:
        left = set(pool_processes(marker)) & (pids if pids is not None else set(pool_processes(marker)))
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


@pytest.fixture()
def gunicorn(tmp_path: Path, soffice: None) -> Iterator[tuple[subprocess.Popen[bytes], int, str]]:
    require_tool(convert.warm_available(), "the warm LibreOffice pool (python3-uno and unoserver)")
    port = free_port()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {
        **os.environ, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2", "CONVERT_WORKERS": "1",
        "FLASK_INSTANCE_PATH": str(tmp_path / "instance"), "TMPDIR": str(tmp),
    }
    # As scripts/start.sh runs it: gunicorn -c gunicorn.conf.py wsgi:app.
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60  # hang guard
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise AssertionError("gunicorn did not start") from None
            time.sleep(0.2)
    try:
        yield proc, port, str(tmp)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_killed_worker_and_a_stopped_service_leave_no_libreoffice(
    gunicorn: tuple[subprocess.Popen[bytes], int, str],
) -> None:
    proc, port, marker = gunicorn
    with ThreadPoolExecutor(4) as ex:
        answers = list(ex.map(lambda _: post_pdf(port), range(4)))
    assert [status for status, _ in answers] == [200] * 4 and all(body.startswith(b"%PDF") for _, body in answers)
    pool = pool_processes(marker)
    soffices = {pid for pid in pool if b"soffice.bin" in Path(f"/proc/{pid}/cmdline").read_bytes()}
    assert soffices, pool

    # SIGKILL one gunicorn worker that holds a pool: its LibreOffices follow it.
    workers = {ppid for ppid in pool.values() if ppid != proc.pid and ppid not in pool}
    victim = min(workers)
    owned = {pid for pid, ppid in pool.items() if ppid == victim}
    owned |= {pid for pid, ppid in pool.items() if ppid in owned}
    owned |= {pid for pid, ppid in pool.items() if ppid in owned}  # soffice.bin under oosplash
    assert any(b"soffice.bin" in Path(f"/proc/{pid}/cmdline").read_bytes() for pid in owned), (pool, victim)
    os.kill(victim, signal.SIGKILL)
    assert wait_until_gone(marker, owned) == set()
    status, body = post_pdf(port)  # the service still makes PDFs
    assert status == 200 and body.startswith(b"%PDF")

    # Stop the service as a terminal's Ctrl-C or a service manager would.
    proc.send_signal(signal.SIGTERM)
    proc.wait(60)  # hang guard
    assert wait_until_gone(marker) == set()
