from decimal import Decimal

from django.test import SimpleTestCase

from loans.models import LoanStatus
from loans.rules import Applicant, RulesConfig, decide

CONFIG = RulesConfig(auto_approval_max_amount=Decimal("1000000"), rejection_cooldown_days=30)


class RulesEngineTests(SimpleTestCase):
    def test_approves_within_threshold(self):
        decision = decide(Applicant(Decimal("1000000"), has_recent_rejection=False), CONFIG)
        self.assertEqual(decision.status, LoanStatus.APPROVED)
        self.assertIn("Aprobada", decision.reason)

    def test_above_threshold_goes_to_manual_review(self):
        decision = decide(Applicant(Decimal("1000000.01"), has_recent_rejection=False), CONFIG)
        self.assertEqual(decision.status, LoanStatus.PENDING)
        self.assertIn("$ 1.000.000,00", decision.reason)

    def test_recent_rejection_wins_over_everything(self):
        for amount in ("10000", "4000000"):
            decision = decide(Applicant(Decimal(amount), has_recent_rejection=True), CONFIG)
            self.assertEqual(decision.status, LoanStatus.REJECTED)
            self.assertIn("30 días", decision.reason)

    def test_is_deterministic(self):
        applicant = Applicant(Decimal("50000"), has_recent_rejection=False)
        self.assertEqual(decide(applicant, CONFIG), decide(applicant, CONFIG))
