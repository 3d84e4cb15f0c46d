"""Creating delivery records and getting them to a worker: the calls the rest of the platform makes.

The record is written inside the caller's transaction (the order turns paid and its deliveries
exist together, or neither); jobs are dispatched after commit. Losing a dispatch (Redis down, the
process dies) loses nothing: the periodic sweep re-queues every unsent delivery of a paid order.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from services.audit import record
from services.clock import now as clock_now
from services.customers import normalize_email
from services.db import read_session, transaction
from services.delivery import records
from services.delivery.config import get_config
from services.errors import NotAllowed, NotFound
from services.models import Delivery, DeliveryChannel, DeliveryMethod, GiftCard, Order
from services.settings import get_settings

log = logging.getLogger("barby.delivery")
JOB = "services.delivery.jobs.run_delivery"


def channels_for(order: Order) -> list[tuple[DeliveryChannel, str]]:
    """Email whenever there is an address (the proof of purchase); SMS too when the customer chose it."""
    channels = [(DeliveryChannel.EMAIL, order.email)] if order.email else []
    if order.delivery_method == DeliveryMethod.SMS and order.phone:
        channels.append((DeliveryChannel.SMS, order.phone))
    return channels


def queue_order_delivery(session: Session, order: Order, *, purpose: str = "confirmation",
                         recipient: str | None = None) -> list[int]:
    """Create the order's delivery rows in the caller's transaction; calling twice creates nothing new.

    The idempotency key `{order}:{purpose}:{channel}` is unique in the table, so a duplicated payment
    callback, even racing in another transaction, ends with one row per channel. `recipient`
    overrides the email address (a corrected one).
    """
    session.flush()
    ids = []
    for channel, address in channels_for(order):
        to = recipient if recipient and channel == DeliveryChannel.EMAIL else address
        ids.append(_insert_once(session, order, channel, purpose, to, f"{order.id}:{purpose}:{channel}"))
    return ids


def queue_gift_card_delivery(session: Session, order: Order) -> list[int]:
    """The cards of a paid gift-card order, to their recipients (email, and SMS when a phone was given).

    A card scheduled for a date is held back until then (`not_before`): the sweep, or rq's scheduler,
    sends it when it is due.
    """
    ids = []
    cards = session.exec(select(GiftCard).where(GiftCard.purchase_order_id == order.id).order_by(GiftCard.id)).all()
    for card in cards:
        targets = [(DeliveryChannel.EMAIL, card.recipient_email), (DeliveryChannel.SMS, card.recipient_phone)]
        for channel, address in targets:
            if address:
                ids.append(_insert_once(session, order, channel, "gift_card", address,
                                        f"{order.id}:gift_card:{card.id}:{channel}", not_before=card.send_at))
    return ids


def queue_gift_card_resend(session: Session, order: Order, card: GiftCard) -> int:
    """One more message with the card to its recipient (a corrected address, or "it did not arrive")."""
    channel, to = ((DeliveryChannel.EMAIL, card.recipient_email) if card.recipient_email
                   else (DeliveryChannel.SMS, card.recipient_phone))
    return _insert_once(session, order, channel, "gift_card", to,
                        f"{order.id}:gift_card:{card.id}:{channel}:resend:{secrets.token_hex(6)}")


def _insert_once(session: Session, order: Order, channel: DeliveryChannel, purpose: str, recipient: str,
                 key: str, *, not_before: datetime | None = None) -> int:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = dict(order_id=order.id, channel=channel, purpose=purpose, recipient=recipient, idempotency_key=key,
                  status="queued", attempts=0, last_error="", message_id="", created_at=clock_now(),
                  not_before=not_before)
    session.execute(insert(Delivery).values(**values).on_conflict_do_nothing(index_elements=["idempotency_key"]))
    return session.exec(select(Delivery.id).where(Delivery.idempotency_key == key)).one()


def dispatch(delivery_ids: list[int]) -> None:
    """After commit: one rq job per delivery, or the in-process runner when there is no REDIS_URL.

    Never raises for an unreachable Redis: the rows are committed, and the sweep will queue them.
    """
    if not delivery_ids:
        return
    due, later = _split_by_schedule(delivery_ids)
    if get_settings().redis_url:
        _enqueue(due)
        for delivery_id, at in later:
            _enqueue([delivery_id], at=at)
        return
    from services.delivery.inprocess import runner

    for delivery_id in due:  # the embedded run's periodic sweep sends the scheduled ones when they are due
        runner().submit(delivery_id)


def _split_by_schedule(delivery_ids: list[int]) -> tuple[list[int], list[tuple[int, datetime]]]:
    """Deliveries to send now, and those held for a later moment with that moment."""
    now = clock_now()
    with read_session() as session:
        rows = session.exec(select(Delivery.id, Delivery.not_before).where(Delivery.id.in_(delivery_ids))).all()
    later = {row.id: row.not_before for row in rows if row.not_before is not None and row.not_before > now}
    return [i for i in delivery_ids if i not in later], list(later.items())


def _enqueue(delivery_ids: list[int], *, at: datetime | None = None) -> None:
    from rq import Retry

    config = get_config()
    try:
        queue = rq_queue()
        for delivery_id in delivery_ids:
            options = dict(retry=Retry(max=len(config.retry_intervals), interval=config.retry_intervals),
                           job_timeout=config.job_timeout, result_ttl=86400, failure_ttl=7 * 86400,
                           description=f"deliver #{delivery_id}")
            if at is None:
                queue.enqueue(JOB, delivery_id, **options)
            else:  # rq's scheduler (`rq worker --with-scheduler`) moves it to the queue at that moment
                queue.enqueue_at(at, JOB, delivery_id, **options)
    except Exception as error:
        log.error("could not enqueue deliveries %s (the sweep will): %s", delivery_ids, error)


def rq_queue():
    settings = get_settings()
    return _queue(settings.redis_url, settings.rq_queue)


@lru_cache(maxsize=8)
def _queue(url: str, name: str):
    from redis import Redis
    from rq import Queue

    return Queue(name, connection=Redis.from_url(url, socket_connect_timeout=5, socket_timeout=10))


def resend_order(order_id: int, *, email: str | None = None, actor_type: str = "staff", actor_id: str = "") -> int:
    """Send the order's tickets again (optionally to a corrected address); audit-logged.

    Each resend is a new logical message with its own key, so it is sent exactly once too. A
    corrected address also replaces the order's contact email, so later messages go there.
    """
    with transaction() as session:
        order = session.get(Order, order_id, with_for_update=True)
        if order is None:
            raise NotFound(f"Order {order_id} does not exist.", f"הזמנה {order_id} לא קיימת.")
        if order.status not in records.DELIVERABLE:
            raise NotAllowed(f"Order {order.number} is {order.status}: there are no tickets to send.",
                             f"הזמנה {order.number} במצב {order.status}: אין כרטיסים לשליחה.")
        previous = order.email
        channel, to = _resend_target(order, email)
        if channel == DeliveryChannel.EMAIL and to != order.email:
            order.email = to
            session.add(order)
        delivery_id = _insert_once(session, order, channel, "resend", to,
                                   f"{order.id}:resend:{channel}:{secrets.token_hex(6)}")
        record(session, actor_type=actor_type, actor_id=actor_id, action="order.tickets_resent", entity_type="order",
               entity_id=order.id, delivery_id=delivery_id, channel=str(channel), recipient=to,
               previous_email=previous if to != previous else None)
    dispatch([delivery_id])
    return delivery_id


def _resend_target(order: Order, email: str | None) -> tuple[DeliveryChannel, str]:
    if email:
        return DeliveryChannel.EMAIL, normalize_email(email)
    if order.delivery_method == DeliveryMethod.SMS and order.phone:
        return DeliveryChannel.SMS, order.phone
    if not order.email:
        raise NotAllowed("The order has no email address: give one to resend to.", "להזמנה אין כתובת דוא״ל: יש להזין כתובת.")
    return DeliveryChannel.EMAIL, order.email


def sweep_undelivered(now: datetime | None = None) -> int:
    """Periodic: take back deliveries from dead workers, then re-queue every due unsent delivery.

    Also creates the confirmation of a recently paid order that has none (a bug elsewhere must not
    mean a customer without tickets). Returns how many deliveries were dispatched.
    """
    at = now or clock_now()
    released = records.release_stale(at)
    backfilled = _backfill_confirmations(at)
    with read_session() as session:
        due = sorted(set(records.due_for_retry(session, at)) | set(released) | set(backfilled))
    dispatch(due)
    if due:
        log.info("sweep re-queued %d deliveries: %s", len(due), due)
    return len(due)


def _backfill_confirmations(at: datetime) -> list[int]:
    since = at - timedelta(hours=get_config().backfill_hours)
    has_confirmation = select(Delivery.id).where(Delivery.order_id == Order.id, Delivery.purpose == "confirmation")
    with transaction() as session:
        orders = session.exec(
            select(Order).where(Order.status.in_(records.DELIVERABLE), Order.paid_at >= since,
                                ~has_confirmation.exists())
        ).all()
        return [delivery_id for order in orders for delivery_id in queue_order_delivery(session, order)]
