"""Settling a payment: the one transaction that turns a confirmed approval into tickets, or records a decline."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from services import audit
from services.db import read_session, transaction
from services.delivery import dispatch, queue_gift_card_delivery, queue_order_delivery
from services.errors import NotAllowed, NotFound
from services.giftcards import issue_for_order, redemption
from services.models import (
    Hold,
    Order,
    OrderKind,
    OrderStatus,
    Payment,
    PaymentStatus,
    utcnow,
)
from services.orders.common import (
    ATTENTION_GIFT_CARD_SPENT,
    ATTENTION_NO_CAPACITY,
    ATTENTION_SECOND_PAYMENT,
    PAID_STATES,
    has_paid_payment,
    lock_order,
    payment_for_txn,
)
from services.payments import (
    TxnState,
    TxnStatus,
)
from services.ticketing import convert_hold
from services.tickets import issue_tickets

log = logging.getLogger("barby.orders")


@dataclass(frozen=True)
class Settlement:
    """What one piece of evidence did to an order: outcome is a short word for the callback log."""

    outcome: str
    order_status: OrderStatus
    delivery_ids: tuple[int, ...] = ()


def settle_payment(order_id: int, status: TxnStatus, *, provider: str, source: str) -> Settlement:
    """Apply the provider's own answer to the order: paid, failed, or nothing yet."""
    if status.state == TxnState.APPROVED:
        return mark_paid(order_id, status, provider=provider, source=source)
    if status.state == TxnState.DECLINED:
        return record_decline(order_id, status, provider=provider, source=source)
    with read_session() as session:
        order = session.get(Order, order_id)
    return Settlement("pending", order.status)


def mark_paid(order_id: int, status: TxnStatus, *, provider: str, source: str) -> Settlement:
    """The one transaction that turns a confirmed payment into tickets and a queued delivery.

    Keyed on the provider transaction id: however many callbacks, return pages and jobs bring the
    same approval, concurrently or not, only the first records it; the rest find it and stop.
    """
    if status.state != TxnState.APPROVED or not status.transaction_id or status.amount is None:
        raise ValueError("mark_paid needs an approved status with a transaction id and amount")
    now = utcnow()
    with transaction() as session:
        order = lock_order(session, order_id)
        payment = payment_for_txn(session, provider, status.transaction_id)
        if payment is not None and payment.status in PAID_STATES:
            return Settlement("duplicate", order.status)
        if payment is not None and payment.order_id != order.id:
            raise NotAllowed("This transaction belongs to another order.")
        already_paid = has_paid_payment(session, order.id)
        payment = _record_approval(session, order, payment, status, provider, now)
        if already_paid or order.status not in (OrderStatus.PENDING_PAYMENT, OrderStatus.FAILED, OrderStatus.EXPIRED, OrderStatus.CANCELLED):
            order.attention_reason = ATTENTION_SECOND_PAYMENT
            order.updated_at = now
            audit.record(session, actor_type="system", action="payment.second_approval", entity_type="order",
                         entity_id=order.id, payment_id=payment.id, source=source)
            return Settlement("second_payment", order.status)
        delivery_ids = _fulfil(session, order, now)
        audit.record(session, actor_type="system", action="order.paid", entity_type="order", entity_id=order.id,
                     payment_id=payment.id, provider=provider, source=source, status=order.status.value)
        result = Settlement("paid" if order.status == OrderStatus.PAID else "needs_attention", order.status,
                            tuple(delivery_ids))
    if result.delivery_ids:
        dispatch(list(result.delivery_ids))
    return result


def _fulfil(session: Session, order: Order, now: datetime) -> list[int]:
    """Goods for a paid order: tickets from the hold, or the gift card issued; deliveries queued.

    Gift-card money the order reserved is captured first; a paid order whose hold cannot convert, or
    whose released gift-card share is gone (a very late payment), waits for staff with the reason.
    """
    order.paid_at = now
    order.updated_at = now
    if order.gift_card_amount and not redemption.capture(session, order.id, now=now):
        order.status, order.attention_reason = OrderStatus.NEEDS_ATTENTION, ATTENTION_GIFT_CARD_SPENT
        return []
    if order.kind == OrderKind.GIFT_CARD:
        issue_for_order(session, order.id, buyer_customer_id=order.customer_id, now=now)
        order.status = OrderStatus.PAID
        session.flush()
        return list(queue_order_delivery(session, order)) + queue_gift_card_delivery(session, order)
    hold = session.exec(select(Hold).where(Hold.id == order.hold_id).with_for_update()).first()
    if hold is None or not convert_hold(session, hold, now=now):
        order.status, order.attention_reason = OrderStatus.NEEDS_ATTENTION, ATTENTION_NO_CAPACITY
        return []
    issue_tickets(session, order)
    order.status = OrderStatus.PAID
    session.flush()
    return list(queue_order_delivery(session, order))


def complete_with_gift_cards(order_number: str) -> Settlement:
    """An order the gift cards cover in full: paid at once, with no trip to the payment provider."""
    now = utcnow()
    with transaction() as session:
        order = session.exec(select(Order).where(Order.number == order_number).with_for_update()).first()
        if order is None:
            raise NotFound("Order not found.", "ההזמנה לא נמצאה.")
        if order.status != OrderStatus.PENDING_PAYMENT:
            return Settlement("duplicate", order.status)
        if order.amount_due != 0 or order.gift_card_amount != order.total:
            raise NotAllowed("This order still has an amount to pay.", "להזמנה זו נותר סכום לתשלום.")
        delivery_ids = _fulfil(session, order, now)
        audit.record(session, actor_type="customer", action="order.paid", entity_type="order", entity_id=order.id,
                     provider="gift_card", source="gift_cards", status=order.status.value)
        result = Settlement("paid" if order.status == OrderStatus.PAID else "needs_attention", order.status,
                            tuple(delivery_ids))
    dispatch(list(result.delivery_ids))
    return result


def _record_approval(
    session: Session, order: Order, payment: Payment | None, status: TxnStatus, provider: str, now: datetime
) -> Payment:
    if payment is None and status.page_request_uid:
        payment = session.exec(select(Payment).where(
            Payment.order_id == order.id, Payment.provider == provider,
            Payment.page_request_uid == status.page_request_uid,
            Payment.provider_transaction_id.is_(None))).first()
    if payment is None:
        payment = Payment(order_id=order.id, provider=provider, page_request_uid=status.page_request_uid, amount=0)
        session.add(payment)
    payment.provider_transaction_id = status.transaction_id
    payment.amount = status.amount or 0
    payment.currency = status.currency or order.currency
    payment.approval_number = status.approval_number[:40]
    payment.card_last4 = status.card_last4[-4:]
    payment.method = status.method or payment.method or "card"
    payment.status = PaymentStatus.APPROVED
    payment.updated_at = now
    session.flush()
    return payment


def record_decline(order_id: int, status: TxnStatus, *, provider: str, source: str) -> Settlement:
    """A confirmed decline: the attempt is recorded; the order and its hold stay as they are.

    One declined card (a typo, a card limit) must not throw the buyer's tickets back into a drop: they may
    retry on the same page. The order ends when they leave the payment page (the failure return releases
    the tickets) or when the hold runs out (reconciliation expires it).
    """
    now = utcnow()
    with transaction() as session:
        order = lock_order(session, order_id)
        if status.transaction_id and payment_for_txn(session, provider, status.transaction_id) is None:
            payment = session.exec(select(Payment).where(
                Payment.order_id == order.id, Payment.page_request_uid == status.page_request_uid,
                Payment.provider_transaction_id.is_(None))).first()
            if payment is not None:
                payment.provider_transaction_id, payment.status, payment.updated_at = (
                    status.transaction_id, PaymentStatus.DECLINED, now)
                audit.record(session, actor_type="system", action="payment.declined", entity_type="order",
                             entity_id=order.id, provider=provider, source=source)
        return Settlement("declined", order.status)
