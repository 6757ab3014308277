"""
The DNI rule, in one place: 7 or 8 ASCII digits once leading zeros are dropped, so
"05678901" and "5678901" are the same person and are stored as "5678901". "0000000" is not a
DNI. The model field validates stored values with it; the form field canonicalises input.
"""

import re

from django.core.exceptions import ValidationError

_DIGITS = re.compile(r"[0-9]+")
MIN_DNI = 1_000_000

NOT_DIGITS = "Ingresá solo los números del DNI, sin puntos ni espacios."
WRONG_LENGTH = "El DNI tiene que tener 7 u 8 dígitos."
NOT_A_DNI = "Ese número no es un DNI válido."


def canonical_dni(raw: str) -> str:
    """The stored form of a DNI typed as `raw` (surrounding spaces ignored)."""
    text = raw.strip()
    if not _DIGITS.fullmatch(text):
        raise ValidationError(NOT_DIGITS, code="not_digits")
    if len(text) not in (7, 8):
        raise ValidationError(WRONG_LENGTH, code="length")
    number = int(text)
    if number < MIN_DNI:  # "0000000", "00123456": no DNI once the zeros are gone
        raise ValidationError(NOT_A_DNI, code="not_a_dni")
    return str(number)


def validate_canonical_dni(value: str) -> None:
    """Model-level check: the value is a DNI already in its canonical form."""
    if canonical_dni(value) != value:
        raise ValidationError(
            "El DNI tiene que guardarse sin ceros a la izquierda.", code="not_canonical"
        )
