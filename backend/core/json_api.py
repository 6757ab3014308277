"""
Helpers shared by the JSON views: the error shape {"errors": {field: [messages]}}, strict
reading of JSON object bodies (413 / 415 / 400) and of query parameters, and per-method
dispatch with a JSON 405 and `Cache-Control: no-store`.

Text that no field may hold — NUL and lone UTF-16 surrogates, which PostgreSQL cannot store
and which would otherwise surface as a 500 deep in a query — is refused here, once, where
bodies and query parameters are read.
"""

import json
import re
from collections.abc import Callable, Mapping
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.views.decorators.csrf import csrf_exempt

NON_FIELD = "__all__"
INVALID_CHARACTERS = "El texto contiene caracteres no válidos."
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def error_response(status: int, errors: Mapping[str, list[str]]) -> JsonResponse:
    return JsonResponse({"errors": dict(errors)}, status=status)


def message_response(status: int, message: str) -> JsonResponse:
    return error_response(status, {NON_FIELD: [message]})


class ApiError(Exception):
    """Raised by helpers and views; turned into the JSON error shape by `api_view`."""

    def __init__(self, status: int, errors: Mapping[str, list[str]]):
        super().__init__(status)
        self.status = status
        self.errors = dict(errors)

    @classmethod
    def message(cls, status: int, message: str) -> "ApiError":
        return cls(status, {NON_FIELD: [message]})

    def response(self) -> JsonResponse:
        return error_response(self.status, self.errors)


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def _object_without_duplicates(pairs: list[tuple[str, object]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def read_json_object(request: HttpRequest, *, allow_empty: bool = False) -> dict:
    """
    The request body as a JSON object. Numbers with a fraction become Decimal so amounts
    keep their exact value. `allow_empty` accepts a missing body as {}.
    """
    declared_length = request.META.get("CONTENT_LENGTH") or "0"
    if declared_length.isdigit() and int(declared_length) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        raise ApiError.message(413, "El cuerpo de la solicitud es demasiado grande.")
    try:
        body = request.body
    except RequestDataTooBig:
        raise ApiError.message(413, "El cuerpo de la solicitud es demasiado grande.") from None
    if not body.strip() and allow_empty:
        return {}
    if (request.content_type or "").lower() != "application/json":
        raise ApiError.message(415, "El cuerpo debe enviarse como application/json.")
    try:
        data = json.loads(
            body.decode("utf-8"),
            parse_float=Decimal,
            parse_constant=_reject_constant,
            object_pairs_hook=_object_without_duplicates,
        )
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiError.message(400, "El cuerpo no es un JSON válido.") from None
    if not isinstance(data, dict):
        raise ApiError.message(400, "El cuerpo debe ser un objeto JSON.")
    # Reported on the field when the value is at fault, on "__all__" when the key is.
    errors = {
        (NON_FIELD if _has_unstorable_text(key) else key): [INVALID_CHARACTERS]
        for key, value in data.items()
        if _has_unstorable_text(key) or _has_unstorable_text(value)
    }
    if errors:
        raise ApiError(400, errors)
    return data


def _has_unstorable_text(value: object) -> bool:
    if isinstance(value, str):
        return _UNSTORABLE.search(value) is not None
    if isinstance(value, dict):
        return any(_has_unstorable_text(k) or _has_unstorable_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_unstorable_text(item) for item in value)
    return False


def read_query(request: HttpRequest) -> QueryDict:
    """The query parameters, refused with a 400 on the first one holding unstorable text."""
    for key, values in request.GET.lists():
        if _UNSTORABLE.search(key) or any(_UNSTORABLE.search(value) for value in values):
            field = NON_FIELD if _UNSTORABLE.search(key) else key
            raise ApiError(400, {field: [INVALID_CHARACTERS]})
    return request.GET


def form_errors(form) -> dict[str, list[str]]:
    """A bound form's errors in the API's shape: Django's ErrorDict already maps fields
    (and "__all__") to lists of messages."""
    return {field: list(messages) for field, messages in form.errors.items()}


View = Callable[..., HttpResponse]


def api_view(handlers: Mapping[str, View]) -> View:
    """
    One URL, one handler per HTTP method. Unknown methods get a JSON 405 with `Allow`;
    ApiError raised by a handler becomes its JSON response. Responses are `no-store` unless
    the handler says otherwise: they carry personal data (staff) or one-off decisions. The
    result is CSRF-exempt only when every handler is (staff handlers check CSRF themselves,
    after authentication).
    """
    allowed = sorted(handlers)
    # Django's CSRF middleware checks the resolved view, which is `dispatch`.
    exempt = all(getattr(handler, "csrf_exempt", False) for handler in handlers.values())

    def dispatch(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        handler = handlers.get(request.method or "")
        if handler is None and request.method == "HEAD":
            handler = handlers.get("GET")
        if handler is None:
            response = message_response(405, f"Método {request.method} no permitido.")
            response["Allow"] = ", ".join(allowed)
        else:
            try:
                response = handler(request, *args, **kwargs)
            except ApiError as error:
                response = error.response()
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response

    return csrf_exempt(dispatch) if exempt else dispatch
