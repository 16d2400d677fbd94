from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.test import SimpleTestCase

from bookshelf.fines import fine_for, total_fines

DUE = date(2024, 3, 22)


class FineTests(SimpleTestCase):
    def test_on_time_or_early(self):
        self.assertEqual(fine_for(DUE, date(2024, 3, 1)), Decimal("0.00"))
        self.assertEqual(fine_for(DUE, DUE), Decimal("0.00"))

    def test_within_grace_period(self):
        """Returns up to two days late are not fined."""
        self.assertEqual(fine_for(DUE, date(2024, 3, 23)), Decimal("0.00"))
        self.assertEqual(fine_for(DUE, date(2024, 3, 24)), Decimal("0.00"))

    def test_after_grace_period_every_late_day_counts(self):
        self.assertEqual(fine_for(DUE, date(2024, 3, 25)), Decimal("0.75"))
        self.assertEqual(fine_for(DUE, date(2024, 4, 1)), Decimal("2.50"))

    def test_fine_is_capped(self):
        self.assertEqual(fine_for(DUE, date(2024, 12, 25)), Decimal("10.00"))

    def test_custom_rates(self):
        fine = fine_for(DUE, date(2024, 3, 29), daily=Decimal("0.1"), grace=0, cap=Decimal("5"))
        self.assertEqual(fine, Decimal("0.70"))
        self.assertEqual(str(fine), "0.70")


class TotalFinesTests(SimpleTestCase):
    def test_open_loans_are_fined_as_of_today(self):
        loans = [
            SimpleNamespace(due_on=DUE, returned_on=date(2024, 3, 26)),
            SimpleNamespace(due_on=DUE, returned_on=None),
            SimpleNamespace(due_on=DUE, returned_on=DUE),
        ]
        self.assertEqual(total_fines(loans, date(2024, 3, 30)), Decimal("3.00"))

    def test_no_loans(self):
        self.assertEqual(total_fines([], date(2024, 3, 30)), Decimal("0.00"))
