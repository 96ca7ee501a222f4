"""The Flask application factory (``flask --app service run``, ``gunicorn wsgi:app``)."""
from __future__ import annotations

import os
from typing import Any

from flask import Flask

DEFAULTS: dict[str, Any] = {
    # Largest request body accepted, in bytes (413 beyond it).
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "JSON_AS_ASCII": False,
}


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(DEFAULTS)
    app.config.from_prefixed_env()  # FLASK_MAX_CONTENT_LENGTH=…, etc.
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    os.makedirs(app.instance_path, exist_ok=True)

    from .api import bp as api_bp

    app.register_blueprint(api_bp)
    return app
