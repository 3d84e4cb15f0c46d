"""The return page and the periodic checks: ask the provider, never the redirect, so no payment is lost."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import func, select

from services import audit
from services.db import read_session, transaction
from services.giftcards import redemption
from services.models import (
    Hold,
    HoldStatus,
    Order,
    OrderKind,
    OrderStatus,
    Payment,
    PaymentStatus,
    Ticket,
    TicketStatus,
    utcnow,
)
from services.orders.common import (
    OPEN_PAYMENT_STATES,
    get_order,
    get_order_by_number,
    lock_order,
)
from services.orders.settlement import Settlement, mark_paid, record_decline
from services.payments import (
    ProviderError,
    TxnState,
    TxnStatus,
    get_provider,
)
from services.settings import get_settings
from services.ticketing import release_hold

log = logging.getLogger("barby.orders")


@dataclass(frozen=True)
class OrderView:
    """What the success / failure page may show: the order's real state, no card data."""

    number: str
    status: str
    quantity: int
    amount_due: int
    currency: str
    language: str
    tickets: int
    paid: bool
    attention: bool


def current_order(order_number: str) -> Order:
    """The order as it really is; when still pending, the provider is asked first (never the redirect).

    The return page polls this every 1.5 s per waiting customer, so the order row is read once per call
    (again only when the provider's answer settled it).
    """
    order = get_order_by_number(order_number)
    if order.status == OrderStatus.PENDING_PAYMENT:
        try:
            settled = _recheck(order, source="return")
        except ProviderError:
            log.warning("status check for %s failed; showing it as pending", order.number)
            settled = None
        if settled is not None:
            order = get_order_by_number(order_number)
    return order


def shows_as_paid(order: Order) -> bool:
    """What the customer is told is paid: tickets are issued (or staff are sorting out why they could not be)."""
    return order.status in (OrderStatus.PAID, OrderStatus.NEEDS_ATTENTION)


def order_status(order_number: str) -> OrderView:
    """The order's real state for the return page's JSON (see `current_order`), with its valid tickets."""
    order = current_order(order_number)
    with read_session() as session:
        tickets = session.exec(select(func.count()).select_from(Ticket).where(
            Ticket.order_id == order.id, Ticket.status == TicketStatus.VALID)).one()
    return OrderView(
        number=order.number, status=order.status.value, quantity=order.quantity, amount_due=order.amount_due,
        currency=order.currency, language=order.language, tickets=int(tickets),
        paid=shows_as_paid(order), attention=bool(order.attention_reason),
    )


def recheck_with_provider(order_id: int, *, source: str) -> Settlement | None:
    """Ask the provider about each open page request of a pending order; an approval marks it paid."""
    return _recheck(get_order(order_id), source=source)


def _recheck(order: Order, *, source: str) -> Settlement | None:
    with read_session() as session:
        payments = session.exec(select(Payment).where(
            Payment.order_id == order.id, Payment.status.in_(OPEN_PAYMENT_STATES)).order_by(Payment.id.desc())).all()
    for payment in payments:
        status = get_provider(payment.provider).query_status(
            page_request_uid=payment.page_request_uid, order_number=order.number)
        if not _status_fits(status, order.number, payment.amount, payment.currency):
            continue
        if status.state == TxnState.APPROVED:
            return mark_paid(order.id, status, provider=payment.provider, source=source)
        if status.state == TxnState.DECLINED and payment.status != PaymentStatus.DECLINED:
            record_decline(order.id, status, provider=payment.provider, source=source)
    return None  # only an approval settles an order; a decline leaves it to the buyer or the hold's expiry


def _status_fits(status: TxnStatus, order_number: str, amount: int, currency: str) -> bool:
    """The provider's answer is about this order, for this amount and currency (else it is ignored)."""
    if status.state == TxnState.PENDING:
        return False
    if status.order_number and status.order_number != order_number:
        return False
    if status.state == TxnState.APPROVED:
        return bool(status.transaction_id) and status.amount == amount and (status.currency or currency) == currency
    return True


def reconcile_pending(older_than: timedelta = timedelta(minutes=5), *, now: datetime | None = None) -> int:
    """Re-check orders still pending after a while; expire the abandoned ones. Returns orders changed.

    A lost callback never loses a paid order: the provider is asked directly. An order is expired
    (and its hold released) only when the provider was reachable, said nothing final, and the hold
    has run out.
    """
    now = now or utcnow()
    with read_session() as session:
        pending = session.exec(select(Order.id).where(
            Order.status == OrderStatus.PENDING_PAYMENT, Order.created_at <= now - older_than)).all()
    changed = 0
    for order_id in pending:
        try:
            settled = recheck_with_provider(order_id, source="reconcile")
        except ProviderError:
            log.warning("reconcile: provider unreachable for order %s; will retry", order_id)
            continue
        if settled is not None or _expire_if_abandoned(order_id, now):
            changed += 1
    return changed + recover_late_payments(now=now)


LATE_PAYMENT_WINDOW = timedelta(hours=48)
LATE_PAYMENT_RECHECK = timedelta(hours=1)
ENDED_UNPAID = (OrderStatus.FAILED, OrderStatus.EXPIRED, OrderStatus.CANCELLED)
UNSETTLED_PAYMENTS = (PaymentStatus.CREATED, PaymentStatus.DECLINED, PaymentStatus.ABANDONED)


def recover_late_payments(*, now: datetime | None = None) -> int:
    """Find approvals on orders that already ended unpaid, whose callback was lost. Returns orders paid.

    A customer can still pay on an open payment page after the order expired, failed or was cancelled;
    if that callback is lost, only asking the provider finds the money. Each unsettled page of an order
    that ended in the last 48 hours is asked at most once an hour; an approval goes through mark_paid,
    which issues the tickets or flags the order for staff, so the payment is never lost.
    """
    now = now or utcnow()
    with read_session() as session:
        due = session.exec(select(Payment).join(Order, Order.id == Payment.order_id).where(
            Order.status.in_(ENDED_UNPAID), Order.updated_at >= now - LATE_PAYMENT_WINDOW,
            Payment.status.in_(UNSETTLED_PAYMENTS), Payment.updated_at <= now - LATE_PAYMENT_RECHECK,
        )).all()
        numbers = {p.order_id: session.get(Order, p.order_id).number for p in due}
    paid = 0
    for payment in due:
        try:
            status = get_provider(payment.provider).query_status(
                page_request_uid=payment.page_request_uid, order_number=numbers[payment.order_id])
        except ProviderError:
            continue
        if status.state == TxnState.APPROVED and _status_fits(status, numbers[payment.order_id], payment.amount,
                                                              payment.currency):
            mark_paid(payment.order_id, status, provider=payment.provider, source="late_payment")
            paid += 1
        else:
            _touch(payment.id, now)
    return paid


def _touch(payment_id: int, now: datetime) -> None:
    """Remember when this page was last asked about, so the next check waits an hour."""
    with transaction() as session:
        session.get(Payment, payment_id).updated_at = now


def _still_open(order: Order, hold: Hold | None, now: datetime) -> bool:
    """A pending order the buyer may still pay: its hold is live (tickets) or its window is (gift cards)."""
    if hold is not None:
        return hold.status == HoldStatus.ACTIVE and hold.expires_at > now
    return order.kind == OrderKind.GIFT_CARD and order.created_at > now - timedelta(minutes=get_settings().hold_minutes)


def _expire_if_abandoned(order_id: int, now: datetime) -> bool:
    with transaction() as session:
        order = lock_order(session, order_id)
        hold = session.get(Hold, order.hold_id) if order.hold_id else None
        if order.status != OrderStatus.PENDING_PAYMENT or _still_open(order, hold, now):
            return False
        order.status, order.updated_at = OrderStatus.EXPIRED, now
        redemption.release(session, order.id, now=now, reason="order expired")
        for payment in session.exec(select(Payment).where(
                Payment.order_id == order.id, Payment.status == PaymentStatus.CREATED)).all():
            payment.status, payment.updated_at = PaymentStatus.ABANDONED, now
        hold_token = hold.token if hold is not None else ""
        audit.record(session, actor_type="system", action="order.expired", entity_type="order", entity_id=order.id)
    if hold_token:
        release_hold(hold_token, reason="abandoned")
    return True
