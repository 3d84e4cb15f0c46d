"""The delivery record's state machine, each step its own short transaction.

    queued ──claim──▶ sending ──accepted──▶ sent
      ▲                  │ │
      └──── failed ◀─────┘ └── lease expired (worker died) ──▶ failed (re-queued by the sweep)

`claim` is a conditional UPDATE: of any number of jobs for one delivery (enqueued twice, retried
by rq, re-queued by the sweep) exactly one moves it to "sending"; the others see it taken and stop.
The latest DeliveryAttempt's `started_at` is the lease: only the sweep takes a "sending" row back,
and only once that lease is older than `lease_seconds` (longer than rq's job timeout), so a live
worker never has its delivery taken from under it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, update
from sqlmodel import Session, select
from tenacity import retry, stop_after_attempt, wait_exponential

from services.clock import now as clock_now
from services.db import transaction
from services.delivery.config import get_config
from services.models import Delivery, DeliveryAttempt, DeliveryStatus, Order, OrderStatus

PERMANENT = "permanent: "  # last_error prefix: retrying cannot help, so the sweep leaves it to staff
DELIVERABLE = (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED)


@dataclass(frozen=True)
class Claim:
    """One attempt's right to send: the fencing token is the attempt number."""

    delivery_id: int
    attempt_id: int
    attempt_no: int
    order_id: int
    channel: str
    purpose: str
    recipient: str
    idempotency_key: str


def claim(delivery_id: int, message_id: str, *, now: datetime | None = None) -> Claim | None:
    """Take the delivery for one attempt, or None when it is sent, being sent or given up."""
    at = now or clock_now()
    with transaction() as session:
        row = session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id,
                   Delivery.status.in_([DeliveryStatus.QUEUED, DeliveryStatus.FAILED]),
                   ~Delivery.last_error.startswith(PERMANENT),
                   or_(Delivery.not_before.is_(None), Delivery.not_before <= at))
            .values(status=DeliveryStatus.SENDING, attempts=Delivery.attempts + 1, message_id=message_id)
            .returning(Delivery.attempts, Delivery.order_id, Delivery.channel, Delivery.purpose,
                       Delivery.recipient, Delivery.idempotency_key)
        ).first()
        if row is None:
            return None
        attempt = DeliveryAttempt(delivery_id=delivery_id, started_at=at)
        session.add(attempt)
        session.flush()
        return Claim(delivery_id, attempt.id, row.attempts, row.order_id, str(row.channel), row.purpose,
                     row.recipient, row.idempotency_key)


@retry(stop=stop_after_attempt(8), wait=wait_exponential(multiplier=0.25, max=8), reraise=True)
def mark_sent(claim: Claim, message_id: str, *, now: datetime | None = None) -> None:
    """Record the provider's acceptance; retried through a database blip because the message is out."""
    at = now or clock_now()
    with transaction() as session:
        session.execute(
            update(Delivery).where(Delivery.id == claim.delivery_id, Delivery.status != DeliveryStatus.SENT)
            .values(status=DeliveryStatus.SENT, sent_at=at, message_id=message_id, last_error="")
        )
        _finish_attempt(session, claim.attempt_id, "sent", "", at)


def mark_failed(claim: Claim, error: str, *, permanent: bool, now: datetime | None = None) -> None:
    """Record a failed attempt; fenced so a late failure never overwrites a newer attempt or a send."""
    at = now or clock_now()
    message = (PERMANENT if permanent else "") + error[:900]
    with transaction() as session:
        session.execute(
            update(Delivery)
            .where(Delivery.id == claim.delivery_id, Delivery.status == DeliveryStatus.SENDING,
                   Delivery.attempts == claim.attempt_no)
            .values(status=DeliveryStatus.FAILED, last_error=message)
        )
        _finish_attempt(session, claim.attempt_id, "permanent" if permanent else "failed", message, at)


def _finish_attempt(session: Session, attempt_id: int, outcome: str, error: str, at: datetime) -> None:
    session.execute(
        update(DeliveryAttempt).where(DeliveryAttempt.id == attempt_id, DeliveryAttempt.outcome == "started")
        .values(outcome=outcome, error=error, finished_at=at)
    )


def _last_attempt_at():
    """Per delivery: when its latest attempt started (the lease) and last finished."""
    return (
        select(DeliveryAttempt.delivery_id, func.max(DeliveryAttempt.started_at).label("started"),
               func.max(DeliveryAttempt.finished_at).label("finished"))
        .group_by(DeliveryAttempt.delivery_id).subquery()
    )


def release_stale(now: datetime | None = None) -> list[int]:
    """Turn "sending" rows whose lease expired (their worker died) into failed rows; returns their ids.

    They are due at once: the attempt never reached a verdict, so there is no back-off to honour.
    """
    at = now or clock_now()
    cutoff = at - timedelta(seconds=get_config().lease_seconds)
    last = _last_attempt_at()
    with transaction() as session:
        stale = session.execute(
            select(Delivery.id, Delivery.attempts).join(last, last.c.delivery_id == Delivery.id, isouter=True)
            .where(Delivery.status == DeliveryStatus.SENDING, or_(last.c.started.is_(None), last.c.started < cutoff))
        ).all()
        released = []
        for delivery_id, attempts in stale:
            taken = session.execute(
                update(Delivery)
                .where(Delivery.id == delivery_id, Delivery.status == DeliveryStatus.SENDING,
                       Delivery.attempts == attempts)
                .values(status=DeliveryStatus.FAILED, last_error="lease expired: the worker stopped mid-attempt")
            ).rowcount
            if not taken:
                continue
            released.append(delivery_id)
            session.execute(
                update(DeliveryAttempt).where(DeliveryAttempt.delivery_id == delivery_id,
                                              DeliveryAttempt.outcome == "started")
                .values(outcome="abandoned", finished_at=at, error="lease expired")
            )
        return released


def retry_interval(attempts: int) -> int:
    intervals = get_config().retry_intervals or [0]
    return intervals[min(max(attempts, 1) - 1, len(intervals) - 1)]


def due_for_retry(session: Session, now: datetime) -> list[int]:
    """Deliveries of deliverable orders that should be (re-)queued now."""
    config = get_config()
    last = _last_attempt_at()
    rows = session.execute(
        select(Delivery.id, Delivery.status, Delivery.attempts, Delivery.created_at, last.c.finished)
        .join(Order, Order.id == Delivery.order_id)
        .join(last, last.c.delivery_id == Delivery.id, isouter=True)
        .where(Order.status.in_(DELIVERABLE),
               or_(Delivery.not_before.is_(None), Delivery.not_before <= now),
               or_(and_(Delivery.status == DeliveryStatus.QUEUED,
                        Delivery.created_at < now - timedelta(seconds=config.queued_grace_seconds)),
                   and_(Delivery.status == DeliveryStatus.FAILED, ~Delivery.last_error.startswith(PERMANENT),
                        Delivery.attempts < config.max_attempts)))
        .order_by(Delivery.id)
    ).all()
    return [
        row.id for row in rows
        if row.status == DeliveryStatus.QUEUED or row.finished is None
        or row.finished <= now - timedelta(seconds=retry_interval(row.attempts))
    ]
