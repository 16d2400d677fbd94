"""symcalc: physical quantities with exact rational values and unit conversion, built on SymPy."""

from symcalc.format import format_quantity, format_unit
from symcalc.quantity import Quantity, convert, parse_quantity
from symcalc.units import DimensionError, UnitError, define, dimension, parse_unit, to_base

__all__ = [
    "DimensionError",
    "Quantity",
    "UnitError",
    "convert",
    "define",
    "dimension",
    "format_quantity",
    "format_unit",
    "parse_quantity",
    "parse_unit",
    "to_base",
]
