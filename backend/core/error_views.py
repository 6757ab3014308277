"""Django's own error handlers and CSRF failure view, answering in the API's JSON shape."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse

from core.json_api import message_response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    if isinstance(exception, RequestDataTooBig):
        return message_response(413, "El cuerpo de la solicitud es demasiado grande.")
    return message_response(400, "Solicitud inválida.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return message_response(403, "No tenés permiso para realizar esta acción.")


def not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return message_response(404, "No encontrado.")


def server_error(request: HttpRequest) -> JsonResponse:
    return message_response(500, "Error interno del servidor. Probá de nuevo más tarde.")


def csrf_failure(request: HttpRequest, reason: str = "") -> JsonResponse:
    # The reason is for developers (logged by Django); users get a stable message.
    return message_response(403, "Falta el token CSRF o no es válido. Recargá la página.")
