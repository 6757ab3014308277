# Backend image: Django 5.2 served by gunicorn on 0.0.0.0:8000 (docs/interfaces.md).
#
#   docker build -f backend.Dockerfile -t prestamos-backend:local .
#
# Needs BuildKit (`RUN --mount` cache mounts): buildx, or DOCKER_BUILDKIT=1 with a docker CLI
# older than 23; the classic builder refuses the file (README, "Run it with Docker Compose").
#
# Build args (all optional):
#   PYTHON_VERSION  CPython minor of the python:<v>-slim-bookworm base (default below).
#   PIP_INDEX_URL   package index for the builder stage only; empty = pip's default (PyPI).
#                   It is never written to ENV and never reaches the runtime stage.
#   VERSION, VCS_REF, SOURCE_URL, BUILD_DATE  OCI labels.
#
# Runtime contract: non-root uid/gid 10001, works with a read-only root filesystem plus a
# tmpfs at /tmp (bytecode is compiled at build time; gunicorn's worker heartbeat files go to
# /dev/shm, which the engine always mounts writable). Health: GET /healthz.

ARG PYTHON_VERSION=3.13

# ---------------------------------------------------------------------------------------
# builder: a virtualenv with the pinned runtime requirements, plus the app, all compiled.
# ---------------------------------------------------------------------------------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS builder

ARG PIP_INDEX_URL=""

WORKDIR /app

COPY backend/requirements.txt /tmp/requirements.txt

# An empty PIP_INDEX_URL must mean "pip's default index", not "an empty index URL".
# pip and setuptools are removed from the venv afterwards: nothing installs at run time.
# Translation sources (*.po) go too: Django reads only the compiled *.mo catalogues.
RUN --mount=type=cache,target=/root/.cache/pip \
    if [ -n "${PIP_INDEX_URL}" ]; then export PIP_INDEX_URL; else unset PIP_INDEX_URL; fi \
    && python -m venv /opt/venv \
    && /opt/venv/bin/python -m pip install --disable-pip-version-check --no-compile \
        --requirement /tmp/requirements.txt \
    && /opt/venv/bin/python -m pip uninstall --yes --disable-pip-version-check pip setuptools \
    && find /opt/venv -type d -name __pycache__ -prune -exec rm -rf {} + \
    && find /opt/venv -name '*.po' -delete \
    && python -m compileall -q -j 0 --invalidation-mode unchecked-hash /opt/venv/lib

COPY backend/ /app/

RUN find /app -type d -name __pycache__ -prune -exec rm -rf {} + \
    && python -m compileall -q -j 0 --invalidation-mode unchecked-hash /app

# ---------------------------------------------------------------------------------------
# runtime: the base image, the venv and the app; nothing else.
# ---------------------------------------------------------------------------------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid 10001 --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin app

ENV PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

WORKDIR /app

COPY --from=builder --chown=10001:10001 /opt/venv /opt/venv
COPY --from=builder --chown=10001:10001 /app /app

USER 10001:10001

EXPOSE 8000

STOPSIGNAL SIGTERM

# /healthz is answered before the host check and the HTTPS redirect, needs no database,
# and uses only the standard library (the image ships no curl).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=2)"]

# gunicorn is PID 1 (exec form) and handles SIGTERM with a graceful shutdown. There is no
# ENTRYPOINT wrapper, so one-off commands run as given: `docker run IMAGE python manage.py …`.
CMD ["gunicorn", "--config", "gunicorn.conf.py", "config.wsgi"]

# Labels last: a new revision or date changes metadata only, never a cached layer.
ARG VERSION=0.0.0-dev
ARG VCS_REF=unknown
ARG SOURCE_URL=unknown
ARG BUILD_DATE=1970-01-01T00:00:00Z
LABEL org.opencontainers.image.title="prestamos-backend" \
      org.opencontainers.image.description="Prestamos loans API (Django + gunicorn)" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${VCS_REF}" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.created="${BUILD_DATE}"
