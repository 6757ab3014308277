"""
Waits until the database accepts connections, so a one-shot job that starts next to a
database which is not ready yet (dev's in-cluster PostgreSQL on its first start, RDS during a
Multi-AZ failover) retries instead of failing. Exits 0 once `SELECT 1` succeeds; exits
non-zero with the last error after --timeout seconds, or at once on an error that waiting
cannot fix (wrong password, unknown database or role, a TLS certificate that does not verify).

    python manage.py wait_for_database --timeout 300 && python manage.py migrate --noinput
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections

# libpq messages of configuration errors: retrying them would only delay the failure.
PERMANENT_ERRORS = (
    "password authentication failed",
    "does not exist",
    "no pg_hba.conf entry",
    "certificate verify failed",
    "does not match host name",
    "root certificate file",
)


def first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class Command(BaseCommand):
    help = "Wait until the database accepts connections (for migration jobs)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--timeout", type=float, default=300.0, help="seconds to keep trying (default 300)"
        )
        parser.add_argument(
            "--interval", type=float, default=2.0, help="seconds between attempts (default 2)"
        )
        parser.add_argument("--database", default="default", help="database alias (default)")

    def handle(self, *args, timeout: float, interval: float, database: str, **options) -> None:
        if timeout <= 0 or interval <= 0:
            raise CommandError("--timeout and --interval must be positive numbers of seconds.")
        if database not in connections:
            raise CommandError(f'Unknown database alias "{database}".')
        connection = connections[database]
        deadline = time.monotonic() + timeout
        attempts = 0
        while True:
            attempts += 1
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                    cursor.fetchone()
            except DatabaseError as error:
                connection.close()
                reason = first_line(error)
                if any(marker in reason for marker in PERMANENT_ERRORS):
                    raise CommandError(f"Database refused the connection: {reason}") from None
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise CommandError(
                        f"Database not reachable after {attempts} attempts in {timeout:g} s: "
                        f"{reason}"
                    ) from None
                self.stderr.write(f"Database not ready ({reason}); retrying in {interval:g} s.")
                time.sleep(min(interval, remaining))
            else:
                connection.close()
                self.stdout.write(f"Database ready after {attempts} attempt(s).")
                return
