"""Test helpers: users and API clients that speak JSON and carry a CSRF token."""

import json

from django.contrib.auth import get_user_model
from django.test import Client

PASSWORD = "a-long-test-password-123"


def make_user(username: str = "staff", *, is_staff: bool = True, **extra):
    return get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.com",
        is_staff=is_staff,
        **extra,
    )


class JsonClient(Client):
    """A client that enforces CSRF like a browser and sends JSON bodies."""

    def __init__(self, **kwargs):
        super().__init__(enforce_csrf_checks=True, **kwargs)

    def fetch_csrf(self) -> str:
        return self.get("/api/auth/csrf/").json()["csrfToken"]

    def send(self, method: str, path: str, data=None, *, csrf: bool = True, **kwargs):
        headers = kwargs.pop("headers", {})
        if csrf:
            headers.setdefault("X-CSRFToken", self.cookies["csrftoken"].value)
        body = data if isinstance(data, str | bytes) or data is None else json.dumps(data)
        kwargs.setdefault("content_type", "application/json")
        return self.generic(method, path, body or "", headers=headers, **kwargs)


def staff_client(user=None) -> JsonClient:
    client = JsonClient()
    client.force_login(user or make_user())
    client.fetch_csrf()
    return client
