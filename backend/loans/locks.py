"""
Serialising writers per DNI. Every write that can create a pending request for a DNI or
change what counts against its limits takes this lock first, inside its transaction, so
"check the history, then insert" cannot interleave with another writer of the same DNI.

PostgreSQL: a transaction-scoped advisory lock keyed by the DNI (canonical DNIs are numbers
below 10^8, so they fit the two-integer form with a namespace of our own). SQLite, for
development, takes its single write lock at BEGIN (`transaction_mode: IMMEDIATE` in settings),
which already serialises every writer.
"""

from django.db import connection

# First key of pg_advisory_xact_lock(int, int): keeps our locks apart from anyone else's.
DNI_LOCK_NAMESPACE = 0x4C4F414E  # "LOAN"


def lock_dni(dni: str) -> None:
    """Call inside transaction.atomic(): held until the transaction ends. (loans.submission
    takes the same lock inside its single statement.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", (DNI_LOCK_NAMESPACE, int(dni)))
