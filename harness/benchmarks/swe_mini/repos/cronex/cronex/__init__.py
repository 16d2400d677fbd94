"""cronex: parse, validate, schedule and describe cron expressions."""

from .describe import describe
from .fields import CronError
from .schedule import MACROS, CronExpression

__all__ = ["CronError", "CronExpression", "MACROS", "describe"]
__version__ = "0.4.0"
