"""Lending operations: check out, return and renew copies."""

from django.db import transaction

from .dates import LOAN_DAYS, due_date
from .fines import fine_for
from .models import Loan

MAX_RENEWALS = 2


class LendingError(Exception):
    """Raised when a lending operation is not allowed."""


@transaction.atomic
def checkout(copy, member, today, holidays=()):
    """Lend ``copy`` to ``member`` on ``today``; returns the new Loan."""
    if copy.withdrawn:
        raise LendingError(f"copy {copy} is withdrawn")
    if copy.loans.open().exists():
        raise LendingError(f"copy {copy} is already on loan")
    if member.loans.open().count() >= member.max_loans:
        raise LendingError(f"{member} already holds {member.max_loans} copies")
    return Loan.objects.create(
        copy=copy,
        member=member,
        borrowed_on=today,
        due_on=due_date(today, LOAN_DAYS, holidays),
    )


def return_copy(loan, today):
    """Record the return of ``loan`` on ``today``; returns the fine owed."""
    if loan.returned_on is not None:
        raise LendingError(f"{loan} was already returned on {loan.returned_on}")
    loan.returned_on = today
    loan.save(update_fields=["returned_on"])
    return fine_for(loan.due_on, today)


def renew(loan, today, holidays=()):
    """Extend an open, not overdue ``loan`` by a full loan period from ``today``.

    A loan can be renewed at most MAX_RENEWALS times; returns the new due date.
    """
    if loan.returned_on is not None:
        raise LendingError(f"{loan} was already returned")
    if loan.is_overdue(today):
        raise LendingError(f"{loan} is overdue and cannot be renewed")
    if loan.renewals >= MAX_RENEWALS:
        raise LendingError(f"{loan} was already renewed {MAX_RENEWALS} times")
    loan.due_on = due_date(today, LOAN_DAYS, holidays)
    loan.renewals += 1
    loan.save(update_fields=["due_on", "renewals"])
    return loan.due_on
