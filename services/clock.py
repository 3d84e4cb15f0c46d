"""Time as the venue sees it: stored in UTC, shown in Asia/Jerusalem."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from services.models.base import utcnow

VENUE_TZ = ZoneInfo("Asia/Jerusalem")

_HE_WEEKDAYS = ["יום שני", "יום שלישי", "יום רביעי", "יום חמישי", "יום שישי", "שבת", "יום ראשון"]
_EN_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def now() -> datetime:
    return utcnow()


def local(moment: datetime) -> datetime:
    """The moment in venue time."""
    return moment.astimezone(VENUE_TZ)


def venue_datetime(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock time in Tel Aviv, as an aware datetime (convert with .astimezone(UTC) to store)."""
    return datetime(year, month, day, hour, minute, tzinfo=VENUE_TZ)


def format_date(moment: datetime, language: str) -> str:
    """E.g. 'יום חמישי 03.12.2026' or 'Thursday 03.12.2026'."""
    value = local(moment)
    names = _HE_WEEKDAYS if language == "he" else _EN_WEEKDAYS
    return f"{names[value.weekday()]} {value:%d.%m.%Y}"


def format_time(moment: datetime) -> str:
    return f"{local(moment):%H:%M}"


def format_money(agorot: int) -> str:
    """₪120 or ₪99.90: whole shekels print without agorot; a debit prints as -₪120."""
    if agorot < 0:
        return "-" + format_money(-agorot)
    shekels, rest = divmod(agorot, 100)
    return f"₪{shekels:,}" if rest == 0 else f"₪{shekels:,}.{rest:02d}"
