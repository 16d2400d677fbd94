"""Late-return fines, in Decimal currency units."""

from decimal import Decimal

from .dates import days_overdue

DAILY_FINE = Decimal("0.25")
GRACE_DAYS = 2
MAX_FINE = Decimal("10.00")
CENT = Decimal("0.01")


def fine_for(due_on, returned_on, daily=DAILY_FINE, grace=GRACE_DAYS, cap=MAX_FINE):
    """The fine for returning on ``returned_on`` what was due on ``due_on``.

    Returns within ``grace`` days of the due date are free; later ones pay ``daily`` for
    every late day, grace days included, up to ``cap``.
    """
    late = days_overdue(due_on, returned_on)
    if late <= grace:
        return Decimal("0.00")
    return min(late * daily, cap).quantize(CENT)


def total_fines(loans, today):
    """The sum of the fines of ``loans``: returned ones as returned, open ones as of ``today``."""
    total = Decimal("0.00")
    for loan in loans:
        total += fine_for(loan.due_on, loan.returned_on or today)
    return total.quantize(CENT)
