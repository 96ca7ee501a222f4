"""gunicorn settings; each can be overridden by the environment."""
import multiprocessing
import os

# Loopback by default: put the service behind your own proxy, or set
# HOST=0.0.0.0 to expose it on every interface on purpose.
bind = os.environ.get("BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
# gevent: a connection is a greenlet, not a thread, so clients that send their
# headers a byte at a time (slowloris) cost memory, not the worker. gthread
# ties a thread to each such client: 16 of them stopped /healthz for 35 s.
# Rendering is CPU-bound but takes milliseconds; jobs and PDF conversion run in
# other processes.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gevent")
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "1000"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))  # used only with GUNICORN_WORKER_CLASS=gthread
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))  # PDF previews may take seconds
graceful_timeout = 30
keepalive = 5
max_requests = 5000  # recycle workers now and then
max_requests_jitter = 500
# The app logs each request itself (service.requests: method, path, status,
# size, time; never the report text), so gunicorn's access log stays off.
accesslog = None
errorlog = "-"
