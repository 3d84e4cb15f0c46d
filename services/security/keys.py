"""One key per purpose, derived from the master secret (JWT_SECRET).

Staff tokens, order keys, ticket links and provider notify tokens each sign with their own key, so a
value minted for one purpose is worthless for another, even when the signed text happens to match.
HMAC-SHA256(master, "barby:" + purpose) is the derivation (a one-step HKDF-Expand with a fixed label).
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from services.settings import get_settings


@lru_cache(maxsize=64)
def _derived(master: str, purpose: str) -> bytes:
    return hmac.new(master.encode(), f"barby:{purpose}".encode(), hashlib.sha256).digest()


def purpose_key(purpose: str) -> bytes:
    """The key for one purpose ("staff-session", "order-return", "ticket-link", "tranzila-notify", ...)."""
    return _derived(get_settings().jwt_secret, purpose)


def sign(purpose: str, message: str, *, length: int = 32) -> str:
    """A hex HMAC of `message` under the purpose's key, cut to `length` characters."""
    return hmac.new(purpose_key(purpose), message.encode(), hashlib.sha256).hexdigest()[:length]


def verify(purpose: str, message: str, signature: str | None, *, length: int = 32) -> bool:
    """Whether `signature` is `sign(purpose, message)`; compared in constant time."""
    return bool(signature) and hmac.compare_digest(sign(purpose, message, length=length), signature or "")
