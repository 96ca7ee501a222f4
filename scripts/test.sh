#!/usr/bin/env bash
# Run the whole test suite. Installs what the tests need first: Python
# packages into .venv, and LibreOffice, poppler, CJK stand-in fonts, Chromium,
# redis-server, PostgreSQL and Java (openapi-generator) via apt-get when missing. Extra
# arguments go to pytest (e.g. -k layout).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_venv requirements-dev.txt
ensure_runtime_venv
ensure_render_tools
ensure_browser
ensure_redis
ensure_postgres
ensure_java
exec "$VENV/bin/python" -m pytest "$@"
