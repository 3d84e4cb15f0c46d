"""SMS delivery through a gateway adapter chosen by settings.sms_provider.

"log" (the development default) appends the message to var/sms.log and the `barby.delivery` log
instead of sending; "http" posts JSON to the configured gateway with httpx. The delivery's
idempotency key travels as the `Idempotency-Key` header, so a gateway that honours it drops a repeat.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Protocol

import httpx

from services.clock import now
from services.delivery.config import get_config
from services.delivery.content import OrderView
from services.delivery.mail import PermanentFailure, TemporaryFailure
from services.delivery.texts import text
from services.settings import get_settings

log = logging.getLogger("barby.delivery")


class SmsGateway(Protocol):
    def send(self, to: str, body: str, *, reference: str) -> str:
        """Send and return the provider's message id; raise Temporary/PermanentFailure."""


class LogGateway:
    """Development: nothing leaves the machine; the message is readable in var/sms.log."""

    def send(self, to: str, body: str, *, reference: str) -> str:
        path = get_config().log_dir / "sms.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        entry = {"at": now().isoformat(), "to": to, "reference": reference, "body": body}
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        log.info("SMS (not sent, sms_provider=log) to %s: %s", to, body)
        return f"log:{reference}"


class HttpGateway:
    """A JSON-over-HTTPS SMS provider: POST {to, text, sender, reference} with a bearer token."""

    def __init__(self, url: str, token: str, *, client: Callable[[], httpx.Client] | None = None) -> None:
        self.url, self.token = url, token
        self.client = client or (lambda: httpx.Client(timeout=get_config().smtp_timeout))

    def send(self, to: str, body: str, *, reference: str) -> str:
        headers = {"Authorization": f"Bearer {self.token}", "Idempotency-Key": reference}
        payload = {"to": to, "text": body, "sender": "Barby", "reference": reference}
        try:
            with self.client() as client:
                response = client.post(self.url, json=payload, headers=headers)
        except httpx.HTTPError as error:
            raise TemporaryFailure(f"sms gateway: {type(error).__name__}: {error}") from error
        if response.status_code == 429 or response.status_code >= 500:
            raise TemporaryFailure(f"sms gateway {response.status_code}: {response.text[:200]}")
        if response.status_code >= 400:
            raise PermanentFailure(f"sms gateway {response.status_code}: {response.text[:200]}")
        return str(_message_id(response) or reference)


def _message_id(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("id") or body.get("message_id") if isinstance(body, dict) else None


def gateway() -> SmsGateway:
    settings = get_settings()
    if settings.sms_provider == "http":
        if not settings.sms_gateway_url:
            raise PermanentFailure("sms_provider=http but SMS_GATEWAY_URL is not set")
        return HttpGateway(settings.sms_gateway_url, settings.sms_gateway_token)
    return LogGateway()


def sms_body(view: OrderView, url: str) -> str:
    """Short: one message segment of Hebrew is 70 characters, so only the essentials and the link."""
    return text(view.language, "sms", number=view.number, show=view.show_title, date=view.show_date, url=url)
