#!/usr/bin/env bash
# Start the service (gunicorn with gevent workers, http://127.0.0.1:8000 by
# default; PORT/HOST/BIND to change, HOST=0.0.0.0 to listen on every interface). Installs the Python packages into .venv first. PDF previews also
# need LibreOffice: set INSTALL_PREVIEW=1 to install it and the fonts.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_venv requirements.txt
if [ "${INSTALL_PREVIEW:-0}" = "1" ]; then ensure_render_tools; fi
exec "$VENV/bin/gunicorn" -c gunicorn.conf.py wsgi:app
