"""
Production settings. Refuses to start without a real DJANGO_SECRET_KEY (>= 50 chars).

DJANGO_HTTPS (default true) turns on the HTTPS redirect, secure cookies and HSTS; set it to
false only where the site is served over plain HTTP (compose on localhost, minikube).
HSTS is one year with subdomains, like nginx's header on every response; no preload unless
DJANGO_HSTS_PRELOAD says so.
"""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.env import env_bool, env_int, env_str

DEBUG = False
HSTS_ONE_YEAR = 365 * 24 * 60 * 60

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
    # Behind nginx the browser gets nginx's HSTS header (the same policy, on the SPA too);
    # this one covers direct access. Preloading is a separate, hard-to-undo commitment
    # (hstspreload.org wants ≥ 1 year): opt in with DJANGO_HSTS_PRELOAD.
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", HSTS_ONE_YEAR, minimum=1)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=False)
    if SECURE_HSTS_PRELOAD and SECURE_HSTS_SECONDS < HSTS_ONE_YEAR:
        raise ImproperlyConfigured("DJANGO_HSTS_PRELOAD needs DJANGO_HSTS_SECONDS >= 31536000.")
    if not SECURE_HSTS_PRELOAD:
        # W021 asks for preload; not preloading is a decision (see above), not an oversight.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
