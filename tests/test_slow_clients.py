"""Slow clients against gunicorn started the way scripts/start.sh starts it."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support import ROOT

SLOW_CLIENTS = 32


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthz(port: int, timeout_s: float) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=timeout_s) as resp:
            return resp.status == 200
    except OSError:
        return False


def test_the_default_bind_is_loopback() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("HOST", "BIND", "PORT")}
    settings = subprocess.run([sys.executable, "-c", "import runpy; print(runpy.run_path('gunicorn.conf.py')['bind'])"],
                              cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert settings == "127.0.0.1:8000"
    env["HOST"] = "0.0.0.0"
    settings = subprocess.run([sys.executable, "-c", "import runpy; print(runpy.run_path('gunicorn.conf.py')['bind'])"],
                              cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert settings == "0.0.0.0:8000"


@pytest.mark.slow
def test_healthz_answers_while_slow_clients_dribble_their_headers(tmp_path: Path) -> None:
    """The attack: connections sending request headers a byte at a time. With
    gthread each held a thread and /healthz stopped answering."""
    port = free_port()
    # As scripts/start.sh runs it: the venv's gunicorn, the repository's config.
    # One worker makes the attack as hard on the server as it can be.
    env = {**os.environ, "PORT": str(port), "WEB_CONCURRENCY": "1", "FLASK_INSTANCE_PATH": str(tmp_path / "instance")}
    env.pop("BIND", None)
    env.pop("HOST", None)
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    stop = threading.Event()
    sockets: list[socket.socket] = []
    try:
        deadline = time.monotonic() + 60  # hang guard for start-up
        while not healthz(port, 1):
            assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)

        def dribble(sock: socket.socket) -> None:
            request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 4000
            for byte in request:
                if stop.wait(0.3):
                    return
                try:
                    sock.send(bytes([byte]))
                except OSError:
                    return

        for _ in range(SLOW_CLIENTS):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sockets.append(sock)
            threading.Thread(target=dribble, args=(sock,), daemon=True).start()
        time.sleep(2)  # every slow client has been accepted and is mid-header
        # Hang guard, not a speed test: the old server never answered at all.
        answers = [healthz(port, 15) for _ in range(5)]
        assert all(answers), answers
    finally:
        stop.set()
        for sock in sockets:
            sock.close()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
