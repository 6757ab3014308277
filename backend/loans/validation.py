"""
Server-side validation of loan request fields. The frontend enforces the same rules; these
are the ones that count:

- full_name: text, 3–120 characters after trimming, no control characters
- dni: text of 7 or 8 ASCII digits
- gender: "F", "M" or "X"
- email: text, a valid address of at most 254 characters
- amount: a JSON number or a numeric string with at most 2 decimals, within
  LOAN_MIN_AMOUNT..LOAN_MAX_AMOUNT

Unknown and read-only fields are rejected, and every problem is reported at once.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from core.json_api import ApiError
from loans.models import Gender

EDITABLE_FIELDS = ("full_name", "dni", "gender", "email", "amount")
READ_ONLY_FIELDS = (
    "id",
    "status",
    "decision_reason",
    "created_at",
    "updated_at",
    "reviewed_by",
    "reviewed_at",
)

REQUIRED = "Este campo es obligatorio."
UNKNOWN = "Campo desconocido."
READ_ONLY = "Este campo es de solo lectura."
NOT_TEXT = "Debe ser texto."

CENT = Decimal("0.01")
_DNI = re.compile(r"[0-9]{7,8}")
_AMOUNT_TEXT = re.compile(r"[0-9]{1,12}(\.[0-9]{1,2})?")


class FieldError(Exception):
    """A single, user-facing validation message for one field."""


def format_ars(amount: Decimal) -> str:
    """12345.5 -> "$ 12.345,50" (Argentine notation)."""
    whole, cents = f"{amount:,.2f}".split(".")
    return f"$ {whole.replace(',', '.')},{cents}"


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise FieldError(NOT_TEXT)
    return value.strip()


def clean_full_name(value: object) -> str:
    name = " ".join(_text(value).split())
    if any(unicodedata.category(char) == "Cc" for char in name):
        raise FieldError("El nombre contiene caracteres no permitidos.")
    if not 3 <= len(name) <= 120:
        raise FieldError("El nombre debe tener entre 3 y 120 caracteres.")
    return name


def clean_dni(value: object) -> str:
    dni = _text(value)
    if not _DNI.fullmatch(dni):
        raise FieldError("El DNI debe tener 7 u 8 dígitos, sin puntos ni espacios.")
    return dni


def clean_gender(value: object) -> str:
    if value not in Gender.values:
        raise FieldError("El género debe ser F, M o X.")
    return str(value)


def clean_email(value: object) -> str:
    email = _text(value)
    if len(email) > 254:
        raise FieldError("El correo electrónico no puede superar los 254 caracteres.")
    try:
        validate_email(email)
    except ValidationError:
        raise FieldError("Ingrese un correo electrónico válido.") from None
    return email


def _to_decimal(value: object) -> Decimal:
    invalid = FieldError("El monto debe ser un número con hasta 2 decimales.")
    if isinstance(value, bool):
        raise invalid
    if isinstance(value, str):
        if not _AMOUNT_TEXT.fullmatch(value.strip()):
            raise invalid
        return Decimal(value.strip())
    if isinstance(value, int | Decimal):
        amount = Decimal(value)
        try:
            if amount.is_finite() and amount == amount.quantize(CENT):
                return amount
        except InvalidOperation:
            pass
    raise invalid


def clean_amount(value: object) -> Decimal:
    amount = _to_decimal(value)
    low, high = settings.LOAN_MIN_AMOUNT, settings.LOAN_MAX_AMOUNT
    if not low <= amount <= high:
        raise FieldError(f"El monto debe estar entre {format_ars(low)} y {format_ars(high)}.")
    return amount.quantize(CENT)


CLEANERS = {
    "full_name": clean_full_name,
    "dni": clean_dni,
    "gender": clean_gender,
    "email": clean_email,
    "amount": clean_amount,
}


def validate_loan_fields(data: dict, *, partial: bool) -> dict:
    """Cleaned values of the editable fields in `data`; raises ApiError(400) on any problem.
    `partial` (PATCH) accepts a subset of the fields but at least one."""
    errors: dict[str, list[str]] = {}
    for field in data:
        if field in READ_ONLY_FIELDS:
            errors[field] = [READ_ONLY]
        elif field not in CLEANERS:
            errors[field] = [UNKNOWN]
    cleaned = {}
    for field, clean in CLEANERS.items():
        if field not in data:
            if not partial:
                errors[field] = [REQUIRED]
            continue
        try:
            cleaned[field] = clean(data[field])
        except FieldError as error:
            errors[field] = [str(error)]
    if partial and not data:
        errors["__all__"] = ["Envíe al menos un campo para modificar."]
    if errors:
        raise ApiError(400, errors)
    return cleaned
