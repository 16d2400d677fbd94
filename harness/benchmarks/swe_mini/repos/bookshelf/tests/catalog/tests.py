from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import SimpleTestCase, TestCase

from bookshelf import isbn
from bookshelf.models import Author, Book, Copy, Loan, Member
from bookshelf.search import query_terms, search_books


class IsbnTests(SimpleTestCase):
    def test_normalize(self):
        self.assertEqual(isbn.normalize("0-306-40615-2"), "0306406152")
        self.assertEqual(isbn.normalize(" 978 0 306 40615 7 "), "9780306406157")
        self.assertEqual(isbn.normalize("0-8044-2957-x"), "080442957X")

    def test_valid_isbn10(self):
        for text in ("0-306-40615-2", "0306406152", "0-13-110362-8", "0-8044-2957-X"):
            with self.subTest(text=text):
                self.assertIs(isbn.is_valid(text), True)

    def test_valid_isbn13(self):
        valid = ("978-0-306-40615-7", "9780131103627", "978-0-201-63361-0", "979-10-90636-07-1")
        for text in valid:
            with self.subTest(text=text):
                self.assertIs(isbn.is_valid(text), True)

    def test_lowercase_x_check_digit(self):
        """A lower-case x is accepted as the ISBN-10 check character."""
        self.assertIs(isbn.is_valid("0-8044-2957-x"), True)

    def test_wrong_check_digit(self):
        for text in ("0-306-40615-3", "978-0-306-40615-8", "0-13-110362-X"):
            with self.subTest(text=text):
                self.assertIs(isbn.is_valid(text), False)

    def test_malformed(self):
        for text in ("", "12345", "030640615", "X306406152", "97803064061", "978030640615X"):
            with self.subTest(text=text):
                self.assertIs(isbn.is_valid(text), False)

    def test_to_isbn13(self):
        self.assertEqual(isbn.to_isbn13("0-306-40615-2"), "9780306406157")
        self.assertEqual(isbn.to_isbn13("0-8044-2957-X"), "9780804429573")
        self.assertEqual(isbn.to_isbn13("979-10-90636-07-1"), "9791090636071")

    def test_to_isbn13_check_digit_zero(self):
        self.assertEqual(isbn.to_isbn13("0-201-63361-2"), "9780201633610")
        self.assertEqual(isbn.to_isbn13("3-16-148410-X"), "9783161484100")

    def test_to_isbn13_rejects_invalid(self):
        with self.assertRaisesMessage(isbn.InvalidISBN, "'0-306-40615-3' is not a valid ISBN"):
            isbn.to_isbn13("0-306-40615-3")

    def test_to_isbn10(self):
        self.assertEqual(isbn.to_isbn10("978-0-13-110362-7"), "0131103628")
        self.assertEqual(isbn.to_isbn10("9780804429573"), "080442957X")

    def test_979_has_no_isbn10(self):
        """ISBN-13s in the 979 range have no ISBN-10 form."""
        with self.assertRaises(isbn.InvalidISBN):
            isbn.to_isbn10("979-10-90636-07-1")

    def test_validator(self):
        isbn.validate_isbn("0-306-40615-2")
        with self.assertRaises(ValidationError) as ctx:
            isbn.validate_isbn("0-306-40615-0")
        self.assertEqual(ctx.exception.code, "invalid_isbn")


class QueryTermsTests(SimpleTestCase):
    def test_words_are_lowercased_and_deduplicated(self):
        self.assertEqual(query_terms("The C  programming, the C!"), ["the", "c", "programming"])

    def test_apostrophes_stay_in_words(self):
        self.assertEqual(query_terms("Ender's Game"), ["ender's", "game"])

    def test_punctuation_only(self):
        self.assertEqual(query_terms(" -- ; "), [])


class BookModelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.author = Author.objects.create(name="Brian Kernighan")

    def test_clean_stores_isbn13(self):
        """Book.full_clean() stores the ISBN as a normalized ISBN-13."""
        book = Book(title="The C Programming Language", author=self.author, isbn="0-13-110362-8")
        book.full_clean()
        self.assertEqual(book.isbn, "9780131103627")

    def test_clean_accepts_check_digit_zero(self):
        """An ISBN-13 whose check digit is 0 is valid."""
        book = Book(title="Design Patterns", author=self.author, isbn="978-0-201-63361-0")
        book.full_clean()
        self.assertEqual(book.isbn, "9780201633610")

    def test_clean_rejects_invalid_isbn(self):
        book = Book(title="Bad", author=self.author, isbn="0-13-110362-9")
        with self.assertRaises(ValidationError) as ctx:
            book.full_clean()
        self.assertIn("isbn", ctx.exception.message_dict)

    def test_isbn_is_unique(self):
        Book.objects.create(title="First", author=self.author, isbn="9780131103627")
        with self.assertRaises(IntegrityError):
            Book.objects.create(title="Second", author=self.author, isbn="9780131103627")

    def test_str(self):
        book = Book(title="The C Programming Language", author=self.author, isbn="9780131103627")
        self.assertEqual(str(book), "The C Programming Language (Brian Kernighan)")


class SearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        knuth = Author.objects.create(name="Donald Knuth")
        kernighan = Author.objects.create(name="Brian Kernighan")
        card = Author.objects.create(name="Orson Scott Card")
        cls.taocp = Book.objects.create(
            title="The Art of Computer Programming", author=knuth, isbn="9780201896831"
        )
        cls.tex = Book.objects.create(title="The TeXbook", author=knuth, isbn="9780201134476")
        cls.kr = Book.objects.create(
            title="The C Programming Language", author=kernighan, isbn="9780131103627"
        )
        cls.ender = Book.objects.create(title="Ender's Game", author=card, isbn="9780812550702")

    def test_single_word_matches_title(self):
        self.assertQuerySetEqual(search_books("programming"), [self.taocp, self.kr])

    def test_word_matches_author(self):
        self.assertQuerySetEqual(search_books("KNUTH"), [self.taocp, self.tex])

    def test_every_word_must_match(self):
        """All words of a query must match, each in the title or the author's name."""
        self.assertQuerySetEqual(search_books("knuth programming"), [self.taocp])
        self.assertQuerySetEqual(search_books("knuth cooking"), [])

    def test_isbn10_query_finds_book(self):
        self.assertQuerySetEqual(search_books("0-13-110362-8"), [self.kr])

    def test_isbn13_query_finds_book(self):
        self.assertQuerySetEqual(search_books("978 0 13 110362 7"), [self.kr])

    def test_empty_query_finds_nothing(self):
        self.assertQuerySetEqual(search_books("  "), [])

    def test_search_within_queryset(self):
        books = Book.objects.exclude(pk=self.taocp.pk)
        self.assertQuerySetEqual(search_books("programming", books), [self.kr])


class CopyAvailabilityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        author = Author.objects.create(name="Donald Knuth")
        book = Book.objects.create(title="The TeXbook", author=author, isbn="9780201134476")
        member = Member.objects.create(name="Ada", email="ada@example.com")
        cls.fresh = Copy.objects.create(book=book, barcode="C-001")
        cls.lent = Copy.objects.create(book=book, barcode="C-002")
        cls.returned = Copy.objects.create(book=book, barcode="C-003")
        cls.withdrawn = Copy.objects.create(book=book, barcode="C-004", withdrawn=True)
        day = date(2024, 3, 1)
        Loan.objects.create(copy=cls.lent, member=member, borrowed_on=day, due_on=day)
        Loan.objects.create(
            copy=cls.returned, member=member, borrowed_on=day, due_on=day, returned_on=day
        )

    def test_available(self):
        self.assertQuerySetEqual(Copy.objects.available(), [self.fresh, self.returned])

    def test_on_loan(self):
        self.assertQuerySetEqual(Copy.objects.on_loan(), [self.lent])
