"""The JSON API blueprint: a thin adapter over the engine.

Every endpoint of the contract (``/api/v1/...``) reads the request, calls the
engine (or the batch, job, importer, checker and unit-template modules) and
answers; errors are the contract's JSON, never a 500 for anything a client
sent. One module per group of endpoints; they all register on :data:`bp`.
"""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, template_folder="templates")

# Importing the modules registers their handlers and routes on bp.
from . import access, documents, jobs, reports, spec, unit_template_routes  # noqa: E402,F401
