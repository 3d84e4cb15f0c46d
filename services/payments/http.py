"""One careful way to talk to a provider: timeouts, bounded retries on network errors, no secrets logged.

Retries use tenacity with exponential back-off, but only where repeating cannot charge or refund
twice: reads (status queries) retry on any transport error; writes (page creation, refunds) retry
only when the connection was never established, because a request that reached the provider and
timed out on the way back may already have taken effect.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_exponential

from services.payments.base import ProviderError, ProviderOutcomeUnknown

log = logging.getLogger("barby.payments")

TIMEOUT = httpx.Timeout(15.0, connect=5.0)
ATTEMPTS = 3
_BACKOFF = wait_exponential(multiplier=0.2, max=2.0)

# Connection never made: safe to repeat anything.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def post_json(url: str, payload: dict[str, Any], headers: dict[str, str], *, idempotent: bool) -> dict[str, Any]:
    """POST JSON and return the decoded answer; ProviderError when the provider cannot be used."""
    retry_on = httpx.TransportError if idempotent else _NOT_SENT
    sender = retry(
        retry=retry_if_exception_type(retry_on), stop=stop_after_attempt(ATTEMPTS), wait=_BACKOFF, reraise=True
    )(_send)
    try:
        response = sender(url, payload, headers)
    except _NOT_SENT as exc:
        log.warning("payment provider unreachable: POST %s (%s)", _path(url), type(exc).__name__)
        raise ProviderError("The payment provider is unreachable.", "ספק התשלומים אינו זמין כרגע.") from exc
    except httpx.TransportError as exc:
        log.warning("payment provider did not answer: POST %s (%s)", _path(url), type(exc).__name__)
        raise ProviderOutcomeUnknown("The payment provider did not answer; the request may have gone through.",
                                     "ספק התשלומים לא ענה; ייתכן שהבקשה בוצעה.") from exc
    log.info("payment provider POST %s -> %s", _path(url), response.status_code)
    if response.status_code >= 500:
        raise ProviderOutcomeUnknown(f"The payment provider failed ({response.status_code}).")
    try:
        data = response.json()
    except ValueError as exc:
        raise ProviderError(f"The payment provider answered {response.status_code} without JSON.") from exc
    return data if isinstance(data, dict) else {"data": data}


def _send(url: str, payload: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
    with httpx.Client(timeout=TIMEOUT) as client:
        return client.post(url, json=payload, headers=headers)


def _path(url: str) -> str:
    """The URL without its query string: what is safe to write in a log line."""
    return httpx.URL(url).copy_with(query=None).path
