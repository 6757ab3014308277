"""
gunicorn settings (docs/interfaces.md): bind 0.0.0.0:$PORT, tuning from GUNICORN_* env.
SIGTERM is a graceful shutdown bounded by GUNICORN_GRACEFUL_TIMEOUT. No access log — the
Django access-log middleware writes one JSON line per request without query strings — and
gunicorn's own messages use the same JSON formatter.
"""

import os

from core.logging_config import json_logging


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, "").strip() or default)


wsgi_app = "config.wsgi:application"
bind = f"0.0.0.0:{_int('PORT', 8000)}"
workers = _int("GUNICORN_WORKERS", 2)
threads = _int("GUNICORN_THREADS", 4)
worker_class = "gthread"
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 20)
keepalive = 5
# Recycle workers now and then so slow leaks cannot grow forever; rarely enough that a
# restart (re-importing Django) is not a cost under load.
max_requests = 50000
max_requests_jitter = 5000

# The heartbeat file must live on a tmpfs: a disk-backed /tmp can stall workers, and the
# root filesystem is read-only in the container.
if os.path.isdir("/dev/shm"):  # noqa: S108 - a tmpfs, not a shared temp file
    worker_tmp_dir = "/dev/shm"  # noqa: S108
# The control socket would be created under $HOME, which is read-only in the container.
control_socket_disable = True

accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = json_logging(loglevel.upper())
logconfig_dict["loggers"] |= {
    "gunicorn.error": {"handlers": ["stdout"], "level": loglevel.upper(), "propagate": False},
    "gunicorn.access": {"handlers": [], "propagate": False},
}
