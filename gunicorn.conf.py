"""gunicorn settings; each can be overridden by the environment."""
import multiprocessing
import os

bind = os.environ.get("BIND", f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}")
# Rendering is CPU-bound and fast (a few ms): one process per core, a few
# threads each to overlap network I/O.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))  # PDF previews may take seconds
graceful_timeout = 30
keepalive = 5
max_requests = 5000  # recycle workers now and then
max_requests_jitter = 500
# The app logs each request itself (service.requests: method, path, status,
# size, time; never the report text), so gunicorn's access log stays off.
accesslog = None
errorlog = "-"
