"""Load on loopback: gunicorn serving the API, wrk driving it.

Starts the service with the repo's gunicorn.conf.py on a free 127.0.0.1 port,
then runs, each for a bounded time and a bounded number of connections:
  1. GET /healthz (the baseline: the server's own overhead, same run),
  2. POST /api/v1/reports with a 2-page report,
  3. POST /api/v1/reports/batch with 5 reports,
and prints requests per second, p50/p99 latency, errors (non-2xx and socket
errors), and the workers' memory before and after. Then it drives
--memory-requests single-report requests and checks memory stays flat.

Needs wrk (Debian: apt-get install wrk). Only loopback is ever targeted.

    .venv/bin/python bench/load_bench.py [--seconds 15] [--connections 16] [--memory-requests 20000]
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="load on loopback with wrk")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--memory-requests", type=int, default=20000)
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
            single_rps = results["single"]["requests"] / results["single"]["seconds"]
            base_rps = results["healthz"]["requests"] / results["healthz"]["seconds"]
            print(f"single report at {single_rps / base_rps:.2f}x the rate of the empty baseline")
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
