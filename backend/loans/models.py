"""
A loan request as submitted by an applicant, with the decision taken on it, and the
append-only audit trail of everything that happened to it.

At most one request per DNI may be pending at a time (a partial unique constraint; writers
are serialised per DNI in loans.locks so the constraint is never hit in normal operation).
DNIs are stored in canonical form (loans.dni). Amount bounds come from settings and are
enforced by loans.forms, not here, so changing them does not need a migration. Deleting a
request is a soft delete (`deleted_at`): it stays for the audit trail.
"""

from django.conf import settings
from django.db import models

from loans.dni import validate_canonical_dni


class Gender(models.TextChoices):
    FEMALE = "F", "Femenino"
    MALE = "M", "Masculino"
    NON_BINARY = "X", "No binario"


class LoanStatus(models.TextChoices):
    PENDING = "pending", "Pendiente"
    APPROVED = "approved", "Aprobada"
    REJECTED = "rejected", "Rechazada"


class LoanAction(models.TextChoices):
    CREATED = "created", "Creada"
    EDITED = "edited", "Editada"
    APPROVED = "approved", "Aprobada"
    REJECTED = "rejected", "Rechazada"
    DELETED = "deleted", "Eliminada"


class LoanRequestQuerySet(models.QuerySet):
    def live(self) -> "LoanRequestQuerySet":
        """Requests not (soft-)deleted: the only ones the API shows or counts."""
        return self.filter(deleted_at__isnull=True)


class LoanRequest(models.Model):
    full_name = models.CharField(max_length=120)
    dni = models.CharField(max_length=8, validators=[validate_canonical_dni])
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
    # When a person or the scoring service decided; null for the rules engine's decisions.
    reviewed_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deleted_loan_requests",
    )

    objects = LoanRequestQuerySet.as_manager()

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
                condition=models.Q(status="pending", deleted_at__isnull=True),
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

    @property
    def is_decided(self) -> bool:
        return self.status != LoanStatus.PENDING

    def validate_constraints(self, exclude=None):
        """Not checked in Python: the database enforces the constraints, and a pre-check would
        cost a query per constraint on every form validation while still racing."""


class LoanEvent(models.Model):
    """
    One entry of a request's audit trail: who (`actor`, the username at the time; empty for
    the system), when, what (`action`), the changed fields as {"field": {"from", "to"}}
    with personal data masked, and the reason given. Rows are never updated or deleted:
    the model refuses it and, on PostgreSQL, so does a trigger (migration 0004).
    """

    # Indexed by loans_event_loan_at_idx (loan first), so no index of its own.
    loan = models.ForeignKey(
        LoanRequest, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    at = models.DateTimeField()
    actor = models.CharField(max_length=150, blank=True)  # "" = the system
    action = models.CharField(max_length=8, choices=LoanAction.choices)
    changes = models.JSONField(default=dict)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["loan", "at", "id"], name="loans_event_loan_at_idx")]

    def __str__(self) -> str:
        return f"LoanEvent #{self.pk} ({self.action} on request #{self.loan_id})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The audit trail is append-only: events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit trail is append-only: events cannot be deleted.")
