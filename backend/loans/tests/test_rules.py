from decimal import Decimal

from django.test import SimpleTestCase

from loans.models import LoanStatus
from loans.rules import APPROVED, Rule, RulesConfig, ordered_rules

CONFIG = RulesConfig(
    auto_approval_max_amount=Decimal("1000000"), rejection_cooldown_days=30, exposure_window_days=7
)


class RulesTests(SimpleTestCase):
    def test_a_recent_rejection_wins_over_the_amount(self):
        self.assertEqual(
            [rule for rule, _ in ordered_rules(CONFIG)],
            [Rule.RECENT_REJECTION, Rule.OVER_AUTO_APPROVAL_LIMIT],
        )

    def test_decisions_and_their_reasons_for_staff(self):
        decisions = dict(ordered_rules(CONFIG))
        rejected = decisions[Rule.RECENT_REJECTION]
        self.assertEqual(rejected.status, LoanStatus.REJECTED)
        self.assertIn("30 días", rejected.reason)
        pending = decisions[Rule.OVER_AUTO_APPROVAL_LIMIT]
        self.assertEqual(pending.status, LoanStatus.PENDING)
        self.assertIn("$\u00a01.000.000,00", pending.reason)
        self.assertIn("7 días", pending.reason)
        self.assertEqual(APPROVED.status, LoanStatus.APPROVED)
