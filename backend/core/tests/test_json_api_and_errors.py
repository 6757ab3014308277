from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings
from django.urls import path

from core import error_views
from core.json_api import ApiError, api_view, read_json_object, read_query


def boom(request):
    raise RuntimeError("unexpected")


def forbidden(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


def too_big(request):
    raise RequestDataTooBig("too big")


def ok(request):
    return HttpResponse("ok")


urlpatterns = [
    path("boom/", boom),
    path("forbidden/", forbidden),
    path("too-big/", too_big),
    path("form/", ok),
]
handler400 = error_views.bad_request
handler403 = error_views.permission_denied
handler404 = error_views.not_found
handler500 = error_views.server_error


@override_settings(ROOT_URLCONF=__name__)
class ErrorHandlerTests(TestCase):
    def test_500_is_json(self):
        self.client.raise_request_exception = False
        response = self.client.get("/boom/")
        self.assertEqual(response.status_code, 500)
        self.assertIn("__all__", response.json()["errors"])

    def test_403_is_json(self):
        response = self.client.get("/forbidden/")
        self.assertEqual(response.status_code, 403)
        self.assertIn("__all__", response.json()["errors"])

    def test_request_data_too_big_is_413(self):
        response = self.client.get("/too-big/")
        self.assertEqual(response.status_code, 413)

    def test_unknown_url_is_404_json(self):
        response = self.client.get("/nope/")
        self.assertEqual((response.status_code, "errors" in response.json()), (404, True))

    def test_csrf_failure_is_json(self):
        from django.test import Client

        response = Client(enforce_csrf_checks=True).post("/form/", {"a": "b"})
        self.assertEqual(response.status_code, 403)
        self.assertIn("CSRF", response.json()["errors"]["__all__"][0])

    def test_disallowed_host_is_400_json(self):
        response = self.client.get("/form/", HTTP_HOST="evil.example")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"errors": {"__all__": ["Solicitud inválida."]}})


class ReadJsonObjectTests(SimpleTestCase):
    def test_body_that_django_refuses_to_read_is_413(self):
        request = RequestFactory().post("/", "{}", content_type="application/json")
        request.META["CONTENT_LENGTH"] = " 99999"  # not plain digits: Django's check trips
        with self.assertRaises(ApiError) as caught:
            read_json_object(request)
        self.assertEqual(caught.exception.status, 413)

    def test_allow_empty(self):
        request = RequestFactory().generic("POST", "/")
        self.assertEqual(read_json_object(request, allow_empty=True), {})


class UnstorableTextTests(SimpleTestCase):
    def read(self, body: str) -> dict:
        request = RequestFactory().post("/", body, content_type="application/json")
        with self.assertRaises(ApiError) as caught:
            read_json_object(request)
        self.assertEqual(caught.exception.status, 400)
        return caught.exception.errors

    def test_nul_and_lone_surrogates_anywhere_in_the_body_are_refused(self):
        message = ["El texto contiene caracteres no válidos."]
        self.assertEqual(self.read('{"name": "a\\u0000b", "ok": "x"}'), {"name": message})
        self.assertEqual(self.read('{"name": ["x", {"y": "\\ud800"}]}'), {"name": message})
        self.assertEqual(self.read('{"n\\udc00": 1}'), {"__all__": message})

    def test_pairs_of_surrogates_are_text(self):
        request = RequestFactory().post(
            "/", '{"name": "\\ud83d\\ude00"}', content_type="application/json"
        )
        self.assertEqual(read_json_object(request), {"name": "😀"})

    def test_query_parameters(self):
        self.assertEqual(read_query(RequestFactory().get("/?search=ana")).get("search"), "ana")
        for query, field in (("?search=a%00b", "search"), ("?x%00=1", "__all__")):
            with self.subTest(query=query), self.assertRaises(ApiError) as caught:
                read_query(RequestFactory().get("/" + query))
            self.assertEqual(
                caught.exception.errors, {field: ["El texto contiene caracteres no válidos."]}
            )


class ApiViewTests(SimpleTestCase):
    def test_responses_are_not_stored_unless_the_handler_says_so(self):
        def cached(request):
            response = HttpResponse("ok")
            response["Cache-Control"] = "max-age=60"
            return response

        view = api_view({"GET": lambda request: HttpResponse("ok"), "POST": cached})
        factory = RequestFactory()
        self.assertEqual(view(factory.get("/"))["Cache-Control"], "no-store")
        self.assertEqual(view(factory.post("/"))["Cache-Control"], "max-age=60")
        self.assertEqual(view(factory.put("/"))["Cache-Control"], "no-store")  # the 405
