"""
`staff_only` guards staff endpoints: 401 when not logged in, 403 when not staff, and only
then the CSRF check for writes, so an anonymous client learns it must log in rather than
that its CSRF token is missing.
"""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from core.json_api import message_response


def staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    checked_view = csrf_protect(view)

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return message_response(401, "Iniciá sesión para continuar.")
        if not (user.is_active and user.is_staff):
            return message_response(403, "Solo el personal autorizado puede acceder.")
        return checked_view(request, *args, **kwargs)

    # CSRF is enforced by `checked_view` after the auth checks, not by the middleware.
    return csrf_exempt(guarded)
