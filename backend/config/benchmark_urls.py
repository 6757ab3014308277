"""The API's URLs plus the benchmark floors (config.settings.benchmark only)."""

from django.urls import path

from config import benchmark_views
from config.urls import *  # noqa: F403
from config.urls import urlpatterns as api_urlpatterns

urlpatterns = [
    *api_urlpatterns,
    path("api/bench/insert-floor/", benchmark_views.insert_floor),
    path("api/bench/select-floor/", benchmark_views.select_floor),
]
