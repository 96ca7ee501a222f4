"""What the form page's script asks of the engine, so the page never re-implements a rule.

* :func:`engine_rules` – the run-in heading rule (profile.py), in the page data.
* ``GET /web/title-lines?title=…`` – the title's lines as the document breaks
  them (:func:`service.layout.title_lines`), for the live preview.
* ``GET /web/unit-templates`` – the uploaded unit templates (letterheads), for
  the form's picker; no key needed to choose one, as no key is needed to use one.
* :func:`with_notes` – what validation corrected (发文字号), added to the
  form's validation answer.
"""
from __future__ import annotations

import json
from typing import Any

from flask import Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from ..layout import title_lines
from ..model import MAX_TITLE_CHARS, report_notes
from ..profile import RUN_IN_DEFAULT_END, RUN_IN_END_MARKS, RUN_IN_TRAILING_CLOSERS
from ..storage import storage
from ..unit_templates import UnitTemplateError
from . import bp
from .common import error_json


def engine_rules() -> dict[str, Any]:
    """The rules the page's preview and hints follow, from their one home."""
    return {"runInEndMarks": RUN_IN_END_MARKS, "runInDefaultEnd": RUN_IN_DEFAULT_END, "runInClosers": RUN_IN_TRAILING_CLOSERS}


@bp.get("/web/title-lines")
def web_title_lines() -> ResponseReturnValue:
    title = request.args.get("title", "")[: MAX_TITLE_CHARS * 2]
    resp = jsonify(title=title, lines=list(title_lines(title)) if title.strip() else [])
    # The same title always breaks the same way: the browser may keep the answer.
    resp.headers["Cache-Control"] = "private, max-age=3600"
    return resp


@bp.get("/web/unit-templates")
def web_unit_templates() -> ResponseReturnValue:
    try:
        store = storage(current_app).unit_templates()
        found = store.list()
    except UnitTemplateError as exc:
        return error_json(exc.status, "storage_unavailable", exc.message)
    resp = jsonify(unit_templates=[{"id": t.id, "name": t.name, "version": t.version} for t in found])
    resp.headers["Cache-Control"] = "no-store"
    return resp


def with_notes(resp: Response, data: Any) -> Response:
    """The validation answer with ``notes``: what was corrected rather than refused."""
    notes = [d.as_dict() for d in report_notes(data)]
    if not notes:  # the answer stays as it was when nothing was corrected
        return resp
    body = json.loads(resp.get_data(as_text=True))
    body["notes"] = notes
    resp.set_data(json.dumps(body, ensure_ascii=False))
    return resp
