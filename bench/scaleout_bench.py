"""Scale-out: the same batch of jobs on one Celery worker and on two, same run.

Starts a throw-away PostgreSQL and Redis (as the tests do, tests/servers.py),
a web node (the app in this process, DATABASE_URL + CELERY_BROKER_URL) and
one or two workers (``-c 1`` each), submits ``--jobs`` jobs of ``--reports``
reports and times submission to the last job done (the jobs are put in the
store directly, so the API's validation of each batch is not measured). Rounds alternate
1, 2, 1, 2 … and the medians are compared: only the ratio means anything
(the machine is shared; on 2 cores two workers cannot reach 2×).

Jobs make .docx zips; a PDF batch is one conversion per document on top
(``POST /api/v1/reports?format=pdf``), so it scales the same way or better.

    .venv/bin/python -m bench.scaleout_bench [--jobs 6] [--reports 400] [--rounds 2]   (from the project folder: it uses tests/servers.py)
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "school-duty-report.json"


def start_workers(n: int, database_url: str, broker_url: str) -> list[subprocess.Popen[bytes]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": database_url, "CELERY_BROKER_URL": broker_url}
    return [subprocess.Popen([sys.executable, "-m", "celery", "-A", "service.jobs.celery_app", "worker", "-c", "1", "-l", "warning",
                              "--without-heartbeat", "--without-gossip", "--without-mingle", "-n", f"bench{i}@%h"],
                             cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            for i in range(n)]


def one_round(workers: int, jobs: int, reports: int, server_url: str, broker_url: str, tmp: Path) -> float:
    from service import create_app
    from tests.servers import new_database

    database_url = new_database(server_url)
    procs = start_workers(workers, database_url, broker_url)
    try:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "INSTANCE_PATH": str(tmp / f"w{workers}-{time.monotonic_ns()}"),
                          "DATABASE_URL": database_url, "CELERY_BROKER_URL": broker_url})
        client = app.test_client()
        # Warm-up: every worker has imported the engine before the clock starts.
        warm = [client.post("/api/v1/jobs", json=[report(0)]).headers["Location"] for _ in range(workers * 2)]
        wait_done(client, warm)
        # The timed jobs go straight to the store and the broker: validating
        # them in the API (one process, serial) would be measured too.
        from service.jobs.runner import runner_for
        from service.storage import job_store_at

        store, items = job_store_at(database_url), [report(i) for i in range(reports)]
        runner = runner_for(database_url, broker_url, 1)
        t0 = time.perf_counter()
        ids = [store.create(items, "anonymous").id for _ in range(jobs)]
        for job_id in ids:
            runner.submit(job_id)
        wait_done(client, [f"/api/v1/jobs/{job_id}" for job_id in ids])
        return time.perf_counter() - t0
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(60)


def report(i: int) -> dict:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return {**data, "title": f"{data['title']}（{i}）"}


def wait_done(client: object, locations: list[str]) -> None:
    deadline = time.monotonic() + 1800  # hang guard
    pending = list(locations)
    while pending:
        assert time.monotonic() < deadline, pending
        status = client.get(pending[0]).get_json()["status"]  # type: ignore[attr-defined]
        assert status != "failed", pending[0]
        if status == "done":
            pending.pop(0)
        else:
            time.sleep(0.2)


def main() -> None:
    from tests.servers import running_postgres, running_redis

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=6)
    parser.add_argument("--reports", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmpdir, running_postgres() as server, running_redis(Path(tmpdir)) as broker:
        times: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(args.rounds):
            for workers in (1, 2):
                seconds = one_round(workers, args.jobs, args.reports, server, broker, Path(tmpdir))
                times[workers].append(seconds)
                print(f"{workers} worker(s): {seconds:.1f} s for {args.jobs} × {args.reports} documents", flush=True)
    one, two = statistics.median(times[1]), statistics.median(times[2])
    docs = args.jobs * args.reports
    print(f"\nmedian: 1 worker {docs / one:.0f} docs/s, 2 workers {docs / two:.0f} docs/s; "
          f"2 workers / 1 worker = {one / two:.2f}× (cores: {os.cpu_count()})")


if __name__ == "__main__":
    main()
