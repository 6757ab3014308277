"""Development settings: DEBUG on, a fixed insecure key, plain HTTP."""

from config.settings.base import *  # noqa: F403
from config.settings.env import env_str

DEBUG = True
SECRET_KEY = env_str(
    "DJANGO_SECRET_KEY",
    "django-insecure-local-development-only-never-use-in-production",
)
