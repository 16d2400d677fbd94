"""Catalogue search and reports."""

import re

from django.db.models import Q

from . import isbn
from .models import Book, Loan

_WORD = re.compile(r"[\w']+")


def query_terms(text):
    """The lower-cased words of a search text, punctuation dropped, duplicates removed."""
    terms = []
    for word in _WORD.findall(text.lower()):
        if word not in terms:
            terms.append(word)
    return terms


def search_books(text, books=None):
    """Books matching ``text``: by ISBN when it is one, else each word in title or author."""
    books = Book.objects.all() if books is None else books
    if isbn.is_valid(text):
        return books.filter(isbn=isbn.to_isbn13(text))
    terms = query_terms(text)
    if not terms:
        return books.none()
    for term in terms:
        books = books.filter(Q(title__icontains=term) | Q(author__name__icontains=term))
    return books.select_related("author").order_by("title", "pk")


def overdue_report(today):
    """``(loan, days late)`` for every overdue loan, the longest overdue first."""
    loans = Loan.objects.overdue(today).select_related("copy__book", "member")
    return [(loan, (today - loan.due_on).days) for loan in loans.order_by("due_on", "member__name")]
