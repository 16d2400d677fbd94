from datetime import date
from decimal import Decimal

from django.test import SimpleTestCase, TestCase

from bookshelf import services
from bookshelf.dates import days_overdue, due_date, is_open, next_open_day
from bookshelf.models import Author, Book, Copy, Loan, Member
from bookshelf.search import overdue_report

EASTER_MONDAY = date(2024, 4, 1)


class DueDateTests(SimpleTestCase):
    def test_sunday_is_closed(self):
        self.assertIs(is_open(date(2024, 3, 3)), False)
        self.assertIs(is_open(date(2024, 3, 4)), True)

    def test_holiday_is_closed(self):
        self.assertIs(is_open(EASTER_MONDAY, holidays={EASTER_MONDAY}), False)

    def test_next_open_day_of_open_day_is_itself(self):
        self.assertEqual(next_open_day(date(2024, 3, 2)), date(2024, 3, 2))

    def test_due_three_weeks_later(self):
        self.assertEqual(due_date(date(2024, 3, 1)), date(2024, 3, 22))

    def test_due_on_sunday_moves_to_monday(self):
        self.assertEqual(due_date(date(2024, 3, 3)), date(2024, 3, 25))

    def test_due_date_skips_holiday_after_sunday(self):
        """A due date on Easter Sunday moves past Easter Monday to the Tuesday."""
        self.assertEqual(due_date(date(2024, 3, 10), holidays={EASTER_MONDAY}), date(2024, 4, 2))

    def test_custom_loan_period(self):
        self.assertEqual(due_date(date(2024, 3, 1), days=7), date(2024, 3, 8))

    def test_days_overdue(self):
        cases = ((date(2024, 3, 20), 0), (date(2024, 3, 22), 0), (date(2024, 3, 25), 3))
        for returned, late in cases:
            with self.subTest(returned=returned):
                self.assertEqual(days_overdue(date(2024, 3, 22), returned), late)


class LendingTestCase(TestCase):
    """Two books with a copy each, and two members."""

    @classmethod
    def setUpTestData(cls):
        author = Author.objects.create(name="Donald Knuth")
        cls.taocp = Book.objects.create(
            title="The Art of Computer Programming", author=author, isbn="9780201896831"
        )
        cls.tex = Book.objects.create(title="The TeXbook", author=author, isbn="9780201134476")
        cls.copy = Copy.objects.create(book=cls.taocp, barcode="C-001")
        cls.other_copy = Copy.objects.create(book=cls.tex, barcode="C-002")
        cls.ada = Member.objects.create(name="Ada", email="ada@example.com", max_loans=1)
        cls.bob = Member.objects.create(name="Bob", email="bob@example.com")


class CheckoutTests(LendingTestCase):
    def test_checkout_creates_loan(self):
        loan = services.checkout(self.copy, self.bob, date(2024, 3, 1))
        self.assertEqual(loan.member, self.bob)
        self.assertEqual(loan.borrowed_on, date(2024, 3, 1))
        self.assertEqual(loan.due_on, date(2024, 3, 22))
        self.assertIsNone(loan.returned_on)

    def test_checkout_honours_holidays(self):
        loan = services.checkout(self.copy, self.bob, date(2024, 3, 10), holidays={EASTER_MONDAY})
        self.assertEqual(loan.due_on, date(2024, 4, 2))

    def test_copy_on_loan_cannot_be_lent_again(self):
        services.checkout(self.copy, self.bob, date(2024, 3, 1))
        with self.assertRaisesMessage(services.LendingError, "copy C-001 is already on loan"):
            services.checkout(self.copy, self.ada, date(2024, 3, 2))

    def test_withdrawn_copy_cannot_be_lent(self):
        self.copy.withdrawn = True
        self.copy.save()
        with self.assertRaisesMessage(services.LendingError, "copy C-001 is withdrawn"):
            services.checkout(self.copy, self.bob, date(2024, 3, 1))

    def test_member_loan_limit(self):
        """A member cannot hold more copies at once than their max_loans."""
        services.checkout(self.copy, self.ada, date(2024, 3, 1))
        with self.assertRaisesMessage(services.LendingError, "Ada already holds 1 copies"):
            services.checkout(self.other_copy, self.ada, date(2024, 3, 1))
        self.assertEqual(Loan.objects.filter(member=self.ada).count(), 1)

    def test_returned_copy_can_be_lent_again(self):
        loan = services.checkout(self.copy, self.bob, date(2024, 3, 1))
        services.return_copy(loan, date(2024, 3, 5))
        again = services.checkout(self.copy, self.ada, date(2024, 3, 6))
        self.assertEqual(again.member, self.ada)

    def test_returned_loans_do_not_count_towards_limit(self):
        """Only the copies a member still holds count towards their loan limit."""
        loan = services.checkout(self.copy, self.ada, date(2024, 3, 1))
        services.return_copy(loan, date(2024, 3, 5))
        services.checkout(self.other_copy, self.ada, date(2024, 3, 6))
        self.assertEqual(self.ada.loans.open().count(), 1)


class ReturnTests(LendingTestCase):
    def test_return_on_time_is_free(self):
        loan = services.checkout(self.copy, self.bob, date(2024, 3, 1))
        self.assertEqual(services.return_copy(loan, date(2024, 3, 22)), Decimal("0.00"))
        loan.refresh_from_db()
        self.assertEqual(loan.returned_on, date(2024, 3, 22))

    def test_late_return_is_fined(self):
        loan = services.checkout(self.copy, self.bob, date(2024, 3, 1))
        self.assertEqual(services.return_copy(loan, date(2024, 3, 26)), Decimal("1.00"))

    def test_cannot_return_twice(self):
        loan = services.checkout(self.copy, self.bob, date(2024, 3, 1))
        services.return_copy(loan, date(2024, 3, 5))
        with self.assertRaisesMessage(services.LendingError, "was already returned on 2024-03-05"):
            services.return_copy(loan, date(2024, 3, 6))


class RenewalTests(LendingTestCase):
    def test_renew_extends_from_today(self):
        loan = services.checkout(self.copy, self.bob, date(2024, 3, 1))
        self.assertEqual(services.renew(loan, date(2024, 3, 20)), date(2024, 4, 10))
        loan.refresh_from_db()
        self.assertEqual(loan.due_on, date(2024, 4, 10))
        self.assertEqual(loan.renewals, 1)

    def test_renew_on_due_date(self):
        loan = services.checkout(self.copy, self.bob, date(2024, 3, 1))
        self.assertEqual(services.renew(loan, date(2024, 3, 22)), date(2024, 4, 12))

    def test_renewed_due_date_skips_closed_days(self):
        loan = services.checkout(self.copy, self.bob, date(2024, 3, 1))
        due = services.renew(loan, date(2024, 3, 10), holidays={EASTER_MONDAY})
        self.assertEqual(due, date(2024, 4, 2))

    def test_renewal_limit(self):
        """A loan can be renewed twice, not a third time."""
        loan = services.checkout(self.copy, self.bob, date(2024, 3, 1))
        services.renew(loan, date(2024, 3, 15))
        services.renew(loan, date(2024, 4, 1))
        with self.assertRaisesMessage(services.LendingError, "was already renewed 2 times"):
            services.renew(loan, date(2024, 4, 15))

    def test_overdue_loan_cannot_be_renewed(self):
        loan = services.checkout(self.copy, self.bob, date(2024, 3, 1))
        with self.assertRaisesMessage(services.LendingError, "is overdue and cannot be renewed"):
            services.renew(loan, date(2024, 3, 23))
        loan.refresh_from_db()
        self.assertEqual((loan.due_on, loan.renewals), (date(2024, 3, 22), 0))

    def test_returned_loan_cannot_be_renewed(self):
        loan = services.checkout(self.copy, self.bob, date(2024, 3, 1))
        services.return_copy(loan, date(2024, 3, 5))
        with self.assertRaises(services.LendingError):
            services.renew(loan, date(2024, 3, 6))


class OverdueReportTests(LendingTestCase):
    def test_overdue_loans_longest_first(self):
        older = services.checkout(self.copy, self.bob, date(2024, 3, 1))
        newer = services.checkout(self.other_copy, self.ada, date(2024, 3, 4))
        self.assertEqual(overdue_report(date(2024, 4, 1)), [(older, 10), (newer, 7)])

    def test_returned_and_current_loans_are_not_overdue(self):
        returned = services.checkout(self.copy, self.bob, date(2024, 3, 1))
        services.return_copy(returned, date(2024, 3, 30))
        services.checkout(self.other_copy, self.ada, date(2024, 3, 15))
        self.assertEqual(overdue_report(date(2024, 4, 1)), [])

    def test_due_today_is_not_overdue(self):
        loan = services.checkout(self.copy, self.bob, date(2024, 3, 1))
        self.assertEqual(overdue_report(loan.due_on), [])
        self.assertIs(loan.is_overdue(loan.due_on), False)
