"""The Flask application factory (``flask --app service run``, ``gunicorn wsgi:app``).

Configuration comes from defaults below, then ``FLASK_*`` environment
variables (``FLASK_MAX_CONTENT_LENGTH=…``), then the ``test_config`` given.
The instance folder (``instance/`` beside the package, or ``FLASK_INSTANCE_PATH``)
holds what the service keeps: the secret key, job state and results, unit
templates.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

DEFAULTS: dict[str, Any] = {
    # Largest request body accepted, in bytes (413 beyond it).
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    # Seconds a preview/PDF conversion may take before it is killed.
    "CONVERT_TIMEOUT_S": 60,
}


def _secret_key(instance: Path) -> str:
    """A per-installation secret (CSRF tokens), made once and kept in the instance folder."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="ascii")
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip()


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    instance_path = os.environ.get("FLASK_INSTANCE_PATH") or (test_config or {}).get("INSTANCE_PATH")
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    app.config.update(DEFAULTS)
    app.config.from_prefixed_env()
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(Path(app.instance_path))

    from .api import bp as api_bp

    app.register_blueprint(api_bp)
    return app
