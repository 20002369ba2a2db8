"""Child element names of the calendar period and the interval, with their fields.

Shared by the reader and the writer (a module of its own, so that reading XML does not
load the writer).
"""

from __future__ import annotations

__all__ = ["CALENDAR_ELEMENTS", "INTERVAL_ELEMENTS"]

CALENDAR_ELEMENTS: tuple[tuple[str, str], ...] = (
    ("condition_time", "ConditionTime"),
    ("month_of_year_mask", "ConditionMonthOfYearMask"),
    ("day_of_month_mask", "ConditionDayOfMonthMask"),
    ("day_of_week_mask", "ConditionDayOfWeekMask"),
    ("time_of_day_mask", "ConditionTimeOfDayMask"),
    ("time_zone", "ConditionTimeZone"),
    ("local_or_utc", "ConditionLocalOrUtcTime"),
)
INTERVAL_ELEMENTS: tuple[tuple[str, str], ...] = (
    ("years", "Years"),
    ("months", "Months"),
    ("days", "Days"),
    ("hours", "Hours"),
    ("minutes", "Minutes"),
    ("seconds", "Seconds"),
    ("milliseconds", "MilliSeconds"),
)
