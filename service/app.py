"""The Flask application factory (``flask --app service run``, ``gunicorn wsgi:app``).

Configuration comes from defaults below, then ``FLASK_*`` environment
variables (``FLASK_MAX_CONTENT_LENGTH=…``), then the ``test_config`` given.
The instance folder (``instance/`` beside the package, or ``FLASK_INSTANCE_PATH``)
holds what the service keeps: the secret key, job state and results, unit
templates.
"""
from __future__ import annotations

import logging
import os
import secrets
import time
from typing import Any

from flask import Flask, Response, g, request
from flask_wtf.csrf import CSRFProtect

from .instance import InstanceDirs
from .instance import init_app as init_instance

# CSRF protection for every form post; blueprints that authenticate otherwise
# (the JSON API) are exempted with ``csrf.exempt(bp)``.
csrf = CSRFProtect()

DEFAULTS: dict[str, Any] = {
    # Largest request body accepted, in bytes (413 beyond it).
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    # Seconds a preview/PDF conversion may take before it is killed.
    "CONVERT_TIMEOUT_S": 60,
    # API access: comma-separated bearer keys; empty means open (one office machine).
    "API_KEYS": "",
    # Reports answered synchronously by /reports/batch; larger batches go to /jobs.
    "BATCH_SYNC_MAX": 500,
    # Reports one job may hold.
    "JOB_MAX_REPORTS": 20_000,
    # Unfinished jobs one client (API key, or everyone when the API is open) may have.
    "JOBS_MAX_ACTIVE_PER_CLIENT": 10,
    # Seconds a finished job (and its zip) is kept.
    "JOB_TTL_S": 24 * 3600,
    # Processes of the local job pool (when no Celery broker is configured).
    "JOB_WORKERS": 1,
    # Seconds without a heartbeat after which a running job's worker is taken as lost.
    "JOB_STALE_S": 60,
    # A broker URL (redis://…) sends jobs to Celery workers instead.
    "CELERY_BROKER_URL": "",
    # postgresql://… keeps jobs, results and unit templates in PostgreSQL
    # (several machines, README "多台机器"); empty: the instance folder.
    "DATABASE_URL": "",
    # The form's session cookie (CSRF token) is not sent with cross-site posts;
    # set FLASK_SESSION_COOKIE_SECURE=true when the service is served over HTTPS.
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "SESSION_COOKIE_HTTPONLY": True,
}

# Blueprints that serve HTML pages and set their own CSP (service.web.common.security_headers).
PAGE_BLUEPRINTS = ("web", "lint")

log = logging.getLogger(__name__)
request_log = logging.getLogger("service.requests")

# Settings also read from their plain environment names, as documented.
PLAIN_ENV = ("API_KEYS", "ADMIN_KEYS", "CELERY_BROKER_URL", "DATABASE_URL")


def _secret_key(dirs: InstanceDirs) -> str:
    """A per-installation secret (CSRF tokens), made once and kept in the instance folder.

    When the folder cannot be written (read-only disk, wrong owner) the service
    still starts, with a secret that lasts until it restarts: documents can
    still be made; only job state and unit templates need the folder.
    """
    path = dirs.secret_key
    instance = dirs.root
    try:
        instance.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text(secrets.token_hex(32), encoding="ascii")
            path.chmod(0o600)
        return path.read_text(encoding="ascii").strip()
    except OSError as exc:
        log.error("instance folder %s is not writable (%s): using a temporary secret key", instance, exc.__class__.__name__)
        return secrets.token_hex(32)


def _log_requests(app: Flask) -> None:
    """One line per request: method, path, status, size, time. Never the body:
    reports may hold confidential text."""

    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def _log(resp: Response) -> Response:
        elapsed_ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        request_log.info("%s %s %s %s %.1fms", request.method, request.path, resp.status_code, resp.calculate_content_length() or "-", elapsed_ms)
        return resp


def _default_headers(app: Flask) -> None:
    """Headers every response carries; the page blueprints set their own page CSP."""

    @app.after_request
    def _headers(resp: Response) -> Response:
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        if request.blueprint not in PAGE_BLUEPRINTS:
            # JSON and files run nothing; the API docs page only needs its own styles.
            style = "'unsafe-inline'" if request.path == "/api/docs" else "'none'"
            resp.headers.setdefault("Content-Security-Policy", f"default-src 'none'; style-src {style}; frame-ancestors 'none'")
        return resp


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    instance_path = os.environ.get("FLASK_INSTANCE_PATH") or (test_config or {}).get("INSTANCE_PATH")
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    app.config.update(DEFAULTS)
    app.config.from_prefixed_env()
    app.config.update({k: os.environ[k] for k in PLAIN_ENV if os.environ.get(k)})
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    dirs = init_instance(app)
    if not app.config.get("SECRET_KEY"):
        if app.config.get("DATABASE_URL"):
            # Several web nodes: each would make its own key, and a form
            # loaded from one node would be refused by another.
            log.warning("DATABASE_URL is set but FLASK_SECRET_KEY is not: set the same FLASK_SECRET_KEY on every web node")
        app.config["SECRET_KEY"] = _secret_key(dirs)
    _log_requests(app)
    _default_headers(app)

    from .api import bp as api_bp

    # The JSON API authenticates by bearer key (or is open on one machine);
    # cookies play no part in it, so form CSRF tokens do not apply.
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp)

    from .web import bp as web_bp
    from .web.lint_page import lint_bp

    csrf.init_app(app)
    app.register_blueprint(web_bp)
    app.register_blueprint(lint_bp)
    _resume_jobs(app)
    return app


def _resume_jobs(app: Flask) -> None:
    """Jobs left queued or running by a previous run start again now, not only
    when someone next asks about them (local pool), or are watched for lost
    workers (Celery: the sweeper re-sends jobs whose worker died)."""
    from .jobs.runner import runner_for
    from .jobs.store import JobStoreError
    from .storage import storage

    cfg = app.config
    where = storage(app)
    if cfg.get("TESTING") or not where.has_job_state():
        return
    try:
        store = where.jobs()
        if store.has_unfinished():
            broker = cfg.get("CELERY_BROKER_URL") or None
            runner_for(store.locator, broker, int(cfg["JOB_WORKERS"]), float(cfg["JOB_STALE_S"])).ensure_running()
    except JobStoreError as exc:
        log.error("could not resume jobs: %s", exc)
