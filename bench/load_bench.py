"""Load on loopback: gunicorn serving the API, wrk driving it.

Starts the service with the repo's gunicorn.conf.py on a free 127.0.0.1 port,
then runs, each for a bounded time and a bounded number of connections:
  1. GET /healthz (the baseline: the server's own overhead, same run),
  2. POST /api/v1/reports with a 2-page report,
  3. POST /api/v1/reports/batch with 5 reports,
  4. GET /healthz again while --slow-clients connections (64) send their
     headers a byte at a time (slowloris),
and prints requests per second, p50/p99 latency, errors (non-2xx and socket
errors), and the workers' memory before and after. Then it drives
--memory-requests single-report requests and checks memory stays flat.

Needs wrk (Debian: apt-get install wrk). Only loopback is ever targeted.

    .venv/bin/python bench/load_bench.py [--seconds 15] [--connections 16] [--memory-requests 20000] [--slow-clients 64]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "short-summary.json"

LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = io.open("{body}", "rb"):read("*a")
done = function(summary, latency, requests)
  io.write(string.format("JSON {{\\"requests\\": %d, \\"seconds\\": %f, \\"p50_ms\\": %f, \\"p99_ms\\": %f, \\"non2xx\\": %d, \\"socket_errors\\": %d}}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""

GET_LUA = LUA.replace('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = io.open("{body}", "rb"):read("*a")\n', "")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            continue
        m = re.search(r"VmRSS:\s+(\d+) kB", status)
        total += int(m.group(1)) if m else 0
    return total / 1024


def wrk(url: str, script: Path, seconds: int, connections: int, threads: int = 2) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s", "-s", str(script), url],
        capture_output=True, text=True, timeout=seconds + 60,
    ).stdout
    line = next(l for l in out.splitlines() if l.startswith("JSON "))
    return json.loads(line[5:])


def wrk_requests(url: str, script: Path, requests: int, connections: int) -> dict[str, float]:
    """Run until about ``requests`` are done (wrk counts time, so estimate it)."""
    probe = wrk(url, script, 3, connections)
    rate = probe["requests"] / probe["seconds"]
    return wrk(url, script, max(3, int(requests / rate) + 1), connections)


class SlowClients:
    """Connections that send a request's headers one byte every ``every_s``."""

    def __init__(self, port: int, count: int, every_s: float = 0.5):
        self.port, self.count, self.every_s = port, count, every_s
        self.stop = threading.Event()
        self.sockets: list[socket.socket] = []

    def _dribble(self, sock: socket.socket) -> None:
        request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100_000
        for byte in request:
            if self.stop.wait(self.every_s):
                return
            try:
                sock.send(bytes([byte]))
            except OSError:
                return

    def __enter__(self) -> "SlowClients":
        for _ in range(self.count):
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
            self.sockets.append(sock)
            threading.Thread(target=self._dribble, args=(sock,), daemon=True).start()
        time.sleep(2)  # all accepted and mid-header
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for sock in self.sockets:
            sock.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="load on loopback with wrk")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--memory-requests", type=int, default=20000)
    parser.add_argument("--slow-clients", type=int, default=64)
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        report = json.loads(EXAMPLE.read_text(encoding="utf-8"))
        single, batch = Path(tmp) / "single.json", Path(tmp) / "batch.json"
        single.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
        batch.write_text(json.dumps([{**report, "title": f"{report['title']}{i}"} for i in range(5)], ensure_ascii=False), encoding="utf-8")
        scripts = {}
        for name, body in (("single", single), ("batch", batch)):
            scripts[name] = Path(tmp) / f"{name}.lua"
            scripts[name].write_text(LUA.format(body=body))
        scripts["healthz"] = Path(tmp) / "get.lua"
        scripts["healthz"].write_text(GET_LUA.format(body=""))
        env = {**os.environ, "FLASK_INSTANCE_PATH": str(Path(tmp) / "instance"), "BIND": f"127.0.0.1:{port}"}
        server = subprocess.Popen(
            # No worker recycling here: the point is to see whether memory grows.
            [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null", "--max-requests", "0", "wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1).read()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            pids = worker_pids(server.pid)
            # Warm up every worker (template caches, imports).
            wrk(base + "/api/v1/reports", scripts["single"], 2, args.connections)
            mem_before = rss_mb(pids)
            print(f"gunicorn: {len(pids)} workers on 127.0.0.1:{port}; wrk {args.connections} connections, {args.seconds} s each")
            print(f"{'endpoint':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
            results = {}
            for name, path in (("healthz", "/healthz"), ("single", "/api/v1/reports"), ("batch", "/api/v1/reports/batch")):
                r = wrk(base + path, scripts[name], args.seconds, args.connections)
                results[name] = r
                errors = int(r["non2xx"] + r["socket_errors"])
                label = {"healthz": "GET /healthz (baseline)", "single": "POST /reports (1 report)", "batch": "POST /reports/batch (5)"}[name]
                print(f"{label:<28}{r['requests'] / r['seconds']:>9.0f}{r['p50_ms']:>9.1f}{r['p99_ms']:>9.1f}{errors:>8}")
            with SlowClients(port, args.slow_clients):
                r = wrk(base + "/healthz", scripts["healthz"], args.seconds, args.connections)
            results["slow"] = r
            errors = int(r["non2xx"] + r["socket_errors"])
            label = f"GET /healthz + {args.slow_clients} slow"
            print(f"{label:<28}{r['requests'] / r['seconds']:>9.0f}{r['p50_ms']:>9.1f}{r['p99_ms']:>9.1f}{errors:>8}")
            slow_rps = r["requests"] / r["seconds"]
            single_rps = results["single"]["requests"] / results["single"]["seconds"]
            base_rps = results["healthz"]["requests"] / results["healthz"]["seconds"]
            print(f"single report at {single_rps / base_rps:.2f}x the rate of the empty baseline")
            print(f"healthz with {args.slow_clients} slow clients at {slow_rps / base_rps:.2f}x the baseline rate, "
                  f"p99 {results['slow']['p99_ms']:.1f} ms vs {results['healthz']['p99_ms']:.1f} ms")
            mem_mid = rss_mb(pids)
            r = wrk_requests(base + "/api/v1/reports", scripts["single"], args.memory_requests, args.connections)
            mem_after = rss_mb(pids)
            errors = int(r["non2xx"] + r["socket_errors"])
            print(f"memory: {mem_before:.1f} MB after warm-up, {mem_mid:.1f} MB after the timed runs, "
                  f"{mem_after:.1f} MB after {int(r['requests'])} more single-report requests ({errors} errors)")
            restarted = set(worker_pids(server.pid)) != set(pids)
            if restarted:
                print("note: gunicorn recycled a worker (max_requests) during the run")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
