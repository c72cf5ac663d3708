#!/usr/bin/env bash
# Production smoke test: the application as deployed (DEBUG off, PostgreSQL, collectstatic,
# gunicorn with deploy/gunicorn.conf.py, the task worker as its own process), driven over HTTP.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/anything bash deploy/smoke.sh
#
# DATABASE_URL names the PostgreSQL server (on loopback) and a role that may create databases;
# the script makes its own database (SMOKE_DB, default minipolice_smoke), uses it, and drops it.
# Steps: migrate, collectstatic, a coordinator with an authenticator app and an API token,
# gunicorn and the worker started; then a real sign-in (password, then TOTP code), a dashboard
# and its stylesheet, an API call, an impact report drawn by the worker (its task result
# SUCCESSFUL, its PDF downloaded), /healthz and /readyz; then SIGTERM to both, each must exit 0;
# then the restore drill: an encrypted backup, the database and media destroyed, a restore, and
# every table's rows and every file compared with before.
# Any failure: a line starting "SMOKE FAILED:", the servers' logs, exit 1. Processes and the
# database are cleaned up whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}
STOP_TIMEOUT=${STOP_TIMEOUT:-45}

fail() {
  echo "SMOKE FAILED: $*" >&2
  exit 1
}

[ -n "${DATABASE_URL:-}" ] || fail "set DATABASE_URL=postgres://USER@127.0.0.1:5432/NAME (the server to use)"
case "$DATABASE_URL" in
  postgres://*@127.0.0.1[:/]* | postgresql://*@127.0.0.1[:/]* | postgres://*@localhost[:/]* | postgresql://*@localhost[:/]*) ;;
  *) fail "DATABASE_URL must point at PostgreSQL on loopback (127.0.0.1 or localhost)" ;;
esac
[ -x "$PY" ] || fail "$PY not found: run 'make setup' first"
[ -x "$GUNICORN" ] || fail "$GUNICORN not found: pip install -r requirements.txt"
[ -f minipolice/static/build/main.css ] || fail "the front end is not built: run 'make setup' first"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/minipolice-smoke.XXXXXX")
SMOKE_DB=${SMOKE_DB:-minipolice_smoke}
WEB_PID=""
WORKER_PID=""
DB_MADE=""

# The smoke database on the caller's server.
export DATABASE_URL="${DATABASE_URL%/*}/$SMOKE_DB"

stop_process() { # pid: TERM, then KILL after a few seconds
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  stop_process "$WEB_PID"
  stop_process "$WORKER_PID"
  wait 2>/dev/null || true
  if [ "$status" -ne 0 ]; then
    for log in web worker; do
      if [ -s "$WORK/$log.log" ]; then
        echo "--- last lines of the $log log ---" >&2
        tail -n 40 "$WORK/$log.log" >&2
      fi
    done
  fi
  [ -n "$DB_MADE" ] && "$PY" deploy/smoke.py dropdb >/dev/null 2>&1 || true
  rm -rf "$WORK"
  if [ "$status" -eq 0 ]; then echo "smoke: passed"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'fail "interrupted"' INT TERM

# Production settings: nothing of DEBUG's or the test suite's.
unset MINIPOLICE_TESTING DATABASE_REPLICA_URL REDIS_URL
export DJANGO_SETTINGS_MODULE=minipolice.settings
export DEBUG=false
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=false
export TRUSTED_PROXY_COUNT=1
export MEDIA_ROOT="$WORK/media"
export EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
export LOG_LEVEL=WARNING
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export GUNICORN_BIND="127.0.0.1:$PORT"
export WEB_CONCURRENCY=2
BASE="http://127.0.0.1:$PORT"

"$PY" deploy/smoke.py createdb || fail "could not create the database $SMOKE_DB"
DB_MADE=1

echo "smoke: migrate"
"$PY" manage.py migrate --no-input -v0 || fail "migrate failed"
echo "smoke: collectstatic"
"$PY" manage.py collectstatic --no-input -v0 || fail "collectstatic failed"
# W008 (SECURE_SSL_REDIRECT off) is expected here: no TLS on loopback. make check-deploy has the rest.
"$PY" manage.py check --deploy --fail-level ERROR >"$WORK/check.log" 2>&1 ||
  { cat "$WORK/check.log" >&2; fail "manage.py check --deploy found errors"; }
"$PY" deploy/smoke.py setup "$WORK/facts.json" || fail "could not make the smoke user"

echo "smoke: starting gunicorn on $GUNICORN_BIND and the task worker"
"$GUNICORN" --config deploy/gunicorn.conf.py >"$WORK/web.log" 2>&1 &
WEB_PID=$!
"$PY" manage.py task_worker --no-reload --interval 0.5 >"$WORK/worker.log" 2>&1 &
WORKER_PID=$!

up=""
for _ in $(seq 1 60); do
  kill -0 "$WEB_PID" 2>/dev/null || fail "gunicorn exited at start"
  if "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$BASE/healthz" 2>/dev/null; then
    up=1
    break
  fi
  sleep 0.5
done
[ -n "$up" ] || fail "gunicorn did not answer /healthz within 30 s"
kill -0 "$WORKER_PID" 2>/dev/null || fail "the task worker exited at start"

"$PY" deploy/smoke.py journey "$WORK/facts.json" "$BASE" || fail "the HTTP journey failed (above)"

stop_and_check() { # name pid: SIGTERM, then it must exit 0 within STOP_TIMEOUT
  local name=$1 pid=$2 code=0
  kill -TERM "$pid" || fail "$name (pid $pid) was not running at the end"
  for _ in $(seq 1 $((STOP_TIMEOUT * 10))); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && fail "$name did not exit within ${STOP_TIMEOUT} s of SIGTERM"
  wait "$pid" || code=$?
  [ "$code" -eq 0 ] || fail "$name exited with code $code after SIGTERM, not 0"
  echo "smoke: $name stopped cleanly on SIGTERM (exit 0)"
}
stop_and_check gunicorn "$WEB_PID"
WEB_PID=""
stop_and_check "the task worker" "$WORKER_PID"
WORKER_PID=""

# The restore drill of docs/backup.md: back up, destroy the database and the media, restore.
echo "smoke: backup, then the database and media destroyed, then restore"
BACKUP_PASSPHRASE=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(24))')
export BACKUP_PASSPHRASE
mkdir -p "$MEDIA_ROOT/smoke" && head -c 65536 /dev/urandom >"$MEDIA_ROOT/smoke/photo.bin"
"$PY" deploy/smoke.py fingerprint "$WORK/before.json" || fail "could not read the database"
"$PY" manage.py backup --output "$WORK/backup.tar.gz.enc" >"$WORK/backup.log" 2>&1 ||
  { cat "$WORK/backup.log" >&2; fail "manage.py backup failed"; }
"$PY" deploy/smoke.py createdb >/dev/null || fail "could not drop and create the database again"
rm -rf "$MEDIA_ROOT"
"$PY" manage.py restore "$WORK/backup.tar.gz.enc" >"$WORK/restore.log" 2>&1 ||
  { cat "$WORK/restore.log" >&2; fail "manage.py restore failed"; }
"$PY" deploy/smoke.py fingerprint "$WORK/after.json" >/dev/null || fail "could not read the restored database"
cmp -s "$WORK/before.json" "$WORK/after.json" ||
  { diff "$WORK/before.json" "$WORK/after.json" | head -20 >&2; fail "the restored site differs from the backed-up one"; }
echo "smoke: restored: every table's rows and every media file identical"
