"""Session login for staff: csrf, login, logout and me (see docs/interfaces.md)."""

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie

from accounts import throttle
from accounts.forms import StaffLoginForm
from accounts.permissions import staff_only
from core.json_api import ApiError, api_view, form_errors, message_response, read_json_object


def user_json(user) -> dict:
    return {"username": user.get_username(), "is_staff": user.is_staff}


@ensure_csrf_cookie
def _csrf(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"csrfToken": get_token(request)})


def _login(request: HttpRequest) -> JsonResponse:
    form = StaffLoginForm(request, data=read_json_object(request))
    try:
        with throttle.login_slot():
            valid = form.is_valid()
    except throttle.LoginThrottled as throttled:
        response = message_response(429, throttled.message)
        response["Retry-After"] = str(throttled.retry_after)
        return response
    if not valid:
        raise ApiError(400, form_errors(form))
    user = form.get_user()
    throttle.register_success(request, form.cleaned_data["username"])
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
