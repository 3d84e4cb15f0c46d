"""Ticket delivery: PDF tickets, the confirmation email, SMS, on rq workers, exactly once.

The calls other rooms make:
  queue_order_delivery(session, order)  inside the mark-paid transaction: create the delivery rows
  queue_gift_card_delivery(...)          likewise, a paid gift card to its recipient (on its date)
  dispatch(ids)                          after commit: enqueue (rq) or run in-process (no REDIS_URL)
  resend_order(order_id, email=...)      back office / account / chatbot: send again, audit-logged
  sweep_undelivered()                    periodic: re-queue whatever a paid order still lacks
  download_url(order)                    the signed, expiring link that serves the order's PDF
"""

from services.delivery.links import LinkExpired, LinkInvalid, download_url, read_download_token
from services.delivery.queueing import (
    dispatch,
    queue_gift_card_delivery,
    queue_order_delivery,
    resend_order,
    sweep_undelivered,
)

__all__ = [
    "LinkExpired", "LinkInvalid", "dispatch", "download_url", "queue_gift_card_delivery", "queue_order_delivery", "read_download_token",
    "resend_order", "sweep_undelivered",
]
