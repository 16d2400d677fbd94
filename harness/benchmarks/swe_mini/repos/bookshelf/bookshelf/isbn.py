"""ISBN-10 and ISBN-13: normalization, check digits, validation and conversion."""

from django.core.exceptions import ValidationError


class InvalidISBN(ValueError):
    """Raised when a text is not a valid ISBN."""


def normalize(text):
    """Drop hyphens and spaces and upper-case an ``x``: ``0-306-40615-2`` -> ``0306406152``."""
    return text.replace("-", "").replace(" ", "").upper()


def isbn10_check_digit(first9):
    """The check character (``0``-``9`` or ``X``) of the first nine digits of an ISBN-10."""
    total = sum((10 - i) * int(d) for i, d in enumerate(first9))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def isbn13_check_digit(first12):
    """The check digit of the first twelve digits of an ISBN-13 (weights 1 and 3)."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def is_valid(text):
    """Whether ``text`` is a well-formed ISBN-10 or ISBN-13 with a correct check digit."""
    code = normalize(text)
    if len(code) == 10 and code[:9].isdigit():
        return code[9] == isbn10_check_digit(code[:9])
    if len(code) == 13 and code.isdigit():
        return code[12] == isbn13_check_digit(code[:12])
    return False


def to_isbn13(text):
    """The normalized ISBN-13 of an ISBN-10 or ISBN-13."""
    code = normalize(text)
    if not is_valid(code):
        raise InvalidISBN(f"{text!r} is not a valid ISBN")
    if len(code) == 13:
        return code
    body = "978" + code[:9]
    return body + isbn13_check_digit(body)


def to_isbn10(text):
    """The ISBN-10 of an ISBN; only ``978`` ISBN-13s have one."""
    code = to_isbn13(text)
    if not code.startswith("978"):
        raise InvalidISBN(f"{text!r} has no ISBN-10 form")
    return code[3:12] + isbn10_check_digit(code[3:12])


def validate_isbn(value):
    """Django field validator: reject anything that is not a valid ISBN."""
    if not is_valid(value):
        raise ValidationError(
            "%(value)s is not a valid ISBN.", code="invalid_isbn", params={"value": value}
        )
