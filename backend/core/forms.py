"""
Building blocks for Django forms fed from JSON bodies (core.json_api.read_json_object):

- `JsonFormMixin`: keys the form does not declare are errors ("Campo desconocido." or, for
  the fields listed in `read_only_fields`, "Este campo es de solo lectura."), reported with
  every other problem at once.
- `TextField` / `EmailField`: accept only JSON strings. Django's own fields turn 5 or [] into
  "5" / "[]"; an API should refuse the wrong type instead.
- `SharedField`: for fields no form instance ever changes, so that forms share them instead of
  deep-copying them on every request.
- `validate_plain_text`: no control, format (bidi overrides, zero-width), surrogate or
  private-use characters, which look like nothing on screen but change what staff read.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

UNKNOWN = "Campo desconocido."
READ_ONLY = "Este campo es de solo lectura."
NOT_TEXT = "Tiene que ser texto."
REQUIRED = "Este campo es obligatorio."

# Unicode categories refused in free text: Cc control, Cf format, Cs surrogate, Co private use.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co"}


def validate_plain_text(value: str, *, allow_newlines: bool = False) -> None:
    allowed = {"\n", "\t"} if allow_newlines else set()
    if any(
        unicodedata.category(char) in _HIDDEN_CATEGORIES and char not in allowed for char in value
    ):
        raise ValidationError("El texto contiene caracteres no permitidos.", code="hidden_chars")


class JsonFormMixin:
    """For forms whose `data` is a decoded JSON object; see the module docstring."""

    read_only_fields: tuple[str, ...] = ()

    def add_unknown_key_errors(self) -> None:
        for key in sorted(set(self.data) - set(self.fields)):
            message = READ_ONLY if key in self.read_only_fields else UNKNOWN
            self.errors[key] = self.error_class([message])

    def clean(self):
        self.add_unknown_key_errors()
        return super().clean()


class SharedField:
    """Mix into a field class (before the Django field) whose instances no form changes.

    Django deep-copies every declared field each time a form is built, so that one instance
    may change its fields (labels, widgets, choices) without touching another's. The API's
    JSON forms render nothing and change no field, and the copy was half of LoanForm's
    validation time on POST /api/loans/, the busiest endpoint (`npm run bench:api`). Not for
    forms whose __init__ sets field attributes, such as Django's AuthenticationForm.
    """

    def __deepcopy__(self, memo):
        return self


class TextField(forms.CharField):
    """A CharField that refuses non-string JSON values instead of calling str() on them."""

    default_error_messages = {"required": REQUIRED, "not_text": NOT_TEXT}

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, str):
            raise ValidationError(self.error_messages["not_text"], code="not_text")
        return super().to_python(value)


class DotAtomEmailValidator(EmailValidator):
    """Django's validator without quoted local parts ("\\x1b"@example.com is valid RFC 5322
    but no person's address): the local part is a dot-atom of printable ASCII."""

    user_regex = re.compile(
        r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*\Z"
    )


class EmailField(TextField):
    default_validators = [DotAtomEmailValidator()]
    default_error_messages = {"invalid": "Ingresá un correo electrónico válido."}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault(
            "error_messages",
            {"max_length": "El correo electrónico no puede superar los 254 caracteres."},
        )
        super().__init__(**kwargs)
