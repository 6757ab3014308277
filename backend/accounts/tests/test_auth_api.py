from django.test import TestCase

from accounts.tests.support import PASSWORD, JsonClient, make_user, staff_client


class CsrfEndpointTests(TestCase):
    def test_sets_cookie_and_returns_token(self):
        client = JsonClient()
        response = client.get("/api/auth/csrf/")
        self.assertEqual(response.status_code, 200)
        self.assertIn("csrftoken", response.cookies)
        self.assertTrue(response.json()["csrfToken"])

    def test_post_is_405_json(self):
        response = JsonClient().post("/api/auth/csrf/")
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response["Allow"], "GET")
        self.assertIn("__all__", response.json()["errors"])


class LoginTests(TestCase):
    def setUp(self):
        self.client = JsonClient()
        self.client.fetch_csrf()

    def login(self, data, **kwargs):
        return self.client.send("POST", "/api/auth/login/", data, **kwargs)

    def test_staff_logs_in(self):
        make_user("ana")
        response = self.login({"username": "ana", "password": PASSWORD})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"user": {"username": "ana", "is_staff": True}})
        self.assertEqual(self.client.get("/api/auth/me/").status_code, 200)

    def test_wrong_password_is_400(self):
        make_user("ana")
        response = self.login({"username": "ana", "password": "nope"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("__all__", response.json()["errors"])

    def test_non_staff_is_refused_like_bad_credentials(self):
        make_user("bob", is_staff=False)
        response = self.login({"username": "bob", "password": PASSWORD})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.client.get("/api/auth/me/").status_code, 401)

    def test_inactive_staff_is_refused(self):
        make_user("ana", is_active=False)
        self.assertEqual(self.login({"username": "ana", "password": PASSWORD}).status_code, 400)

    def test_missing_wrong_type_long_and_unknown_fields(self):
        response = self.login({"username": 5, "password": "x" * 300, "remember": True})
        self.assertEqual(response.status_code, 400)
        errors = response.json()["errors"]
        self.assertEqual(set(errors), {"username", "password", "remember"})
        self.assertEqual(errors["remember"], ["Campo desconocido."])
        response = self.login({})
        self.assertEqual(set(response.json()["errors"]), {"username", "password"})

    def test_nul_and_lone_surrogates_are_400_not_500(self):
        make_user("ana")
        for data in (
            {"username": "ana\x00", "password": PASSWORD},
            {"username": "ana", "password": "pw\x00"},
            {"username": "\ud800", "password": PASSWORD},
            {"username": "ana", "password": "\udfff"},
        ):
            with self.subTest(data=repr(data)):
                response = self.login(data)  # json.dumps escapes the surrogates
                self.assertEqual(response.status_code, 400)
                self.assertEqual(
                    list(response.json()["errors"].values()),
                    [["El texto contiene caracteres no válidos."]],
                )

    def test_requires_csrf(self):
        make_user("ana")
        response = self.login({"username": "ana", "password": PASSWORD}, csrf=False)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(
            response.json()["errors"]["__all__"],
            ["Falta el token CSRF o no es válido. Recargá la página."],
        )

    def test_rejects_non_json(self):
        response = self.login("username=ana", content_type="application/x-www-form-urlencoded")
        self.assertEqual(response.status_code, 415)


class LogoutAndMeTests(TestCase):
    def test_me_anonymous_is_401(self):
        response = JsonClient().get("/api/auth/me/")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(
            response.json(), {"errors": {"__all__": ["Iniciá sesión para continuar."]}}
        )

    def test_me_non_staff_is_403(self):
        client = JsonClient()
        client.force_login(make_user("bob", is_staff=False))
        self.assertEqual(client.get("/api/auth/me/").status_code, 403)

    def test_me_returns_user(self):
        response = staff_client().get("/api/auth/me/")
        self.assertEqual(response.json(), {"user": {"username": "staff", "is_staff": True}})

    def test_logout(self):
        client = staff_client()
        response = client.send("POST", "/api/auth/logout/")
        self.assertEqual(response.status_code, 204)
        self.assertEqual(client.get("/api/auth/me/").status_code, 401)

    def test_logout_requires_csrf(self):
        client = staff_client()
        self.assertEqual(client.send("POST", "/api/auth/logout/", csrf=False).status_code, 403)
        self.assertEqual(client.get("/api/auth/me/").status_code, 200)

    def test_logout_anonymous_is_401_before_csrf(self):
        client = JsonClient()
        self.assertEqual(client.post("/api/auth/logout/").status_code, 401)
