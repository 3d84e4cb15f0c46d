"""Named rate limits, shared by every app worker through Redis (the `limits` library).

Every public input and every credential check passes `hit(name, *keys)` before doing any real work,
so a refused attempt costs one Redis round trip and nothing else (no argon2, no SQL). Limits live in
`LIMITS` by name; an operator overrides any of them with the RATE_LIMITS setting
(`{"staff_sign_in_ip": "20/minute"}`). With REDIS_URL unset (the embedded run) the counters live in
the process, which is exact there because that run is a single process.

`limits` is used rather than hand-written counters: its moving-window strategy on Redis is atomic
(a Lua script), so concurrent workers can never jointly exceed a limit.
"""

from __future__ import annotations

import math
import time
from functools import lru_cache

from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from services.errors import BarbyError
from services.settings import get_settings

# name -> limit in the `limits` notation ("5/minute", "100/hour"; several joined by ";").
LIMITS: dict[str, str] = {
    # Staff sign-in: per address (a spray over many accounts) and per account + address (guessing one
    # password); a victim's account cannot be locked from an attacker's address.
    "staff_sign_in_ip": "30/10 minutes",
    "staff_sign_in_account": "5/15 minutes",
    # Customers.
    "customer_sign_in_ip": "30/10 minutes",
    "customer_sign_in_email": "5/15 minutes",
    "password_reset_email": "3/hour",
    "order_key_check_ip": "60/minute",
    "ticket_link_ip": "60/minute",
    "waitlist_join_ip": "10/10 minutes",
    "gift_card_check_ip": "10/10 minutes",
    "support_chat_ip": "30/minute",
    # Holds at a drop: attempts per client per show.
    "hold_attempt_client": "20/minute",
    # Provider callbacks, before anything is stored: generous, a provider retries in bursts.
    "payment_callback_ip": "300/minute",
    # Any other public form or JSON route.
    "public_form_ip": "30/minute",
}


class RateLimited(BarbyError):
    """Too many attempts: the same answer whatever the attempt was, with when to try again."""

    code = "rate_limited"

    def __init__(self, retry_after: int):
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            f"Too many attempts. Please try again in {minutes} minute{'s' if minutes != 1 else ''}.",
            f"יותר מדי ניסיונות. נא לנסות שוב בעוד {minutes} דקות." if minutes != 1 else "יותר מדי ניסיונות. נא לנסות שוב בעוד דקה.",
        )
        self.retry_after = retry_after


@lru_cache(maxsize=4)
def _limiter(storage_url: str) -> MovingWindowRateLimiter:
    storage: Storage = storage_from_string(storage_url)
    return MovingWindowRateLimiter(storage)


def _current() -> tuple[MovingWindowRateLimiter, str]:
    settings = get_settings()
    url = settings.redis_url or "memory://"
    # The queue name namespaces the counters, so parallel test runs (and staging beside production on one
    # Redis) never share them.
    return _limiter(url), f"barby-rl:{settings.rq_queue}"


def _items(name: str) -> list[RateLimitItem]:
    spec = get_settings().rate_limits.get(name) or LIMITS[name]
    return [parse(part.strip()) for part in spec.split(";") if part.strip()]


def hit(name: str, *keys: str) -> None:
    """Count one attempt against limit `name` for `keys`; raise RateLimited when it is over.

    Every window of the limit must allow it; a refused attempt is not counted, so a client that waits
    is served again as soon as the window moves.
    """
    limiter, prefix = _current()
    identifiers = (prefix, *(str(key) for key in keys))
    items = _items(name)
    for item in items:
        if not limiter.test(item, *identifiers):
            raise RateLimited(_retry_after(limiter, item, identifiers))
    for item in items:
        if not limiter.hit(item, *identifiers):
            raise RateLimited(_retry_after(limiter, item, identifiers))


def allowed(name: str, *keys: str) -> bool:
    """Whether one more attempt would be allowed now (counts nothing)."""
    limiter, prefix = _current()
    return all(limiter.test(item, prefix, *(str(k) for k in keys)) for item in _items(name))


def clear(name: str, *keys: str) -> None:
    """Forget the attempts of `keys` (a successful sign-in clears its failures)."""
    limiter, prefix = _current()
    for item in _items(name):
        limiter.clear(item, prefix, *(str(k) for k in keys))


def _retry_after(limiter: MovingWindowRateLimiter, item: RateLimitItem, identifiers: tuple[str, ...]) -> int:
    reset_at, _remaining = limiter.get_window_stats(item, *identifiers)
    return max(1, int(reset_at - time.time()))
