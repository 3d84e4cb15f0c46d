"""Cancelling and refunding (for the back office): a reserved amount, the provider call, then the books."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, func, select

from services import audit, giftcards
from services.db import read_session, transaction
from services.errors import NotAllowed, ValidationFailed
from services.giftcards import redemption
from services.models import (
    Order,
    OrderKind,
    OrderStatus,
    Payment,
    PaymentStatus,
    Refund,
    Ticket,
    TicketStatus,
    utcnow,
)
from services.orders.common import (
    ATTENTION_SECOND_PAYMENT,
    PAID_STATES,
    active_hold_token,
    get_order,
    lock_order,
)
from services.orders.reconciliation import recheck_with_provider
from services.payments import (
    ProviderError,
    ProviderOutcomeUnknown,
    get_provider,
)
from services.ticketing import release_hold, return_to_sale


def cancel_order(order_id: int, *, staff_user_id: int | None = None, reason: str = "") -> Order:
    """Pending: cancelled and the hold released. Paid: fully refunded through the provider, tickets voided."""
    order = get_order(order_id)
    if order.status == OrderStatus.PENDING_PAYMENT:
        recheck_with_provider(order_id, source="cancel")  # never cancel a payment in flight
        order = get_order(order_id)
        if order.status != OrderStatus.PENDING_PAYMENT:
            return order  # the provider had settled it meanwhile: cancelling a paid order is a new decision
        with transaction() as session:
            order = lock_order(session, order_id)
            if order.status == OrderStatus.PENDING_PAYMENT:
                order.status, order.updated_at = OrderStatus.CANCELLED, utcnow()
                redemption.release(session, order.id, now=order.updated_at, reason="order cancelled")
                audit.record(session, actor_type="staff", actor_id=staff_user_id or "", action="order.cancelled",
                             entity_type="order", entity_id=order.id, reason=reason)
            hold_token = active_hold_token(session, order)
        if hold_token:
            release_hold(hold_token, reason="cancelled")
        return get_order(order_id)
    if order.status in (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.NEEDS_ATTENTION):
        if _refundable(order_id) > 0:
            refund_order(order_id, staff_user_id=staff_user_id, reason=reason or "cancelled")
        with transaction() as session:
            order = lock_order(session, order_id)
            _void_tickets(session, order.id, None, utcnow())
            order.status, order.updated_at = OrderStatus.CANCELLED, utcnow()
            audit.record(session, actor_type="staff", actor_id=staff_user_id or "", action="order.cancelled",
                         entity_type="order", entity_id=order.id, reason=reason)
        return get_order(order_id)
    raise NotAllowed("This order cannot be cancelled.", "לא ניתן לבטל הזמנה זו.")


@dataclass(frozen=True)
class RefundOutcome:
    """What one refund did: the provider's part, the gift cards' part, and their sum."""

    status: str
    amount: int
    provider_amount: int
    gift_card_amount: int
    provider_reference: str


@dataclass(frozen=True)
class _Plan:
    provider_refund_id: int | None
    payment_id: int | None
    card_refund_id: int | None
    voids: list[int]


def refund_order(
    order_id: int,
    amount: int | None = None,
    *,
    staff_user_id: int | None,
    reason: str,
    ticket_ids: list[int] | None = None,
) -> RefundOutcome:
    """Refund an order partly or fully, each part the way it was paid, and record it against its tickets.

    The provider's share goes back through the provider; a share paid by gift card goes back onto the
    card. Full refund (no amount, no tickets): every valid ticket is voided. With `ticket_ids`: those are
    voided and the amount defaults to their price. A plain partial amount voids nothing. A pending
    refund counts against what is refundable, so two clicks can never refund twice. A gift-card purchase
    is refunded only up to what is left unspent on the card, which is taken off the card first.
    """
    plan = _reserve_refund(order_id, amount, staff_user_id, reason, ticket_ids)
    reference = ""
    if plan.provider_refund_id is not None:
        reference = _refund_through_provider(order_id, plan)
    return _complete_refund(order_id, plan, reference, staff_user_id)


def _refund_through_provider(order_id: int, plan: _Plan) -> str:
    with read_session() as session:
        payment = session.get(Payment, plan.payment_id)
        refund = session.get(Refund, plan.provider_refund_id)
    try:
        return get_provider(payment.provider).refund(
            transaction_id=payment.provider_transaction_id or "", amount=refund.amount,
            currency=payment.currency, approval_number=payment.approval_number).reference
    except ProviderOutcomeUnknown:
        _refund_outcome_unknown(order_id, plan)
        raise
    except ProviderError:
        _refund_failed(order_id, plan)
        raise


ATTENTION_REFUND_UNKNOWN = ("A refund of {amount} agorot got no answer from the provider and may have gone through: "
                            "check the provider's dashboard before refunding again.")


def _refund_outcome_unknown(order_id: int, plan: _Plan) -> None:
    """Keep the amount reserved (so nobody refunds it twice) and tell staff to check with the provider."""
    with transaction() as session:
        order = lock_order(session, order_id)
        refund = session.get(Refund, plan.provider_refund_id)
        refund.status = "unknown"
        _cancel_card_part(session, plan)
        order.attention_reason = ATTENTION_REFUND_UNKNOWN.format(amount=refund.amount)
        order.updated_at = utcnow()
        audit.record(session, actor_type="system", action="refund.outcome_unknown", entity_type="order",
                     entity_id=order.id, refund_id=refund.id, amount=refund.amount)


def _refund_failed(order_id: int, plan: _Plan) -> None:
    """The provider said no: nothing was refunded, so a gift card bought by the order gets its money back."""
    with transaction() as session:
        order = lock_order(session, order_id)
        refund = session.get(Refund, plan.provider_refund_id)
        refund.status = "failed"
        _cancel_card_part(session, plan)
        if order.kind == OrderKind.GIFT_CARD:
            giftcards.restore_purchase_refund(session, order.id, refund.amount, now=utcnow())


def _cancel_card_part(session: Session, plan: _Plan) -> None:
    if plan.card_refund_id is not None:
        session.get(Refund, plan.card_refund_id).status = "failed"


def _reserve_refund(
    order_id: int, amount: int | None, staff_user_id: int | None, reason: str, ticket_ids: list[int] | None
) -> _Plan:
    with transaction() as session:
        order = lock_order(session, order_id)
        if order.status not in (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.NEEDS_ATTENTION):
            raise NotAllowed("Only paid orders can be refunded.", "ניתן לזכות רק הזמנות ששולמו.")
        # The latest payment first: with a double charge that is the duplicate the refund is for.
        payment = session.exec(select(Payment).where(
            Payment.order_id == order.id, Payment.status.in_((PaymentStatus.APPROVED, PaymentStatus.PARTIALLY_REFUNDED))
        ).order_by(Payment.id.desc())).first()
        voids, amount = _tickets_to_void(session, order, ticket_ids, amount)
        by_provider = _refundable_payment(session, payment) if payment is not None else 0
        if order.kind == OrderKind.GIFT_CARD:  # only what the card still holds can be given back
            by_provider = min(by_provider, giftcards.purchase_refundable(session, order.id))
        by_card = redemption.refundable(session, order.id) - _pending_card_refunds(session, order.id)
        available = by_provider + by_card
        if payment is None and not order.gift_card_amount:
            raise NotAllowed("This order has no refundable payment.", "אין תשלום לזיכוי בהזמנה זו.")
        amount = available if amount is None else amount
        if amount <= 0 or amount > available:
            raise ValidationFailed("amount", f"The refund must be between 1 and {available} agorot.",
                                   "סכום הזיכוי חורג מהסכום ששולם.")
        provider_part = min(amount, by_provider)
        provider_refund = card_refund = None
        if provider_part:
            if order.kind == OrderKind.GIFT_CARD:
                giftcards.withdraw_for_purchase_refund(session, order.id, provider_part, now=utcnow(),
                                                       staff_user_id=staff_user_id)
            provider_refund = Refund(order_id=order.id, payment_id=payment.id, amount=provider_part, status="pending",
                                     reason=reason, staff_user_id=staff_user_id)
            session.add(provider_refund)
        if amount - provider_part:
            card_refund = Refund(order_id=order.id, payment_id=None, amount=amount - provider_part, status="pending",
                                 provider_reference="gift_card", reason=reason, staff_user_id=staff_user_id)
            session.add(card_refund)
        session.flush()
        return _Plan(provider_refund.id if provider_refund else None, payment.id if provider_refund else None,
                     card_refund.id if card_refund else None, voids)


def _tickets_to_void(session: Session, order: Order, ticket_ids: list[int] | None,
                     amount: int | None) -> tuple[list[int], int | None]:
    """The named tickets (all valid tickets of this order), and the amount: their price unless given."""
    if not ticket_ids:
        return [], amount
    tickets = session.exec(select(Ticket).where(Ticket.id.in_(ticket_ids), Ticket.order_id == order.id,
                                                Ticket.status == TicketStatus.VALID)).all()
    if len(tickets) != len(set(ticket_ids)):
        raise ValidationFailed("ticket_ids", "Some tickets are not valid tickets of this order.")
    return [ticket.id for ticket in tickets], amount if amount is not None else sum(t.price for t in tickets)


def _pending_card_refunds(session: Session, order_id: int) -> int:
    return int(session.exec(select(func.coalesce(func.sum(Refund.amount), 0)).where(
        Refund.order_id == order_id, Refund.payment_id.is_(None), Refund.status == "pending")).one())


def _complete_refund(order_id: int, plan: _Plan, reference: str, staff_user_id: int | None) -> RefundOutcome:
    now = utcnow()
    provider_amount = card_amount = 0
    with transaction() as session:
        order = lock_order(session, order_id)
        if plan.provider_refund_id is not None:
            refund = session.get(Refund, plan.provider_refund_id)
            payment = session.get(Payment, refund.payment_id)
            refund.status, refund.provider_reference = "done", reference[:100]
            payment.refunded_amount += refund.amount
            payment.status = (PaymentStatus.REFUNDED if payment.refunded_amount >= payment.amount
                              else PaymentStatus.PARTIALLY_REFUNDED)
            payment.updated_at = now
            provider_amount = refund.amount
        if plan.card_refund_id is not None:
            refund = session.get(Refund, plan.card_refund_id)
            card_amount = redemption.refund(session, order.id, refund.amount, now=now, staff_user_id=staff_user_id,
                                            note=refund.reason)
            refund.status = "done"
        _settle_refunded_order(session, order, plan.voids, now)
        audit.record(session, actor_type="staff", actor_id=staff_user_id or "", action="order.refunded",
                     entity_type="order", entity_id=order.id, amount=provider_amount + card_amount,
                     provider_amount=provider_amount, gift_card_amount=card_amount)
    return RefundOutcome("done", provider_amount + card_amount, provider_amount, card_amount, reference)


def _settle_refunded_order(session: Session, order: Order, voids: list[int], now: datetime) -> None:
    """Decide the order and its tickets from what the customer has still paid, over all its payments.

    Nothing left: every ticket is void. Still the whole price (the refund returned a double charge):
    the tickets stand and the second-payment flag is cleared. In between: the named tickets are void.
    """
    session.flush()
    kept = sum(p.amount - p.refunded_amount for p in session.exec(select(Payment).where(
        Payment.order_id == order.id, Payment.status.in_(PAID_STATES))).all())
    kept += redemption.refundable(session, order.id)  # what gift cards paid and still stays paid
    if kept <= 0:
        _void_tickets(session, order.id, None, now)
        status = OrderStatus.REFUNDED
    elif kept >= order.total:
        status = order.status
        if order.attention_reason == ATTENTION_SECOND_PAYMENT:
            order.attention_reason = ""
    else:
        _void_tickets(session, order.id, voids, now)
        status = OrderStatus.PARTIALLY_REFUNDED
    if order.status != OrderStatus.CANCELLED:
        order.status = status
    order.updated_at = now


def _void_tickets(session: Session, order_id: int, ticket_ids: list[int] | None, now: datetime) -> None:
    """Void the given tickets (None: all the order's valid tickets) of a refund or cancellation.

    Their seats go back on sale: a refunded ticket to a sold-out show is a ticket the waiting list wants.
    """
    query = select(Ticket).where(Ticket.order_id == order_id, Ticket.status == TicketStatus.VALID)
    if ticket_ids is not None:
        if not ticket_ids:
            return
        query = query.where(Ticket.id.in_(ticket_ids))
    voided = session.exec(query).all()
    for ticket in voided:
        ticket.status, ticket.voided_at = TicketStatus.VOID, now
    order = session.get(Order, order_id)
    if voided and order.show_id is not None and order.tier_id is not None:
        return_to_sale(session, show_id=order.show_id, tier_id=order.tier_id,
                       secret_link_id=order.secret_link_id, quantity=len(voided))


def _refundable(order_id: int) -> int:
    """Everything of an order that could still be refunded: its payments, and what gift cards paid."""
    with read_session() as session:
        payments = session.exec(select(Payment).where(
            Payment.order_id == order_id,
            Payment.status.in_((PaymentStatus.APPROVED, PaymentStatus.PARTIALLY_REFUNDED)))).all()
        by_card = redemption.refundable(session, order_id) - _pending_card_refunds(session, order_id)
        return sum(_refundable_payment(session, payment) for payment in payments) + by_card


def _refundable_payment(session: Session, payment: Payment) -> int:
    pending = session.exec(select(func.coalesce(func.sum(Refund.amount), 0)).where(
        Refund.payment_id == payment.id, Refund.status.in_(("pending", "unknown")))).one()
    return payment.amount - payment.refunded_amount - int(pending)
