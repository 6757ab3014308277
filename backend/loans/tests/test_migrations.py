from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

BEFORE = [("loans", "0002_soft_delete_and_audit_trail")]
AFTER = [("loans", "0003_canonical_dni")]


class CanonicalDniMigrationTests(TransactionTestCase):
    def migrate(self, targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    def tearDown(self):
        self.migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    def create(self, apps, dni: str, status: str):
        return (
            apps.get_model("loans", "LoanRequest")
            .objects.create(
                full_name="Ana Gómez",
                dni=dni,
                gender="F",
                email="a@example.com",
                amount=1,
                status=status,
            )
            .pk
        )

    def test_stores_dnis_without_leading_zeros_and_leaves_non_dnis(self):
        apps = self.migrate(BEFORE)
        padded = self.create(apps, "05678901", "approved")
        plain = self.create(apps, "30123456", "pending")
        zeros = self.create(apps, "0000000", "rejected")
        apps = self.migrate(AFTER)
        stored = dict(apps.get_model("loans", "LoanRequest").objects.values_list("id", "dni"))
        self.assertEqual(stored, {padded: "5678901", plain: "30123456", zeros: "0000000"})

    def test_stops_when_two_pending_requests_turn_out_to_be_one_person(self):
        apps = self.migrate(BEFORE)
        first = self.create(apps, "05678901", "pending")
        second = self.create(apps, "5678901", "pending")
        with self.assertRaisesMessage(RuntimeError, str(sorted([first, second]))):
            self.migrate(AFTER)
        LoanRequest = apps.get_model("loans", "LoanRequest")
        self.assertEqual(LoanRequest.objects.get(pk=first).dni, "05678901")  # nothing changed
        LoanRequest.objects.filter(pk=first).update(status="rejected")  # a person decides
        self.migrate(AFTER)
