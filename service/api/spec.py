"""The OpenAPI document and the human-readable API page."""
from __future__ import annotations

from flask import jsonify, render_template
from flask.typing import ResponseReturnValue

from . import bp
from .openapi import openapi_document


@bp.get("/api/openapi.json")
def openapi_json() -> ResponseReturnValue:
    return jsonify(openapi_document())


@bp.get("/api/docs")
def api_docs() -> ResponseReturnValue:
    return render_template("api_docs.html", spec=openapi_document())
