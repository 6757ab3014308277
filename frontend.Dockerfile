# Frontend image: the Vite build of frontend/ served by unprivileged nginx on 8080, which
# also proxies /api/, /healthz and /readyz to the backend (docs/interfaces.md).
#
#   docker build -f frontend.Dockerfile -t prestamos-frontend:local .
#
# Needs BuildKit (`RUN --mount` cache mounts): buildx, or DOCKER_BUILDKIT=1 with a docker CLI
# older than 23; the classic builder refuses the file (README, "Run it with Docker Compose").
#
# Build args (all optional): NODE_VERSION (build stage), NGINX_VERSION (runtime base,
# nginxinc/nginx-unprivileged:<v>-bookworm), VERSION, VCS_REF, SOURCE_URL, BUILD_DATE.
#
# Runtime contract: uid 101, read-only root filesystem with tmpfs at /tmp (pid, temp paths)
# and at /etc/nginx/conf.d owned by uid 101 (`--tmpfs /etc/nginx/conf.d:uid=101,gid=101`):
# the entrypoint renders /etc/nginx/templates/*.template there.
# Environment: BACKEND_URL, LOANS_RATE_LIMIT, LOANS_RATE_BURST, TRUSTED_PROXY_CIDR.
# Health: GET /nginx-health.

ARG NODE_VERSION=24
ARG NGINX_VERSION=1.28

# ---------------------------------------------------------------------------------------
# build: install only the frontend workspace from the root lockfile, then `vite build`.
# ---------------------------------------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS build

ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

WORKDIR /src

# The root package.json declares the workspace and the root package-lock.json is the
# lockfile; the root's own (heavy) devDependencies are not installed.
COPY package.json package-lock.json ./
COPY frontend/package.json frontend/

RUN --mount=type=cache,target=/root/.npm \
    npm ci --workspace frontend --include-workspace-root=false --loglevel=warn

COPY frontend/ frontend/

ENV NODE_ENV=production
RUN npm run build --workspace frontend

# ---------------------------------------------------------------------------------------
# runtime: nginx-unprivileged with the static build and the proxy template.
# ---------------------------------------------------------------------------------------
FROM nginxinc/nginx-unprivileged:${NGINX_VERSION}-bookworm AS runtime

# The stock server block would also listen on 8080; the rendered template replaces it.
# (/etc/nginx/conf.d belongs to uid 101 in this image, so no root step is needed.)
USER 101
RUN rm -f /etc/nginx/conf.d/default.conf

COPY --from=build /src/frontend/dist/ /usr/share/nginx/html/
COPY frontend/nginx/default.conf.template /etc/nginx/templates/default.conf.template

# Only these variables are substituted; nginx's own $variables stay as they are.
# TRUSTED_PROXY_CIDR: the proxy whose X-Forwarded-For names the client (none by default).
ENV BACKEND_URL=http://backend:8000 \
    LOANS_RATE_LIMIT=30r/m \
    LOANS_RATE_BURST=10 \
    TRUSTED_PROXY_CIDR=127.0.0.1/32 \
    NGINX_ENVSUBST_FILTER=^(BACKEND_URL|LOANS_RATE_LIMIT|LOANS_RATE_BURST|TRUSTED_PROXY_CIDR)\$

EXPOSE 8080

STOPSIGNAL SIGQUIT

# curl ships in both the Debian-based nginx-unprivileged images (installed next to nginx
# and gettext-base by the upstream Dockerfile) and the offline stand-in.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["curl", "--fail", "--silent", "--show-error", "--output", "/dev/null", "http://127.0.0.1:8080/nginx-health"]

# ENTRYPOINT (/docker-entrypoint.sh) and CMD (nginx -g 'daemon off;') come from the base.

ARG VERSION=0.0.0-dev
ARG VCS_REF=unknown
ARG SOURCE_URL=unknown
ARG BUILD_DATE=1970-01-01T00:00:00Z
LABEL org.opencontainers.image.title="prestamos-frontend" \
      org.opencontainers.image.description="Prestamos web app (React build served by nginx)" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${VCS_REF}" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.created="${BUILD_DATE}"
