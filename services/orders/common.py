"""What every step of an order shares: the payment states that count as paid, and row look-ups."""

from __future__ import annotations

from sqlmodel import Session, select

from services.db import read_session
from services.errors import NotFound
from services.models import (
    Hold,
    HoldStatus,
    Order,
    Payment,
    PaymentStatus,
)

PAID_STATES = (PaymentStatus.APPROVED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED)
OPEN_PAYMENT_STATES = (PaymentStatus.CREATED, PaymentStatus.DECLINED)
ATTENTION_NO_CAPACITY = "Paid, but the held tickets were no longer available: issue them by hand or refund."
ATTENTION_SECOND_PAYMENT = "A second successful payment arrived for an already paid order: refund one of them."
ATTENTION_GIFT_CARD_SPENT = ("Paid after its gift-card share was released, and the card no longer holds it: "
                             "collect the difference or refund.")


def get_order_by_number(number: str) -> Order:
    with read_session() as session:
        order = session.exec(select(Order).where(Order.number == number)).first()
    if order is None:
        raise NotFound("Order not found.", "ההזמנה לא נמצאה.")
    return order


def get_order(order_id: int) -> Order:
    with read_session() as session:
        order = session.get(Order, order_id)
    if order is None:
        raise NotFound("Order not found.", "ההזמנה לא נמצאה.")
    return order


def order_by_number(number: str) -> Order | None:
    """The order with this number, or None (for callers that must not raise)."""
    with read_session() as session:
        return session.exec(select(Order).where(Order.number == number)).first()


def lock_order(session: Session, order_id: int) -> Order:
    order = session.exec(select(Order).where(Order.id == order_id).with_for_update()).first()
    if order is None:
        raise NotFound("Order not found.", "ההזמנה לא נמצאה.")
    return order


def payment_for_txn(session: Session, provider: str, transaction_id: str) -> Payment | None:
    return session.exec(select(Payment).where(
        Payment.provider == provider, Payment.provider_transaction_id == transaction_id)).first()


def has_paid_payment(session: Session, order_id: int) -> bool:
    return session.exec(select(Payment.id).where(
        Payment.order_id == order_id, Payment.status.in_(PAID_STATES))).first() is not None


def active_hold_token(session: Session, order: Order) -> str:
    hold = session.get(Hold, order.hold_id) if order.hold_id else None
    return hold.token if hold is not None and hold.status == HoldStatus.ACTIVE else ""
