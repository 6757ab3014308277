"""
/healthz (process alive, no database) and /readyz (database reachable and no unapplied
migrations), answered before any other middleware so Kubernetes probes that send the pod
IP as Host, over plain HTTP, are not refused by the host check or redirected to HTTPS.
"""

import logging
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

LIVENESS_PATH = "/healthz"
READINESS_PATH = "/readyz"


def database_check() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("readiness: database unavailable (%s)", type(error).__name__)
        return "unavailable"
    return "ok"


def migrations_check() -> str:
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        logger.warning("readiness: cannot read migrations (%s)", type(error).__name__)
        return "unknown"
    return "pending" if plan else "ok"


def readiness() -> JsonResponse:
    checks = {"database": database_check()}
    checks["migrations"] = migrations_check() if checks["database"] == "ok" else "unknown"
    if all(result == "ok" for result in checks.values()):
        return JsonResponse({"status": "ready"})
    return JsonResponse({"status": "unavailable", "checks": checks}, status=503)


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in (LIVENESS_PATH, READINESS_PATH):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = JsonResponse({"errors": {"__all__": ["Método no permitido."]}}, status=405)
            response["Allow"] = "GET, HEAD"
        elif request.path == LIVENESS_PATH:
            response = JsonResponse({"status": "ok"})
        else:
            response = readiness()
        response["Cache-Control"] = "no-store"
        return response
