"""Authors, books, their physical copies, members and loans."""

from django.db import models
from django.db.models import Exists, OuterRef

from . import isbn


class Author(models.Model):
    """A person who wrote books."""

    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Book(models.Model):
    """A title in the catalogue; its ISBN is stored as a normalized ISBN-13."""

    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="books")
    isbn = models.CharField(max_length=17, unique=True, validators=[isbn.validate_isbn])
    published_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return f"{self.title} ({self.author})"

    def clean(self):
        """Store the ISBN as its ISBN-13 once it is known to be valid."""
        if isbn.is_valid(self.isbn):
            self.isbn = isbn.to_isbn13(self.isbn)


class CopyQuerySet(models.QuerySet):
    def on_loan(self):
        """Copies with a loan that is not returned yet."""
        open_loans = Loan.objects.filter(copy=OuterRef("pk"), returned_on__isnull=True)
        return self.filter(Exists(open_loans))

    def available(self):
        """Copies that can be lent now: not withdrawn and not on loan."""
        open_loans = Loan.objects.filter(copy=OuterRef("pk"), returned_on__isnull=True)
        return self.filter(~Exists(open_loans), withdrawn=False)


class Copy(models.Model):
    """One physical copy of a book, identified by its barcode."""

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="copies")
    barcode = models.CharField(max_length=20, unique=True)
    withdrawn = models.BooleanField(default=False)

    objects = CopyQuerySet.as_manager()

    class Meta:
        ordering = ["barcode"]
        verbose_name_plural = "copies"

    def __str__(self):
        return self.barcode


class Member(models.Model):
    """A library member, who may hold up to ``max_loans`` copies at once."""

    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    max_loans = models.PositiveSmallIntegerField(default=3)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class LoanQuerySet(models.QuerySet):
    def open(self):
        """Loans whose copy has not been returned."""
        return self.filter(returned_on__isnull=True)

    def overdue(self, today):
        """Open loans that were due before ``today``."""
        return self.open().filter(due_on__lt=today)


class Loan(models.Model):
    """A copy lent to a member, from ``borrowed_on`` until it is returned."""

    copy = models.ForeignKey(Copy, on_delete=models.CASCADE, related_name="loans")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="loans")
    borrowed_on = models.DateField()
    due_on = models.DateField()
    returned_on = models.DateField(null=True, blank=True)
    renewals = models.PositiveSmallIntegerField(default=0)

    objects = LoanQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"{self.copy} -> {self.member}"

    def is_overdue(self, today):
        """Whether the copy is still out after its due date."""
        return self.returned_on is None and today > self.due_on
