"""The web pages: the form at ``/``, its import box, PDF preview, and the 格式检查 page.

A thin adapter over the engine, like the JSON API, split flaskr-style into one
module per concern:

* :mod:`.common`    – helpers every page uses: JSON errors, message pages,
                      file responses, the render-and-answer helper.
* :mod:`.form`      – the form page: form fields ⇄ report, errors beside their
                      fields, download and validation (``/``, ``/web/download``).
* :mod:`.preview`   – the PDF preview (LibreOffice, stand-in fonts).
* :mod:`.importing` – the import box (``POST /web/import``): pasted text or a
                      .txt/.docx → the form, filled by the importer.
* :mod:`.errors`    – this blueprint's error pages: Chinese, never a bare 500.
* :mod:`.lint_page` – the 格式检查 page (``/lint``, ``/lint/fix``): its own
                      blueprint with its own error handlers.

Every asset is served from this blueprint's ``static`` folder: the page must
work on an office intranet with no internet access.
"""
from __future__ import annotations

from flask import Blueprint

from .common import security_headers

bp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/web/static",
)

bp.after_request(security_headers)

# The blueprint's modules register their routes and handlers on ``bp``.
from . import batch_page, errors, form, form_support, importing, preview  # noqa: E402,F401
from .lint_page import lint_bp  # noqa: E402,F401
