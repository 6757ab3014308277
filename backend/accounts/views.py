"""Session login for staff: csrf, login, logout and me (see docs/interfaces.md)."""

from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie

from accounts.permissions import staff_only
from core.json_api import NON_FIELD, ApiError, api_view, read_json_object

BAD_CREDENTIALS = "Usuario o contraseña incorrectos, o el usuario no es parte del personal."


def user_json(user) -> dict:
    return {"username": user.get_username(), "is_staff": user.is_staff}


@ensure_csrf_cookie
def _csrf(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"csrfToken": get_token(request)})


def _login(request: HttpRequest) -> JsonResponse:
    data = read_json_object(request)
    errors: dict[str, list[str]] = {}
    for field in data.keys() - {"username", "password"}:
        errors[field] = ["Campo desconocido."]
    credentials = {}
    for field in ("username", "password"):
        value = data.get(field)
        if not isinstance(value, str) or not value:
            errors[field] = ["Este campo es obligatorio y debe ser texto."]
        elif len(value) > 256:
            errors[field] = ["Es demasiado largo."]
        else:
            credentials[field] = value
    if errors:
        raise ApiError(400, errors)
    user = authenticate(request, **credentials)
    # Non-staff users get the same answer as bad credentials: the API is for staff only.
    if user is None or not user.is_staff:
        raise ApiError(400, {NON_FIELD: [BAD_CREDENTIALS]})
    login(request, user)  # rotates the session key and the CSRF token
    return JsonResponse({"user": user_json(user)})


@staff_only
def _logout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponse(status=204)


@staff_only
def _me(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"user": user_json(request.user)})


csrf = csrf_exempt(api_view({"GET": _csrf}))  # GET only; exempt so POST gets a 405
login_view = api_view({"POST": _login})
logout_view = api_view({"POST": _logout})
me = api_view({"GET": _me})
