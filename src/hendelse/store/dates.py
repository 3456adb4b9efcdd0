"""The range of days an ISO 8601 / TIMEX3 value can mean, for date filters.

"2023-09" can be any day from 2023-09-01 to 2023-09-30; "2023-W37-WE" is
Saturday 16 to Sunday 17 September 2023. A value that names no day range the
store can use ("PRESENT_REF", "XXXX-09") gives ``(None, None)``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ].*)?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")

DateRange = tuple[dt.date | None, dt.date | None]


def date_range(value: str | None) -> DateRange:
    """First and last day that ``value`` can mean, or ``(None, None)``."""
    if not value:
        return None, None
    value = value.strip()
    try:
        if match := _WEEK.match(value):
            monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
            if match[3]:
                return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)
            return monday, monday + dt.timedelta(days=6)
        if match := _QUARTER.match(value):
            year, quarter = int(match[1]), int(match[2])
            return _months(year, 3 * quarter - 2, 3 * quarter)
        if match := _HALF.match(value):
            year, half = int(match[1]), int(match[2])
            return _months(year, 6 * half - 5, 6 * half)
        match = _DATE.match(value)
        if not match:
            return None, None
        year = int(match[1])
        if match[2] is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        month = int(match[2])
        if match[3] is None:
            return _months(year, month, month)
        day = dt.date(year, month, int(match[3]))
        return day, day
    except ValueError:  # a month 13, a day 31 in April, a week 54
        return None, None


def _months(year: int, first: int, last: int) -> DateRange:
    return dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])


def parse_day(value: str | dt.date | None, *, end: bool = False) -> dt.date | None:
    """A filter bound: a date, or a partial ISO date ("2023-09") taken at its first day
    (or its last with ``end``). Raises ``ValueError`` on anything else."""
    if value is None or isinstance(value, dt.date):
        return value
    first, last = date_range(value)
    if first is None or not _DATE.match(value.strip()):
        raise ValueError(f"{value!r} is not a date (use 2023, 2023-09 or 2023-09-12)")
    return last if end else first
