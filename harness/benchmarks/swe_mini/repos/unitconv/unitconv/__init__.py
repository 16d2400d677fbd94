"""unitconv: convert, parse and format lengths, masses, temperatures and durations."""

from .convert import convert, convert_delta, factor
from .format import format_compound, format_number, format_quantity
from .parse import ParseError, parse_convert, parse_quantity
from .quantity import Quantity
from .units import UNITS, Unit, UnitError, get_unit, units_of

__all__ = [
    "ParseError", "Quantity", "UNITS", "Unit", "UnitError", "convert", "convert_delta",
    "factor", "format_compound", "format_number", "format_quantity", "get_unit",
    "parse_convert", "parse_quantity", "units_of",
]
__version__ = "1.2.0"
