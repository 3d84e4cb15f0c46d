"""Signed, expiring download links: the email's "download your tickets" and the SMS body.

A link is a JWT (HS256 with the platform's jwt_secret) naming the order, so the app can serve the
PDF without a login and nobody can forge or walk order ids. It is not stored: a resend mints a new
one, and voided tickets drop out because the PDF is rendered from the live tickets on each request.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import jwt

from services.clock import now as clock_now
from services.models import Order
from services.settings import get_settings

_PURPOSE = "tickets"
_ALGORITHM = "HS256"


class LinkInvalid(Exception):
    """Tampered, truncated or signed with another key: refuse (403)."""


class LinkExpired(Exception):
    """Genuine but past its expiry: tell the customer to ask for a new one (410)."""


def download_token(order: Order, *, now: datetime | None = None) -> str:
    settings = get_settings()
    issued = now or clock_now()
    claims = {"pur": _PURPOSE, "oid": order.id, "num": order.number, "iat": issued,
              "exp": issued + timedelta(days=settings.download_link_days)}
    return jwt.encode(claims, settings.jwt_secret, algorithm=_ALGORITHM)


def download_url(order: Order, *, now: datetime | None = None) -> str:
    """The absolute URL the customer opens; served by barby_app.api.delivery."""
    base = get_settings().backend_base_url.rstrip("/")
    return f"{base}/api/tickets/{download_token(order, now=now)}"


def link_expiry(order: Order, *, now: datetime | None = None) -> datetime:
    return (now or clock_now()) + timedelta(days=get_settings().download_link_days)


def read_download_token(token: str) -> int:
    """The order id a token grants, or LinkInvalid / LinkExpired."""
    try:
        claims = jwt.decode(token, get_settings().jwt_secret, algorithms=[_ALGORITHM],
                            options={"require": ["exp", "oid", "pur"]})
    except jwt.ExpiredSignatureError as error:
        raise LinkExpired(str(error)) from error
    except jwt.PyJWTError as error:
        raise LinkInvalid(str(error)) from error
    if claims.get("pur") != _PURPOSE or not isinstance(claims.get("oid"), int):
        raise LinkInvalid("not a ticket download token")
    return claims["oid"]
