# Shared set-up steps for scripts/start.sh and scripts/test.sh (sourced).
# Everything here is idempotent: a second run does nothing when all is in place.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# ensure_venv REQUIREMENTS_FILE: a virtualenv in .venv with the pinned packages
# and this project installed editable (pyproject.toml [project]).
ensure_venv() {
  local req="$ROOT/$1"
  if [ ! -x "$VENV/bin/python" ]; then
    log "创建虚拟环境 .venv（$($PYTHON --version)）"
    "$PYTHON" -m venv "$VENV"
  fi
  local stamp="$VENV/.deps-stamp-$(basename "$req")"
  local want
  want="$(cat "$ROOT"/requirements*.txt "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "安装 Python 依赖（$1）"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
    # The project itself, editable: tests, bench/ and scripts/ import `service` without sys.path tricks.
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e "$ROOT"
    echo "$want" > "$stamp"
  fi
}

# ensure_runtime_venv: .venv-runtime holds requirements.txt and nothing else,
# to prove the service and a Celery worker start from the runtime
# requirements alone (as scripts/start.sh installs them). Rebuilt from scratch
# whenever requirements.txt changes, so a package dropped from it is gone.
ensure_runtime_venv() {
  local venv="$ROOT/.venv-runtime" req="$ROOT/requirements.txt"
  local stamp="$venv/.deps-stamp" want
  want="$(sha256sum "$req" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$venv/bin/python" ]; then return 0; fi
  log "创建仅含运行依赖的虚拟环境 .venv-runtime"
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
  echo "$want" > "$stamp"
}

# apt_install PKG...: install Debian packages, as root or through sudo.
apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      log "缺少系统软件包：$*（需要 root 权限安装：apt-get install $*）"; return 1
    fi
  fi
  log "安装系统软件包：$*"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# ensure_render_tools: LibreOffice, poppler and the CJK stand-in fonts the
# layout tests and PDF previews use (see service/fonts/fonts.conf), and
# python3-uno: the warm LibreOffice pool (service/lo_worker.py) runs under
# Debian's /usr/bin/python3 with it (the unoserver package comes from
# requirements.txt).
ensure_render_tools() {
  local missing=()
  command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
  /usr/bin/python3 -c "import uno" >/dev/null 2>&1 || missing+=(python3-uno)
  local fonts
  fonts="$(fc-list 2>/dev/null || true)"
  grep -q "Noto Serif CJK SC" <<<"$fonts" || missing+=(fonts-noto-cjk)
  grep -q "NotoSerifCJK-Light" <<<"$fonts" || missing+=(fonts-noto-cjk-extra)
  grep -q "AR PL UKai CN" <<<"$fonts" || missing+=(fonts-arphic-ukai)
  grep -q "Liberation Serif" <<<"$fonts" || missing+=(fonts-liberation2)
  if [ ${#missing[@]} -gt 0 ]; then
    apt_install "${missing[@]}"
  fi
}

# ensure_browser: Debian's Chromium for the browser tests (Playwright drives
# /usr/bin/chromium; it never downloads a browser of its own).
ensure_browser() {
  command -v chromium >/dev/null 2>&1 || apt_install chromium
}

# ensure_redis: redis-server for the Celery scale-out test (started by the
# test itself on a free loopback port).
ensure_redis() {
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
}

# ensure_postgres: Debian's PostgreSQL server for the shared-state tests (the
# tests run initdb into a temporary folder and start it on a free loopback
# port; the package's own cluster is not used).
ensure_postgres() {
  compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || apt_install postgresql
}

# ensure_java: a Java runtime for openapi-generator (the client-generator test
# runs the openapi-generator-cli jar).
ensure_java() {
  command -v java >/dev/null 2>&1 || apt_install default-jre-headless
}
