"""gunicorn's settings for Mini Police Hub (`gunicorn -c deploy/gunicorn.conf.py`).

Read from the environment, so the systemd unit, a container and deploy/smoke.sh share this file:

- GUNICORN_BIND: where to listen (default 127.0.0.1:8000; `unix:/run/minipolice/web.sock` for
  a socket). Keep it on loopback or a socket: the reverse proxy in front terminates TLS.
- WEB_CONCURRENCY: worker processes (default 2 * cores + 1, at most 8). Each is a separate
  process with its own database connection, so PostgreSQL's max_connections must cover every
  worker of every host, plus the task workers.
- GUNICORN_THREADS: threads per worker (default 1: the sync worker).
- GUNICORN_TIMEOUT: seconds a request may take before its worker is killed and restarted
  (default 60; the longest page is a national dashboard's export).

No access log here: the application logs each request itself (Django middleware), and a
second line per request from gunicorn would only double the volume. Errors go to stderr, which
systemd's journal keeps.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SystemExit(f"{name}={raw!r} is not a whole number.") from exc


wsgi_app = "minipolice.wsgi:application"
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
workers = _int("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8))
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 60)
# On SIGTERM (systemctl stop/restart) requests in flight get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# A worker is replaced after this many requests (spread out, so they do not all restart at
# once): a slow leak in any library cannot grow without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10

accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
capture_output = False

# The proxy in front is on the same host (nginx to 127.0.0.1 or a socket). Django reads
# X-Forwarded-Proto itself (SECURE_PROXY_SSL_HEADER) and the client address from
# X-Forwarded-For as far as TRUSTED_PROXY_COUNT says.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's documented choice
proc_name = "minipolice-web"
# gunicorn's control socket (for `gunicornc`) is off: systemctl reloads and stops the server,
# and its default path in $HOME is read-only under the unit's ProtectHome= and shared by every
# gunicorn of the user. GUNICORN_CONTROL_SOCKET=/run/minipolice/gunicorn.ctl switches it on.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
