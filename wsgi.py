"""WSGI entry point: ``gunicorn -c gunicorn.conf.py wsgi:app``."""
import logging

from service import create_app

# One line per request and per job (never report text), to gunicorn's stderr.
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

app = create_app()
