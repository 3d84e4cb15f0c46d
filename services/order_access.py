"""Who may see an order's return page: whoever holds the key our payment return URL carries.

Order numbers are sequential (B-100042) and so guessable; the key is an HMAC of the number with the
app's secret, so the page that shows an email address and a ticket download (and may release tickets)
answers only the browser the provider sent back.
"""

from __future__ import annotations

import hashlib
import hmac

from services.settings import get_settings


def order_key(number: str) -> str:
    secret = get_settings().jwt_secret.encode()
    return hmac.new(secret, f"order-return:{number}".encode(), hashlib.sha256).hexdigest()[:32]


def valid_order_key(number: str, key: str | None) -> bool:
    return bool(key) and hmac.compare_digest(order_key(number), key)


def return_url(number: str, result: str) -> str:
    """Where the payment provider sends the customer back: the order page, with its key."""
    base = get_settings().public_base_url.rstrip("/")
    return f"{base}/order/{number}?key={order_key(number)}&result={result}"
