"""PDF speed: the warm LibreOffice pool against a cold soffice, in one run.

Measures, on the ~14-page example (examples/town-renda-summary-long.json):
  1. cold: `soffice --convert-to pdf` of its .docx, one new process per run
     (the profile already made, so only the process start is counted);
  2. the service (gunicorn as scripts/start.sh runs it, 2 workers, warm
     pool): median latency of POST /api/v1/reports?format=pdf, one at a time;
  3. the service under 8 concurrent requests: documents/s, all must be 200;
  4. the same two through a service with CONVERT_POOL=0 (one soffice per
     conversion, as before the pool), unless --skip-cold-service;
  5. PDF batches (convert.docx_batch_to_pdf's pool) with 1 and 2 LibreOffices:
     documents/s.
Prints ratios against the cold baseline of the same run; the machine may be
shared, so the ratios matter more than the seconds.

Cold runs alternate with the service's one-at-a-time requests, so both see
the same load.

    .venv/bin/python bench/pdf_bench.py [--runs 9] [--batch 12] [--skip-cold-service]
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pymupdf

from service import convert, render_report

EXAMPLE = ROOT / "examples" / "town-renda-summary-long.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cold:
    """`soffice --convert-to pdf` of the .docx, a new process each time (profile made once beforehand)."""

    def __init__(self, docx: Path, profile: Path) -> None:
        soffice = convert.soffice_path()
        assert soffice, "LibreOffice is not installed"
        self.cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)]
        self.run()  # makes the profile

    def run(self) -> float:
        started = time.perf_counter()
        subprocess.run(self.cmd, env=convert.converter_env(), capture_output=True, check=True)
        return time.perf_counter() - started


class Service:
    """gunicorn -c gunicorn.conf.py wsgi:app on a free loopback port, as scripts/start.sh runs it."""

    def __init__(self, pool: bool) -> None:
        self.port = free_port()
        self.instance = tempfile.TemporaryDirectory(prefix="bench-instance-")
        env = {**os.environ, "BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": "2",
               "FLASK_INSTANCE_PATH": self.instance.name, "CONVERT_POOL": "1" if pool else "0"}
        self.proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
                                     cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def post_pdf(self, body: bytes) -> tuple[int, float]:
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/api/v1/reports?format=pdf", data=body,
                                     method="POST", headers={"Content-Type": "application/json"})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=300) as resp:
                ok = resp.read().startswith(b"%PDF")
                return (resp.status if ok else 0), time.perf_counter() - started
        except urllib.error.HTTPError as exc:
            return exc.code, time.perf_counter() - started

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(60)
        self.instance.cleanup()


def measure_service(pool: bool, body: bytes, runs: int, concurrent_total: int, cold: Cold | None = None) -> dict[str, float]:
    """With ``cold``, each request alternates with a cold soffice run: both see the same load."""
    service = Service(pool)
    cold_times = []
    try:
        # Warm-up: both workers start their pools (8 at once reach both).
        with ThreadPoolExecutor(8) as ex:
            list(ex.map(lambda _: service.post_pdf(body), range(8)))
        sequential = []
        for _ in range(runs):
            if cold is not None:
                cold_times.append(cold.run())
            sequential.append(service.post_pdf(body))
        assert all(s == 200 for s, _ in sequential), sequential
        started = time.perf_counter()
        with ThreadPoolExecutor(8) as ex:
            answers = list(ex.map(lambda _: service.post_pdf(body), range(concurrent_total)))
        wall = time.perf_counter() - started
    finally:
        service.stop()
    return {
        "cold": cold_times,  # type: ignore[dict-item]
        "median_s": statistics.median(t for _, t in sequential),
        "conc_docs_per_s": concurrent_total / wall,
        "conc_ok": sum(1 for s, _ in answers if s == 200),
        "conc_p50_s": statistics.median(t for _, t in answers),
        "conc_max_s": max(t for _, t in answers),
    }


def measure_batch(docx: bytes, workers: int, n: int) -> float:
    converter = convert.Converter(workers=workers, timeout_s=300)
    try:
        converter.warm_up()
        list(converter.batch([docx] * workers))  # each LibreOffice has converted once
        started = time.perf_counter()
        results = list(converter.batch([docx] * n))
        wall = time.perf_counter() - started
    finally:
        converter.close()
    assert all(isinstance(r, bytes) for r in results), results
    return n / wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--concurrent", type=int, default=24, help="requests sent 8 at a time")
    parser.add_argument("--batch", type=int, default=12)
    parser.add_argument("--skip-cold-service", action="store_true")
    args = parser.parse_args()
    assert convert.warm_available(), "the warm pool needs python3-uno and unoserver (scripts/start.sh with INSTALL_PREVIEW=1)"

    report = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    body = json.dumps(report, ensure_ascii=False).encode()
    docx = render_report(report)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "long.docx"
        src.write_bytes(docx)
        cold_run = Cold(src, Path(tmp) / "profile")
        with pymupdf.open(Path(tmp) / "long.pdf") as doc:
            pages = doc.page_count
        warm = measure_service(True, body, args.runs, args.concurrent, cold_run)
    cold = warm["cold"]
    cold_median = statistics.median(cold)
    print(f"example: {EXAMPLE.name}, {pages} pages, {len(docx) // 1024} KB .docx; {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"cold soffice --convert-to pdf   median {cold_median:.2f} s  (runs {', '.join(f'{t:.2f}' for t in cold)})")
    print(f"service, warm pool              median {warm['median_s']:.2f} s  → {cold_median / warm['median_s']:.1f}× faster than cold")
    print(f"  8 concurrent ({args.concurrent} requests)   {warm['conc_docs_per_s']:.2f} docs/s, "
          f"{warm['conc_ok']}/{args.concurrent} ok, p50 {warm['conc_p50_s']:.2f} s, max {warm['conc_max_s']:.2f} s")
    if not args.skip_cold_service:
        old = measure_service(False, body, args.runs, args.concurrent)
        print(f"service, CONVERT_POOL=0         median {old['median_s']:.2f} s  (warm pool {old['median_s'] / warm['median_s']:.1f}× faster)")
        print(f"  8 concurrent ({args.concurrent} requests)   {old['conc_docs_per_s']:.2f} docs/s, "
              f"{old['conc_ok']}/{args.concurrent} ok (warm pool {warm['conc_docs_per_s'] / old['conc_docs_per_s']:.1f}× the throughput)")
    one = measure_batch(docx, 1, args.batch)
    two = measure_batch(docx, 2, args.batch)
    print(f"PDF batch, {args.batch} documents     1 LibreOffice {one:.2f} docs/s, 2 LibreOffices {two:.2f} docs/s "
          f"(×{two / one:.2f}); cold soffice would be {1 / cold_median:.2f} docs/s")
    ok = cold_median / warm["median_s"] >= 3 and warm["median_s"] <= 1.5 and warm["conc_ok"] == args.concurrent
    print(f"targets (≥3× cold, ≤1.5 s, all concurrent ok): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
