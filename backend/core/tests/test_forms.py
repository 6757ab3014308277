from django import forms
from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from core.forms import EmailField, JsonFormMixin, SharedField, TextField, validate_plain_text


class ExampleForm(JsonFormMixin, forms.Form):
    read_only_fields = ("id",)
    name = TextField(max_length=5)
    email = EmailField(required=False)


class JsonFormTests(SimpleTestCase):
    def errors(self, data: dict) -> dict:
        form = ExampleForm(data)
        self.assertFalse(form.is_valid())
        return {field: list(messages) for field, messages in form.errors.items()}

    def test_unknown_and_read_only_keys_with_every_other_problem(self):
        self.assertEqual(
            self.errors({"id": 1, "extra": 2}),
            {
                "name": ["Este campo es obligatorio."],
                "extra": ["Campo desconocido."],
                "id": ["Este campo es de solo lectura."],
            },
        )

    def test_text_fields_refuse_other_json_types(self):
        for value in (5, 1.5, True, ["a"], {"a": 1}):
            with self.subTest(value=value):
                self.assertEqual(self.errors({"name": value}), {"name": ["Tiene que ser texto."]})
        form = ExampleForm({"name": " ana "})
        self.assertTrue(form.is_valid())
        self.assertEqual(form.cleaned_data["name"], "ana")

    def test_emails_without_quoted_local_parts(self):
        for address in ('"\\x1b"@example.com', '"a b"@example.com', "a@b", "a..b@example.com"):
            with self.subTest(address=address):
                self.assertEqual(
                    self.errors({"name": "ana", "email": address}),
                    {"email": ["Ingresá un correo electrónico válido."]},
                )
        form = ExampleForm({"name": "ana", "email": "o'brien+x@example.com.ar"})
        self.assertTrue(form.is_valid(), form.errors)


class SharedTextField(SharedField, TextField):
    pass


class SharedForm(forms.Form):
    name = SharedTextField(max_length=5)


class SharedFieldTests(SimpleTestCase):
    def test_forms_share_the_field_objects_but_each_has_its_own_field_list(self):
        first, second = SharedForm({"name": "Ana"}), SharedForm({"name": "Ana"})
        self.assertIs(first.fields["name"], second.fields["name"])
        del first.fields["name"]
        self.assertTrue(second.is_valid(), second.errors)
        self.assertEqual(second.cleaned_data, {"name": "Ana"})
        self.assertIn("name", SharedForm({}).fields)


class PlainTextTests(SimpleTestCase):
    def test_refuses_control_format_and_private_characters(self):
        for text in ("a\x1bb", "a\x07", "a\u202eb", "a\u200bb", "\ufeff", "a\ue000", "a\nb"):
            with self.subTest(text=repr(text)), self.assertRaises(ValidationError):
                validate_plain_text(text)
        validate_plain_text("Ingresos ok, ¿revisar? ñandú 😀")
        validate_plain_text("línea 1\nlínea 2\tfin", allow_newlines=True)
