"""
Masks for personal data shown where the whole value is not needed: staff list rows and the
audit trail. Enough is left to tell two values apart at a glance, not to recover them.
"""


def mask_dni(dni: str) -> str:
    """ "30123456" -> "*****456"."""
    return "*" * (len(dni) - 3) + dni[-3:]


def mask_email(email: str) -> str:
    """ "juana@example.com" -> "j***@example.com"."""
    local, _, domain = email.rpartition("@")
    return f"{local[:1]}***@{domain}"


def mask_name(name: str) -> str:
    """ "María José Pérez" -> "M*** J*** P***"."""
    return " ".join(f"{word[:1]}***" for word in name.split())
