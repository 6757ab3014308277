"""
Validation of the loans API with Django forms, fed from strict JSON (core.forms):

- `LoanForm`: full_name, dni, gender, email, amount. Unknown fields are refused, read-only
  ones too; `partial=True` (PATCH) accepts any non-empty subset. A plain Form rather than a
  ModelForm: a ModelForm would build a model instance and validate every field a second time
  against the model, which doubled the cost of the public create (the busiest endpoint);
  the fields here apply the same rules (the DNI's is loans.dni, shared with the model).
    - full_name: 3–120 characters after collapsing spaces; letters of any script (with their
      accents), spaces, apostrophes, hyphens and dots — nothing invisible, no digits.
    - dni: loans.dni (7 or 8 digits, stored without leading zeros).
    - gender: F, M or X.  email: dot-atom local part (no quoted forms), ≤ 254 characters.
    - amount: a JSON number or a numeric string with at most 2 decimals, within
      LOAN_MIN_AMOUNT..LOAN_MAX_AMOUNT.
- `ReviewForm`: the optional `reason` of an approval or rejection (≤ 500 characters).
- `LoanListQuery`: page, page_size (1–100), ordering, status and search of the staff list.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from core.forms import EmailField, JsonFormMixin, SharedField, TextField, validate_plain_text
from loans.dni import canonical_dni
from loans.models import Gender, LoanStatus
from loans.money import format_ars

READ_ONLY_FIELDS = (
    "id",
    "status",
    "decision_reason",
    "created_at",
    "updated_at",
    "reviewed_by",
    "reviewed_at",
)
CENT = Decimal("0.01")
_AMOUNT_TEXT = re.compile(r"[0-9]{1,12}(\.[0-9]{1,2})?")
_NAME_PUNCTUATION = frozenset(" '’-‐.")


class PersonNameField(SharedField, TextField):
    default_error_messages = {
        "length": "El nombre tiene que tener entre 3 y 120 caracteres.",
        "characters": "El nombre solo puede tener letras, espacios, apóstrofos, guiones y puntos.",
    }

    def to_python(self, value):
        text = super().to_python(value)
        return unicodedata.normalize("NFC", " ".join(text.split()))

    def validate(self, value):
        super().validate(value)
        if not 3 <= len(value) <= 120:
            raise ValidationError(self.error_messages["length"], code="length")
        letters = 0
        previous = " "
        for char in value:
            category = unicodedata.category(char)
            # Combining marks (accents, vowel signs) only right after a letter or a mark.
            is_mark = category[0] == "M" and unicodedata.category(previous)[0] in "LM"
            if category[0] != "L" and not is_mark and char not in _NAME_PUNCTUATION:
                raise ValidationError(self.error_messages["characters"], code="characters")
            letters += category[0] == "L"
            previous = char
        if letters < 2:
            raise ValidationError(self.error_messages["characters"], code="characters")


class DniField(SharedField, TextField):
    def to_python(self, value):
        text = super().to_python(value)
        return canonical_dni(text) if text else text


class AmountField(SharedField, forms.DecimalField):
    """Decimal amounts from JSON numbers or numeric strings; no exponents, signs or "_"."""

    default_error_messages = {
        "required": "Este campo es obligatorio.",
        "invalid": "El monto tiene que ser un número con hasta 2 decimales.",
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str) and _AMOUNT_TEXT.fullmatch(value.strip()):
            return Decimal(value.strip())
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            amount = Decimal(value)
            try:
                if amount.is_finite() and amount == amount.quantize(CENT):
                    return amount.quantize(CENT)
            except InvalidOperation:
                pass
        raise ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value):
        super().validate(value)
        low, high = settings.LOAN_MIN_AMOUNT, settings.LOAN_MAX_AMOUNT
        if value is not None and not low <= value <= high:
            raise ValidationError(
                f"El monto tiene que estar entre {format_ars(low)} y {format_ars(high)}.",
                code="bounds",
            )

    def clean(self, value):
        amount = super().clean(value)
        return amount.quantize(CENT) if amount is not None else amount


# Shared (not copied per form, core.forms.SharedField): these forms run on every create and
# every staff list request.
class SharedEmailField(SharedField, EmailField):
    pass


class SharedChoiceField(SharedField, forms.ChoiceField):
    pass


class SharedCharField(SharedField, forms.CharField):
    pass


class LoanForm(JsonFormMixin, forms.Form):
    read_only_fields = READ_ONLY_FIELDS

    full_name = PersonNameField()
    dni = DniField()
    gender = SharedChoiceField(
        choices=Gender.choices,
        error_messages={
            "required": "Este campo es obligatorio.",
            "invalid_choice": "Elegí un género: F, M o X.",
        },
    )
    email = SharedEmailField()
    amount = AmountField()

    def __init__(self, data: dict, *, partial: bool = False):
        super().__init__(data)
        self.partial = partial
        if partial:
            for name in set(self.fields) - set(data):
                del self.fields[name]

    def clean(self):
        if self.partial and not self.data:
            raise ValidationError("Enviá al menos un campo para modificar.", code="empty")
        return super().clean()


def _validate_reason(text: str) -> None:
    validate_plain_text(text, allow_newlines=True)


class ReviewForm(JsonFormMixin, forms.Form):
    reason = TextField(
        required=False,
        max_length=500,
        validators=[_validate_reason],
        error_messages={"max_length": "El motivo no puede superar los 500 caracteres."},
    )


class AsciiPositiveIntegerField(SharedField, forms.IntegerField):
    default_error_messages = {
        "invalid": "Tiene que ser un número entero positivo.",
        "max_value": "No puede ser mayor que %(limit_value)s.",
    }

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return None
        if not (text.isascii() and text.isdigit()) or int(text) < 1:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)


ORDERING_FIELDS = ("full_name", "created_at", "amount", "dni", "status")
MAX_SEARCH_LENGTH = 100


class LoanListQuery(forms.Form):
    page = AsciiPositiveIntegerField(required=False)
    page_size = AsciiPositiveIntegerField(required=False, max_value=100)
    ordering = SharedChoiceField(
        required=False,
        choices=[(f"{sign}{name}", name) for name in ORDERING_FIELDS for sign in ("", "-")],
        error_messages={
            "invalid_choice": "Orden inválido. Valores permitidos: "
            + ", ".join(ORDERING_FIELDS)
            + " (con - adelante para invertirlo)."
        },
    )
    status = SharedChoiceField(
        required=False,
        choices=LoanStatus.choices,
        error_messages={"invalid_choice": "Estado inválido. Usá pending, approved o rejected."},
    )
    search = SharedCharField(required=False, strip=False)

    def clean_search(self) -> str:
        search = " ".join(self.cleaned_data["search"].split())
        if len(search) > MAX_SEARCH_LENGTH:
            raise ValidationError(f"Máximo {MAX_SEARCH_LENGTH} caracteres.")
        return search
