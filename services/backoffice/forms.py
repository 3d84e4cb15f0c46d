"""Parsing what staff type into forms: dates in venue time, shekels to agorot, counts. Each refusal
names the field and says what is wrong, so bad input changes nothing and is easy to correct."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from services.clock import VENUE_TZ, local
from services.errors import ValidationFailed

_MONEY = re.compile(r"^\s*₪?\s*(\d{1,6})(?:\.(\d{1,2}))?\s*$")


def text(value: str | None, field: str, label: str, *, required: bool = True, max_length: int = 200) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise ValidationFailed(field, f"{label} is required.", f"{label}: שדה חובה.")
    if len(cleaned) > max_length:
        raise ValidationFailed(field, f"{label} is too long (at most {max_length} characters).")
    return cleaned


def whole_number(value: str | int | None, field: str, label: str, *, minimum: int = 0, optional: bool = False) -> int | None:
    raw = str(value if value is not None else "").strip()
    if not raw and optional:
        return None
    if not raw.isdigit() or int(raw) < minimum:
        raise ValidationFailed(field, f"{label} must be a whole number of at least {minimum}.")
    return int(raw)


def agorot(value: str | int | None, field: str, label: str = "Price") -> int:
    """'149' or '99.90' shekels (a leading ₪ is fine) as integer agorot."""
    match = _MONEY.match(str(value if value is not None else ""))
    if not match:
        raise ValidationFailed(field, f"{label} must be an amount in shekels, e.g. 149 or 99.90.")
    shekels, cents = match.group(1), (match.group(2) or "0").ljust(2, "0")
    return int(shekels) * 100 + int(cents)


def shekels(amount: int) -> str:
    """Agorot as the form shows them back: '149' or '99.90'."""
    whole, rest = divmod(amount, 100)
    return f"{whole}" if rest == 0 else f"{whole}.{rest:02d}"


def venue_moment(value: str | None, field: str, label: str, *, optional: bool = False) -> datetime | None:
    """'2026-12-03T21:00' (or with a space) read as Tel Aviv wall-clock time, returned in UTC."""
    raw = (value or "").strip().replace(" ", "T")
    if not raw and optional:
        return None
    try:
        naive = datetime.fromisoformat(raw)
    except ValueError:
        naive = None
    if naive is None or naive.tzinfo is not None or "T" not in raw:
        raise ValidationFailed(field, f"{label} must be a date and time, e.g. 2026-12-03T21:00.")
    return naive.replace(tzinfo=VENUE_TZ).astimezone(UTC)


def venue_input(moment: datetime | None) -> str:
    """A stored UTC moment as the value of a datetime-local input in venue time."""
    return "" if moment is None else f"{local(moment):%Y-%m-%dT%H:%M}"


def flag(value: str | bool | None) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in {"1", "true", "yes", "on"}
