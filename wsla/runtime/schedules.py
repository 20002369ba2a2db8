"""Schedule ticks and period membership (reference §5 "Time and steps", "Calendar periods").

A schedule ticks at ``Start + k·Interval`` for ``k ≥ 1``; every tick is computed from
``Start`` (never from the previous tick), so month stepping clamps the day afresh each
time: Jan 31 → Feb 29 → Mar 31. Years and months step on the calendar in Start's own
UTC offset; the day-to-millisecond part is a fixed duration added after the months.
A calendar period (``ConditionTime`` + masks) ticks the same way from ``ConditionTime``
with no end, and a tick whose instant lies outside the masks is skipped.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache

from wsla.model.types import CalendarPeriod, Interval, Period, TimePeriod
from wsla.runtime.values import NS_PER_MS, datetime_to_ns, ns_to_datetime

NEVER = 1 << 80
"""'No further tick': later than any time a datetime can give (year 9999 is ~2.5e20 ns),
so that even the most distant record never meets it."""

_OFFSET = re.compile(r"^(?:UTC|GMT)?([+-])(\d{2}):?(\d{2})$")


class PeriodError(ValueError):
    """A calendar period or interval that cannot be interpreted (reported as a diagnostic)."""


def fixed_offset(moment: datetime) -> datetime:
    """``moment`` with its tzinfo replaced by its own fixed UTC offset (naive = UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    offset = moment.utcoffset()
    assert offset is not None
    return moment.astimezone(timezone(offset))


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` moved by ``months`` calendar months, the day clamped to the month's end."""
    total = moment.year * 12 + (moment.month - 1) + months
    year, month0 = divmod(total, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return moment.replace(year=year, month=month0 + 1, day=min(moment.day, last))


def parse_condition_time(text: str) -> datetime:
    """``ConditionTime`` as an aware datetime (no offset = UTC)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise PeriodError(f"ConditionTime {text!r} is not an ISO 8601 date-time") from exc
    return fixed_offset(moment)


@cache
def parse_zone(text: str) -> tzinfo:
    """An IANA zone name or a fixed offset such as ``-05:00`` / ``UTC``."""
    name = text.strip()
    if name in ("UTC", "Z", "GMT", "utc"):
        return UTC
    match = _OFFSET.match(name)
    if match:
        sign = 1 if match.group(1) == "+" else -1
        delta = timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))
        return timezone(sign * delta)
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: a name too long
        raise PeriodError(
            f"ConditionTimeZone {text!r} is neither an IANA zone nor an offset"
        ) from exc


_MASKS = (
    ("ConditionMonthOfYearMask", "month_of_year_mask", 12),
    ("ConditionDayOfMonthMask", "day_of_month_mask", 31),
    ("ConditionDayOfWeekMask", "day_of_week_mask", 7),
    ("ConditionTimeOfDayMask", "time_of_day_mask", 24),
)


@dataclass(frozen=True, slots=True)
class CalendarMask:
    """A compiled calendar period: membership of instants."""

    start_ns: int
    start: datetime
    zone: tzinfo
    months: str
    days: str
    weekdays: str
    hours: str

    def contains(self, ns: int) -> bool:
        if ns < self.start_ns:
            return False
        try:
            local = ns_to_datetime(ns).astimezone(self.zone)
        except (OverflowError, ValueError):  # outside datetime's years
            return False
        return (
            self.months[local.month - 1] == "1"
            and self.days[local.day - 1] == "1"
            and self.weekdays[local.weekday()] == "1"
            and self.hours[local.hour] == "1"
        )


def compile_calendar(period: CalendarPeriod) -> CalendarMask:
    for element, attr, length in _MASKS:
        mask = getattr(period, attr).strip()
        if len(mask) != length or set(mask) - {"0", "1"}:
            raise PeriodError(f"{element} {mask!r} must be {length} characters 0/1")
    mode = period.local_or_utc.strip()
    if mode not in ("Local", "UTC"):
        raise PeriodError(f"ConditionLocalOrUtcTime {mode!r} must be Local or UTC")
    zone = parse_zone(period.time_zone) if mode == "Local" else UTC
    start = parse_condition_time(period.condition_time)
    return CalendarMask(
        start_ns=datetime_to_ns(start),
        start=start,
        zone=zone,
        months=period.month_of_year_mask.strip(),
        days=period.day_of_month_mask.strip(),
        weekdays=period.day_of_week_mask.strip(),
        hours=period.time_of_day_mask.strip(),
    )


@dataclass(frozen=True, slots=True)
class PeriodTest:
    """Membership in a period: closed ``[start, end]`` or a calendar mask."""

    start_ns: int
    end_ns: int
    mask: CalendarMask | None = None

    def contains(self, ns: int) -> bool:
        if self.mask is not None:
            return self.mask.contains(ns)
        return self.start_ns <= ns <= self.end_ns


def compile_period(period: Period) -> PeriodTest:
    if isinstance(period, TimePeriod):
        return PeriodTest(
            datetime_to_ns(fixed_offset(period.start)), datetime_to_ns(fixed_offset(period.end))
        )
    mask = compile_calendar(period)
    return PeriodTest(mask.start_ns, NEVER, mask)


class Ticker:
    """The ticks of one schedule.

    ``tick(k)`` is the k-th raw tick (``NEVER`` after ``End``); ``accepts(ns)`` says whether
    a raw tick counts (calendar masks). Both are pure; the engine keeps the cursor.
    """

    __slots__ = ("end_ns", "fixed_ns", "mask", "months", "start", "start_ns")

    def __init__(self, period: Period, interval: Interval) -> None:
        self.months = interval.total_months()
        self.fixed_ns = interval.fixed_milliseconds() * NS_PER_MS
        if self.months < 0 or self.fixed_ns < 0 or (self.months == 0 and self.fixed_ns <= 0):
            raise PeriodError("a schedule's Interval must be positive")
        if isinstance(period, TimePeriod):
            self.start = fixed_offset(period.start)
            self.end_ns = datetime_to_ns(fixed_offset(period.end))
            self.mask: CalendarMask | None = None
        else:
            self.mask = compile_calendar(period)
            self.start = self.mask.start
            self.end_ns = NEVER
        self.start_ns = datetime_to_ns(self.start)

    def raw(self, k: int) -> int:
        """``Start + k·Interval`` in ns, whether or not past End."""
        if self.months:
            try:
                moment = add_months(self.start, k * self.months)
            except (ValueError, OverflowError):  # beyond year 9999
                return NEVER
            return datetime_to_ns(moment) + k * self.fixed_ns
        return self.start_ns + k * self.fixed_ns

    def tick(self, k: int) -> int:
        ns = self.raw(k)
        return ns if ns <= self.end_ns else NEVER

    def accepts(self, ns: int) -> bool:
        return self.mask is None or self.mask.contains(ns)

    def first_after(self, after: int) -> int:
        """The smallest ``k ≥ 1`` whose raw tick is ``> after``."""
        if after < self.start_ns:
            return 1
        if self.months:
            approx = self.months * 31 * 86_400 * 10**9 + self.fixed_ns
            k = max(1, (after - self.start_ns) // approx)
        else:
            k = max(1, (after - self.start_ns) // self.fixed_ns)
        while k > 1 and self.raw(k - 1) > after:
            k -= 1
        while self.raw(k) <= after:
            k += 1
        return k

    def ticks_between(self, after: int, until: int) -> list[int]:
        """Every counted tick in ``(after, until]`` (for tests and reports)."""
        out: list[int] = []
        k = self.first_after(after)
        while True:
            ns = self.tick(k)
            if ns > until:
                return out
            if self.accepts(ns):
                out.append(ns)
            k += 1

    def previous(self, k: int) -> int:
        """The instant that opens the interval closed by tick ``k`` (``Start`` for k = 1)."""
        return self.raw(k - 1)
