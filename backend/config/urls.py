"""URL map: the JSON API under /api/. /healthz and /readyz are answered by middleware."""

from django.urls import include, path

urlpatterns = [
    path("api/auth/", include("accounts.urls")),
    path("api/loans/", include("loans.urls")),
]

handler400 = "core.error_views.bad_request"
handler403 = "core.error_views.permission_denied"
handler404 = "core.error_views.not_found"
handler500 = "core.error_views.server_error"
