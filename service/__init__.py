"""Document-assembly service for Chinese official work reports (GB/T 9704-2012).

``render_report(data) -> bytes`` is the library entry point; ``create_app()``
is the Flask application factory. Importing this package does not import
Flask: the engine runs without the web layer.
"""
from __future__ import annotations

from typing import Any

from .engine import render_report, write_docx
from .model import ReportValidationError, validate_report

__all__ = ["create_app", "render_report", "write_docx", "validate_report", "ReportValidationError"]


def create_app(test_config: dict[str, Any] | None = None) -> Any:
    """The Flask application factory (imported lazily, see module docstring)."""
    from .app import create_app as factory

    return factory(test_config)
