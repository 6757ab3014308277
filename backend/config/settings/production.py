"""
Production settings. Refuses to start without a real DJANGO_SECRET_KEY (>= 50 chars).

DJANGO_HTTPS (default true) turns on the HTTPS redirect, secure cookies and HSTS; set it to
false only where the site is served over plain HTTP (compose on localhost, minikube).
HSTS starts short (DJANGO_HSTS_SECONDS, default 60 s) and should be raised once HTTPS is
known to work everywhere.
"""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.env import env_bool, env_int, env_str

DEBUG = False

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters in production."
    )

HTTPS = env_bool("DJANGO_HTTPS", default=True)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    # Only trustworthy because the proxy in front (nginx / the load balancer) sets it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60, minimum=1)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
