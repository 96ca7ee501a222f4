"""Real servers the tests start themselves on loopback ports: PostgreSQL and Redis.

PostgreSQL comes from Debian's package (binaries under /usr/lib/postgresql/N/bin).
Its server refuses to run as root, so as root the data directory belongs to the
``postgres`` user and the server runs as that user (``setpriv``, which execs
in place: the process we signal is the postmaster itself).
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from tests.support import wait_until

PG_USER = "app"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_bin() -> Path | None:
    """The newest installed server's bin folder, if any."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def _as_server_user(argv: list[str]) -> list[str]:
    if os.getuid() != 0:
        return argv
    return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--", *argv]


@contextmanager
def running_postgres() -> Iterator[str]:
    """A throw-away PostgreSQL server; yields the URL of its ``postgres`` database."""
    import psycopg

    bindir = postgres_bin()
    assert bindir is not None, "PostgreSQL is not installed"
    root = Path(tempfile.mkdtemp(prefix="pg-test-"))
    data = root / "data"
    data.mkdir()
    if os.getuid() == 0:
        user = pwd.getpwnam("postgres")
        root.chmod(0o755)
        os.chown(data, user.pw_uid, user.pw_gid)
    proc: subprocess.Popen[bytes] | None = None
    try:
        subprocess.run(_as_server_user([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", PG_USER,
                                        "--no-sync", "-E", "UTF8", "--no-locale"]),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
        port = free_port()
        log = open(root / "server.log", "wb")
        with log:
            proc = subprocess.Popen(
                _as_server_user([str(bindir / "postgres"), "-D", str(data), "-p", str(port),
                                 "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                                 "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                                 "-c", "max_connections=300"]),
                stdout=log, stderr=log, start_new_session=True,
            )
        url = f"postgresql://{PG_USER}@127.0.0.1:{port}/postgres"

        def up() -> bool:
            assert proc is not None and proc.poll() is None, (root / "server.log").read_text(errors="replace")
            try:
                with psycopg.connect(url, connect_timeout=2):
                    return True
            except psycopg.OperationalError:
                return False

        wait_until(up, 60, "PostgreSQL to start")
        yield url
    finally:
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # fast shutdown: ends client sessions
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(root, ignore_errors=True)


def new_database(server_url: str) -> str:
    """A fresh, empty database on the server; returns its URL."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]  # our own name
    return server_url.rsplit("/", 1)[0] + f"/{name}"


@contextmanager
def running_redis(workdir: Path) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        def up() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    return s.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        wait_until(up, 15, "redis to start")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)
