"""Value types shared by the whole model: enumerations, intervals and periods."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from wsla.model.span import Span

WSLA_NS = "http://www.ibm.com/wsla"
EXT_NS = "urn:wsla-toolkit:ext:1"


class MetricType(enum.StrEnum):
    """Values of ``@type`` and ``@resultType`` (WSLA ``Type``)."""

    Q = "Q"
    TS = "TS"
    INTEGER = "integer"
    FLOAT = "float"
    DOUBLE = "double"
    LONG = "long"
    BYTE = "byte"
    BOOLEAN = "boolean"
    STRING = "string"
    TIME = "time"

    @property
    def is_series(self) -> bool:
        return self in (MetricType.Q, MetricType.TS)

    @property
    def is_numeric(self) -> bool:
        return self in _NUMERIC


_NUMERIC = frozenset(
    {
        MetricType.INTEGER,
        MetricType.FLOAT,
        MetricType.DOUBLE,
        MetricType.LONG,
        MetricType.BYTE,
        MetricType.BOOLEAN,
    }
)


class Role(enum.StrEnum):
    MEASUREMENT_SERVICE = "MeasurementService"
    MANAGEMENT_SERVICE = "ManagementService"
    CONDITION_EVALUATION_SERVICE = "ConditionEvaluationService"


class ExecutionModality(enum.StrEnum):
    ALWAYS = "Always"
    ON_ENTERING_CONDITION = "OnEnteringCondition"
    ON_ENTERING_AND_ON_LEAVING_CONDITION = "OnEnteringAndOnLeavingCondition"
    ON_EVERY_EVALUATION = "OnEveryEvaluation"


class NotificationType(enum.StrEnum):
    VIOLATION = "Violation"
    INFORMATION = "Information"


@dataclass(frozen=True, slots=True, kw_only=True)
class Interval:
    """``Interval``: the sum of its parts. Absent parts are ``None`` (kept apart from 0)."""

    years: int | None = None
    months: int | None = None
    days: int | None = None
    hours: int | None = None
    minutes: int | None = None
    seconds: int | None = None
    milliseconds: int | None = None
    span: Span | None = field(default=None, compare=False, repr=False)

    PARTS = ("years", "months", "days", "hours", "minutes", "seconds", "milliseconds")

    @property
    def is_calendar(self) -> bool:
        """True when the interval has years or months (steps on the calendar)."""
        return bool(self.years) or bool(self.months)

    def fixed_milliseconds(self) -> int:
        """Length of the day-to-millisecond part in milliseconds (years/months excluded)."""
        return (
            (self.days or 0) * 86_400_000
            + (self.hours or 0) * 3_600_000
            + (self.minutes or 0) * 60_000
            + (self.seconds or 0) * 1000
            + (self.milliseconds or 0)
        )

    def total_months(self) -> int:
        return (self.years or 0) * 12 + (self.months or 0)


@dataclass(frozen=True, slots=True, kw_only=True)
class TimePeriod:
    """A ``Period`` (or ``Validity``) with ``Start`` and ``End``."""

    start: datetime
    end: datetime
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarPeriod:
    """A ``Period`` in the calendar form; every field is kept as written.

    Syntax (checked by semantic rules, see ``docs/semantics.md``): ``condition_time`` is an
    ISO 8601 instant; masks are strings of ``0``/``1`` of length 12, 31, 7 (Monday first)
    and 24; ``time_zone`` is an IANA zone or a fixed offset; ``local_or_utc`` is
    ``Local`` or ``UTC``.
    """

    condition_time: str
    month_of_year_mask: str
    day_of_month_mask: str
    day_of_week_mask: str
    time_of_day_mask: str
    time_zone: str
    local_or_utc: str
    span: Span | None = field(default=None, compare=False, repr=False)


Period = TimePeriod | CalendarPeriod
