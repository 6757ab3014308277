"""
Stores every DNI in canonical form (loans.dni): "05678901" becomes "5678901", so the
one-pending-per-DNI rule, the cooldown and the exposure limit see one person.

Rows that are not a DNI once the zeros are gone ("0000000") are left as they are and
listed in the output. If two live pending requests would end up with the same DNI, the
migration stops and names them: which one to keep is a person's decision (reject or delete
one in the staff area, then migrate again). Reversing keeps the canonical values.
"""

from django.core.exceptions import ValidationError
from django.db import migrations

from loans.dni import canonical_dni


def canonicalise_dnis(apps, schema_editor):
    LoanRequest = apps.get_model("loans", "LoanRequest")
    changes: dict[int, str] = {}
    skipped: list[int] = []
    for loan_id, dni in LoanRequest.objects.values_list("id", "dni").iterator():
        try:
            canonical = canonical_dni(dni)
        except ValidationError:
            skipped.append(loan_id)
            continue
        if canonical != dni:
            changes[loan_id] = canonical
    if not changes:
        return
    live_pending = LoanRequest.objects.filter(status="pending", deleted_at__isnull=True)
    holders: dict[str, list[int]] = {}
    for loan_id, dni in live_pending.values_list("id", "dni"):
        holders.setdefault(changes.get(loan_id, dni), []).append(loan_id)
    clashes = sorted(sorted(ids) for ids in holders.values() if len(ids) > 1)
    if clashes:
        raise RuntimeError(
            "Pending requests that share a DNI once leading zeros are dropped (ids): "
            f"{clashes}. Decide or delete all but one of each group, then migrate again."
        )
    for loan_id, canonical in changes.items():
        LoanRequest.objects.filter(pk=loan_id).update(dni=canonical)
    if skipped:
        print(f"\n  loans 0003: left {len(skipped)} request(s) whose DNI is not valid: {skipped}")


class Migration(migrations.Migration):
    dependencies = [("loans", "0002_soft_delete_and_audit_trail")]

    operations = [migrations.RunPython(canonicalise_dnis, migrations.RunPython.noop)]
