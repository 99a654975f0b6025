"""Date and time helpers for expressions, in the workflow's time zone.

`now()` and `today()` read the run's clock (a test's fake clock, the worker's real one) and
answer in the zone named by the workflow's `settings.timezone` (an IANA name such as
`Europe/Madrid`; UTC when unset). Parsing, formatting and arithmetic use the same zone, so
`today()`, `'2026-01-31' | date` and `now() | format_date('%d %b %Y')` agree with each other.

The set is small on purpose (docs/design.md D16):

| helper | gives |
|---|---|
| `now()` | the current time, aware, in the workflow's zone |
| `today()` | today's date in the workflow's zone |
| `x | date`, `x | date('%d/%m/%Y')` | a date from ISO text (or the given format), a datetime or a date |
| `x | datetime`, `x | datetime('%d/%m/%Y %H:%M')` | aware; no offset: the workflow's zone; numbers: Unix seconds |
| `x | format_date('%d %b %Y')` | text; aware datetimes are shown in the workflow's zone |
| `x | add_days(n)`, `add_hours(n)`, `add_minutes(n)` | a date or datetime moved by n (n may be negative) |
| `days_between(a, b)` | whole calendar days from a to b |
| `seconds_between(a, b)` | seconds from a to b (a number) |

In JSON (a whole-field value, a step output) dates and datetimes are ISO 8601 text (D3).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .expression_limits import Unusable

DEFAULT_TIMEZONE = "UTC"
MAX_SHIFT_DAYS = 3_660_000  # ±10,000 years: past it every date is out of the calendar anyway
MAX_FORMAT_LENGTH = 200
# strftime directives we accept: a letter, optionally with the `-` (no padding) flag. Widths
# (`%1000000Y`) are refused: glibc pads to any width before we could measure the result.
_DIRECTIVE = re.compile(r"%(-?)(.)", re.DOTALL)
_DIRECTIVE_LETTERS = set("aAbBcdDeFgGHIjklmMnpPrRsStTuUVwWxXyYzZ%")


def zone_named(name: Any) -> tzinfo:
    """The zone for `settings.timezone`; raises ValueError with a sentence for a bad name."""
    if name is None or name == "" or name == DEFAULT_TIMEZONE:
        return UTC
    if not isinstance(name, str) or len(name) > 64:
        raise ValueError("Time zone must be a name such as Europe/Madrid or UTC")
    return _zone(name)


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"“{name}” is not a known time zone (use a name such as Europe/Madrid or UTC)") from None


class DateHelpers:
    """The helpers bound to one run's clock and zone."""

    def __init__(self, clock: Callable[[], datetime], zone: tzinfo) -> None:
        self.clock = clock
        self.zone = zone

    def now(self) -> datetime:
        current = self.clock()
        if current.tzinfo is None:
            current = current.replace(tzinfo=UTC)
        return current.astimezone(self.zone)

    def today(self) -> date:
        return self.now().date()

    def to_date(self, value: Any, fmt: str | None = None) -> date:
        if isinstance(value, datetime):
            return self._local(value).date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            if fmt is not None:
                return self._parse_with(value, fmt).date()
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                return self._local(self.to_datetime(value)).date()
        raise Unusable(f"{_show(value)} is not a date (write dates as text like 2026-01-31)")

    def to_datetime(self, value: Any, fmt: str | None = None) -> datetime:
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=self.zone)
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day, tzinfo=self.zone)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                return datetime.fromtimestamp(value, UTC).astimezone(self.zone)
            except (OverflowError, OSError, ValueError):
                raise Unusable(f"{_show(value)} is out of range for Unix seconds") from None
        if isinstance(value, str):
            parsed = self._parse_with(value, fmt) if fmt is not None else self._parse_iso(value)
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=self.zone)
        raise Unusable(f"{_show(value)} is not a date and time")

    def format_date(self, value: Any, fmt: str = "%Y-%m-%d") -> str:
        _check_format(fmt)
        moment = self._moment(value)
        if isinstance(moment, datetime):
            moment = self._local(moment)
        return moment.strftime(fmt)

    def days_between(self, start: Any, end: Any) -> int:
        return (self.to_date(end) - self.to_date(start)).days

    def seconds_between(self, start: Any, end: Any) -> int | float:
        # Subtracted in UTC: two times in one zone would otherwise differ by wall-clock time.
        later, earlier = self.to_datetime(end).astimezone(UTC), self.to_datetime(start).astimezone(UTC)
        seconds = (later - earlier).total_seconds()
        return int(seconds) if seconds.is_integer() else seconds

    def add_days(self, value: Any, amount: Any) -> date | datetime:
        return self._shift(value, amount, "days")

    def add_hours(self, value: Any, amount: Any) -> date | datetime:
        return self._shift(value, amount, "hours")

    def add_minutes(self, value: Any, amount: Any) -> date | datetime:
        return self._shift(value, amount, "minutes")

    def _shift(self, value: Any, amount: Any, unit: str) -> date | datetime:
        if isinstance(amount, bool) or not isinstance(amount, (int, float)):
            raise Unusable(f"add_{unit} needs a number, not {_show(amount)}")
        per_day = {"days": 1, "hours": 24, "minutes": 1440}[unit]
        if not abs(amount) <= MAX_SHIFT_DAYS * per_day:
            raise Unusable(f"add_{unit}({amount}) moves too far (at most {MAX_SHIFT_DAYS} days)")
        step = timedelta(**{unit: amount})
        moment = self._moment(value)
        try:
            if isinstance(moment, datetime):
                if unit == "days":  # same wall-clock time on the other day, across DST changes
                    return moment + step
                return (moment.astimezone(UTC) + step).astimezone(moment.tzinfo)
            if unit == "days" and step.seconds == 0 and step.microseconds == 0:
                return moment + step
            return self.to_datetime(moment) + step
        except OverflowError:
            raise Unusable("the date would leave the calendar (years 1 to 9999)") from None

    def _moment(self, value: Any) -> date | datetime:
        """A date stays a date; text holding only a date becomes one; anything else a datetime."""
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        return self.to_datetime(value)

    def _local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone) if moment.tzinfo else moment

    def _parse_iso(self, text: str) -> datetime:
        try:
            return datetime.fromisoformat(text.strip())
        except ValueError:
            raise Unusable(
                f"{_show(text)} is not a date and time: write it like 2026-01-31T09:30:00, "
                "or give its format, e.g. | datetime('%d/%m/%Y %H:%M')"
            ) from None

    def _parse_with(self, text: str, fmt: Any) -> datetime:
        if not isinstance(fmt, str):
            raise Unusable("a date format must be text such as '%d/%m/%Y'")
        _check_format(fmt)
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            raise Unusable(f"{_show(text)} does not match the format {fmt!r}") from None


def _check_format(fmt: Any) -> None:
    if not isinstance(fmt, str):
        raise Unusable("a date format must be text such as '%d %b %Y'")
    if len(fmt) > MAX_FORMAT_LENGTH:
        raise Unusable(f"a date format is at most {MAX_FORMAT_LENGTH} characters")
    for match in _DIRECTIVE.finditer(fmt):
        if match.group(2) not in _DIRECTIVE_LETTERS:
            raise Unusable(
                f"{match.group(0)!r} is not a date format code we support (use codes like %Y %m %d %H %M %b)"
            )


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"“{value[:40]}{'…' if len(value) > 40 else ''}”"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        shown = str(value) if not isinstance(value, int) or value.bit_length() < 64 else ""
        return shown if shown and len(shown) <= 24 else "A very large number"
    return type(value).__name__
