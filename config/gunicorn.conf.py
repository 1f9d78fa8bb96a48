"""gunicorn's configuration for the site: `gunicorn -c config/gunicorn.conf.py`.

Every value can be set by an environment variable or in .env, as the site's settings are (see
.env.example); the defaults suit one machine with nginx in front on the same host.
"""

import multiprocessing
import os
from pathlib import Path

import environ

environ.Env.read_env(Path(__file__).resolve().parent.parent / ".env")  # real variables win


def _env(name: str, default: str) -> str:
    """A variable's value, where an empty value counts as not set (as in the settings)."""
    return os.environ.get(name, "").strip() or default


wsgi_app = "config.wsgi:application"

# Where nginx (or the load balancer) connects. Only the proxy may reach it: the site trusts
# the X-Forwarded-Proto header the proxy sets.
bind = _env("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Sync workers: nginx buffers slow clients' requests and responses, so a worker is busy only
# while Django works. Two per core and one more is gunicorn's own advice.
workers = int(_env("WEB_CONCURRENCY", str(2 * multiprocessing.cpu_count() + 1)))
threads = int(_env("GUNICORN_THREADS", "1"))

# A worker silent for this long is killed and replaced (the grade sheet PDF of a large seminar
# takes a few seconds; nothing takes a minute). On SIGTERM, requests in flight get as long.
timeout = int(_env("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(_env("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Connections from nginx are reused for this long between requests.
keepalive = int(_env("GUNICORN_KEEPALIVE", "5"))
# Workers are replaced now and then, so a slow leak never grows; jitter keeps them from all
# restarting at once.
max_requests = int(_env("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(_env("GUNICORN_MAX_REQUESTS_JITTER", "200"))

# Addresses whose X-Forwarded-Proto gunicorn believes (the proxy in front); comma-separated,
# networks allowed. Another host's header is ignored.
forwarded_allow_ips = _env("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# One line per request on standard output: the client (from the proxy's X-Forwarded-For), the
# request, status, bytes, duration in milliseconds, referrer and user agent.
accesslog = _env("GUNICORN_ACCESS_LOG", "-")
errorlog = _env("GUNICORN_ERROR_LOG", "-")
loglevel = _env("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s"'

# A worker's heartbeat file in memory, not on a disk that may stall.
worker_tmp_dir = _env("GUNICORN_WORKER_TMP_DIR", "/dev/shm" if os.path.isdir("/dev/shm") else "")
worker_tmp_dir = worker_tmp_dir or None

# The control socket (gunicornc) only where GUNICORN_CONTROL_SOCKET names a path: its default
# path is one per user, which several instances on one machine would share.
control_socket = _env("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket

# gunicorn's own Server header says "gunicorn", never its version; nginx replaces it with its
# own, versionless with `server_tokens off`.
