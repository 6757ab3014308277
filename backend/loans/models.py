"""
A loan request as submitted by an applicant, with the decision taken on it.

At most one request per DNI may be pending at a time (a partial unique constraint backs the
409 answered by the API, so concurrent submissions cannot both slip through). Amount bounds
come from settings and are enforced by loans.validation, not here, so changing them does not
need a migration.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models


class Gender(models.TextChoices):
    FEMALE = "F", "Femenino"
    MALE = "M", "Masculino"
    NON_BINARY = "X", "No binario"


class LoanStatus(models.TextChoices):
    PENDING = "pending", "Pendiente"
    APPROVED = "approved", "Aprobada"
    REJECTED = "rejected", "Rechazada"


dni_validator = RegexValidator(r"^[0-9]{7,8}\Z", "El DNI debe tener 7 u 8 dígitos.")


class LoanRequest(models.Model):
    full_name = models.CharField(max_length=120)
    dni = models.CharField(max_length=8, validators=[dni_validator])
    gender = models.CharField(max_length=1, choices=Gender.choices)
    email = models.EmailField(max_length=254)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=8, choices=LoanStatus.choices, default=LoanStatus.PENDING)
    decision_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_loan_requests",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at"], name="loans_created_idx"),
            models.Index(fields=["status", "-created_at"], name="loans_status_created_idx"),
            models.Index(fields=["dni"], name="loans_dni_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dni"],
                condition=models.Q(status="pending"),
                name="loans_one_pending_per_dni",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "approved", "rejected"]),
                name="loans_status_valid",
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="loans_amount_positive"),
        ]

    def __str__(self) -> str:
        # No personal data: this string can end up in logs.
        return f"LoanRequest #{self.pk} ({self.status})"
