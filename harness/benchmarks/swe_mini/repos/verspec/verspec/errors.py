"""Exceptions raised by verspec."""


class VerspecError(ValueError):
    """Base class for all errors raised by verspec."""


class InvalidVersion(VerspecError):
    """A string or set of fields is not a valid semantic version."""


class InvalidConstraint(VerspecError):
    """A constraint expression could not be parsed."""
