"""Amounts as Argentines write them."""

from decimal import Decimal

NBSP = "\u00a0"


def format_ars(amount: Decimal) -> str:
    """12345.5 -> "$ 12.345,50", with a non-breaking space so "$" never ends a line alone."""
    whole, cents = f"{amount:,.2f}".split(".")
    return f"${NBSP}{whole.replace(',', '.')},{cents}"
