"""The delivery job: what an rq worker (or the in-process runner) executes for one Delivery row.

One run is one attempt: claim the row, render and send, record the outcome. A temporary failure
raises DeliveryRetry so rq's Retry (or the in-process runner) tries again after a back-off; a run
that finds the row already sent or taken does nothing, which is what makes duplicate jobs harmless.
"""

from __future__ import annotations

import logging

from services.db import read_session
from services.delivery import records
from services.delivery.content import OrderView, load_order_view, render_order_pdf
from services.delivery.giftcard_mail import build_card_email, build_receipt_email, card_sms
from services.delivery.links import download_url, link_expiry
from services.delivery.mail import LinkInfo, PermanentFailure, build_email, message_id_for, send_email
from services.delivery.sms import gateway, sms_body
from services.models import Delivery, DeliveryChannel, Order, OrderKind

log = logging.getLogger("barby.delivery")


class DeliveryRetry(Exception):
    """This attempt failed for a reason that may pass (SMTP down, gateway 5xx): try again later."""


class AcceptedNotRecorded(Exception):
    """The provider accepted the message but the database would not record it.

    The row is left "sending" (never marked failed) so nothing retries it before the lease expires,
    and the error is logged with the Message-ID for staff.
    """


def run_delivery(delivery_id: int) -> str:
    """Entry point of the rq job: 'sent', 'skipped' (done or taken elsewhere) or 'failed' (permanently)."""
    claim = _claim(delivery_id)
    if claim is None:
        return "skipped"
    try:
        _send(claim)
    except AcceptedNotRecorded:
        raise
    except PermanentFailure as error:
        records.mark_failed(claim, str(error), permanent=True)
        log.error("delivery %s failed permanently: %s", delivery_id, error)
        return "failed"
    except Exception as error:
        records.mark_failed(claim, f"{type(error).__name__}: {error}", permanent=False)
        log.warning("delivery %s attempt %s failed, will retry: %s", delivery_id, claim.attempt_no, error)
        raise DeliveryRetry(f"delivery {delivery_id}: {error}") from error
    return "sent"


def _claim(delivery_id: int) -> records.Claim | None:
    with read_session() as session:
        row = session.get(Delivery, delivery_id)
        key = row.idempotency_key if row else ""
    return records.claim(delivery_id, message_id_for(key)) if row else None


def _send(claim: records.Claim) -> None:
    with read_session() as session:
        view = load_order_view(session, claim.order_id)
        order = session.get(Order, claim.order_id)
    _check_deliverable(view)
    if view.kind == OrderKind.GIFT_CARD:
        _send_gift_card(claim, view)
        return
    url, expires = download_url(order), link_expiry(order)
    if claim.channel == DeliveryChannel.SMS:
        provider_id = gateway().send(claim.recipient, sms_body(view, url), reference=claim.idempotency_key)
        _record_sent(claim, provider_id)
        return
    message_id = message_id_for(claim.idempotency_key)
    message = build_email(view, link=LinkInfo(url, expires), pdf=render_order_pdf(view), message_id=message_id)
    send_email(message, claim.recipient, on_accepted=lambda: _record_sent(claim, message_id))


def _send_gift_card(claim: records.Claim, view: OrderView) -> None:
    """The card itself to its recipient (purpose "gift_card"); anything else to the buyer is the receipt."""
    message_id = message_id_for(claim.idempotency_key)
    if claim.purpose == "gift_card":
        card = next((c for c in view.gift_cards if c.recipient_email == claim.recipient
                     or c.recipient_phone == claim.recipient), None)
        if card is None:
            raise PermanentFailure(f"order {view.number} has no gift card for this recipient")
        if claim.channel == DeliveryChannel.SMS:
            _record_sent(claim, gateway().send(claim.recipient, card_sms(view, card), reference=claim.idempotency_key))
            return
        message = build_card_email(view, card, message_id=message_id)
    elif claim.channel == DeliveryChannel.SMS:
        _record_sent(claim, "skipped-sms-receipt")  # the buyer's receipt goes by email only
        return
    else:
        message = build_receipt_email(view, message_id=message_id)
    send_email(message, claim.recipient, on_accepted=lambda: _record_sent(claim, message_id))


def _check_deliverable(view: OrderView) -> None:
    if view.status not in records.DELIVERABLE:
        raise PermanentFailure(f"order {view.number} is {view.status}: nothing to deliver")
    if view.kind == OrderKind.TICKETS and not view.tickets:
        raise PermanentFailure(f"order {view.number} has no valid tickets")


def _record_sent(claim: records.Claim, message_id: str) -> None:
    try:
        records.mark_sent(claim, message_id)
    except Exception as error:
        log.critical("delivery %s was ACCEPTED as %s but could not be recorded: %s",
                     claim.delivery_id, message_id, error)
        raise AcceptedNotRecorded(str(error)) from error
