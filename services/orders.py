"""Orders: from a hold to a paid order with tickets, exactly once, and back again by refund.

The rules this module keeps:
- money is integer agorot; an order changes state only inside one `transaction()`, with its row
  locked (`SELECT ... FOR UPDATE`) so concurrent callbacks, return pages and jobs take turns;
- nothing is marked paid on the word of a callback or a redirect: only the provider's status API
  (`TxnStatus`) settles a payment, and a provider transaction id is recorded once;
- a paid order is never dropped: when its tickets cannot be issued it waits for staff
  (NEEDS_ATTENTION) with the reason written down;
- no network call happens inside a database transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from services import audit
from services.customers import normalize_email, normalize_phone, upsert_customer, validate_israeli_id
from services.db import read_session, transaction
from services.delivery import dispatch, queue_order_delivery
from services.errors import NotAllowed, NotFound, ValidationFailed
from services.models import (
    DeliveryMethod,
    Hold,
    HoldStatus,
    Order,
    OrderKind,
    OrderStatus,
    Payment,
    PaymentStatus,
    Refund,
    Show,
    Ticket,
    TicketStatus,
    utcnow,
)
from services.order_access import return_url
from services.orders_numbering import assign_order_number
from services.payments import (
    PageRequest,
    ProviderError,
    ProviderOutcomeUnknown,
    TxnState,
    TxnStatus,
    callback_url,
    get_provider,
)
from services.ticketing import claim_hold_for_customer, convert_hold, release_hold, return_to_sale
from services.tickets import issue_tickets

log = logging.getLogger("barby.orders")

PAID_STATES = (PaymentStatus.APPROVED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED)
OPEN_PAYMENT_STATES = (PaymentStatus.CREATED, PaymentStatus.DECLINED)
ATTENTION_NO_CAPACITY = "Paid, but the held tickets were no longer available: issue them by hand or refund."
ATTENTION_SECOND_PAYMENT = "A second successful payment arrived for an already paid order: refund one of them."
ATTENTION_GIFT_CARD = "Gift-card orders are not fulfilled automatically yet."


# ── creating an order ────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str
    id_number: str
    delivery_method: DeliveryMethod
    language: str


def create_ticket_order(
    *,
    hold_token: str,
    name: str,
    email: str,
    phone: str,
    id_number: str,
    delivery_method: str,
    language: str,
    idempotency_key: str,
) -> Order:
    """A PENDING_PAYMENT order for the hold's tickets; the same key (or hold) gives back the same order."""
    if not idempotency_key or len(idempotency_key) > 64:
        raise ValidationFailed("idempotency_key", "A request key of up to 64 characters is required.")
    contact = _validated_contact(name, email, phone, id_number, delivery_method, language)
    for _attempt in range(2):  # a concurrent twin may win the insert; then we return its order
        existing = _order_by_key(idempotency_key)
        if existing is not None:
            return existing
        try:
            return _insert_order(hold_token, contact, idempotency_key)
        except IntegrityError:
            continue
    existing = _order_by_key(idempotency_key)
    if existing is None:
        raise NotAllowed("The order could not be created; please try again.", "לא ניתן ליצור את ההזמנה, נסו שוב.")
    return existing


def _validated_contact(
    name: str, email: str, phone: str, id_number: str, delivery_method: str, language: str
) -> Contact:
    clean_name = " ".join((name or "").split())
    if len(clean_name) < 2 or len(clean_name) > 200:
        raise ValidationFailed("name", "Please enter your full name.", "נא להזין שם מלא.")
    try:
        method = DeliveryMethod(delivery_method)
    except ValueError as exc:
        raise ValidationFailed("delivery_method", "Choose email or SMS.", "יש לבחור דוא״ל או SMS.") from exc
    return Contact(
        name=clean_name,
        email=normalize_email(email),
        phone=normalize_phone(phone),
        id_number=validate_israeli_id(id_number) if (id_number or "").strip() else "",
        delivery_method=method,
        language=language if language in ("he", "en") else "he",
    )


def _order_by_key(key: str) -> Order | None:
    with read_session() as session:
        return session.exec(select(Order).where(Order.idempotency_key == key)).first()


def _insert_order(hold_token: str, contact: Contact, key: str) -> Order:
    now = utcnow()
    with transaction() as session:
        hold = session.exec(select(Hold).where(Hold.token == hold_token).with_for_update()).first()
        if hold is None:
            raise NotFound("Your reservation was not found.", "ההזמנה השמורה לא נמצאה.")
        same_hold = session.exec(
            select(Order).where(Order.hold_id == hold.id, Order.status == OrderStatus.PENDING_PAYMENT)
        ).first()
        if same_hold is not None:
            return same_hold  # a double-click with a fresh key: still one order per hold
        if hold.status != HoldStatus.ACTIVE or hold.expires_at <= now:
            raise NotAllowed("Your reservation has expired.", "זמן שמירת הכרטיסים הסתיים.")
        if session.exec(select(Order.id).where(Order.hold_id == hold.id)).first() is not None:
            # One hold backs one order, ever: after a failed or cancelled order the buyer takes a new hold.
            raise NotAllowed("Your reservation was already used; please choose your tickets again.",
                             "ההזמנה השמורה כבר נוצלה; נא לבחור כרטיסים מחדש.")
        claim_hold_for_customer(session, hold, contact.email, now=now)
        customer = upsert_customer(
            session, email=contact.email, name=contact.name, phone=contact.phone,
            id_number=contact.id_number, language=contact.language,
        )
        total = hold.quantity * hold.unit_price
        order = Order(
            kind=OrderKind.TICKETS, customer_id=customer.id, show_id=hold.show_id, tier_id=hold.tier_id,
            hold_id=hold.id, secret_link_id=hold.secret_link_id, quantity=hold.quantity,
            unit_price=hold.unit_price, total=total, amount_due=total, currency="ILS",
            name=contact.name, email=contact.email, phone=contact.phone, id_number=contact.id_number,
            delivery_method=contact.delivery_method, language=contact.language, idempotency_key=key,
        )
        assign_order_number(session, order)
        audit.record(session, actor_type="customer", action="order.created", entity_type="order",
                     entity_id=order.id, number=order.number, total=total)
        return order


# ── paying ───────────────────────────────────────────────────────────────────────────────────────


def start_payment(order_number: str) -> str:
    """The provider's hosted page for this order; a new page request each time it is asked."""
    order = _order_by_number(order_number)
    if order.status != OrderStatus.PENDING_PAYMENT:
        raise NotAllowed("This order is not waiting for payment.", "ההזמנה אינה ממתינה לתשלום.")
    _require_live_hold(order)
    provider = get_provider()
    page = provider.create_payment_page(PageRequest(
        order_number=order.number, amount=order.amount_due, currency=order.currency,
        customer_name=order.name, email=order.email, phone=order.phone, language=order.language,
        description=_description(order), success_url=return_url(order.number, "success"),
        failure_url=return_url(order.number, "failure"), callback_url=callback_url(provider.name),
    ))
    with transaction() as session:
        known = session.exec(select(Payment).where(
            Payment.order_id == order.id, Payment.page_request_uid == page.page_request_uid)).first()
        if known is None:
            session.add(Payment(order_id=order.id, provider=provider.name, page_request_uid=page.page_request_uid,
                                amount=order.amount_due, currency=order.currency))
    return page.url


def _require_live_hold(order: Order) -> None:
    with read_session() as session:
        hold = session.get(Hold, order.hold_id) if order.hold_id else None
    if order.kind == OrderKind.TICKETS and (hold is None or hold.status != HoldStatus.ACTIVE or hold.expires_at <= utcnow()):
        raise NotAllowed("Your reservation has expired.", "זמן שמירת הכרטיסים הסתיים.")


def _description(order: Order) -> str:
    with read_session() as session:
        show = session.get(Show, order.show_id) if order.show_id else None
    title = (show.title_he if order.language == "he" else show.title_en) if show else "Barby"
    return f"{title} × {order.quantity}"


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
        order = _lock_order(session, order_id)
        payment = _payment_for_txn(session, provider, status.transaction_id)
        if payment is not None and payment.status in PAID_STATES:
            return Settlement("duplicate", order.status)
        if payment is not None and payment.order_id != order.id:
            raise NotAllowed("This transaction belongs to another order.")
        already_paid = _has_paid_payment(session, order.id)
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
    """Hold → tickets → delivery queued; a paid order whose hold cannot convert waits for staff."""
    order.paid_at = now
    order.updated_at = now
    if order.kind != OrderKind.TICKETS:  # the seam for gift-card orders (a later issue)
        order.status, order.attention_reason = OrderStatus.NEEDS_ATTENTION, ATTENTION_GIFT_CARD
        return []
    hold = session.exec(select(Hold).where(Hold.id == order.hold_id).with_for_update()).first()
    if hold is None or not convert_hold(session, hold, now=now):
        order.status, order.attention_reason = OrderStatus.NEEDS_ATTENTION, ATTENTION_NO_CAPACITY
        return []
    issue_tickets(session, order)
    order.status = OrderStatus.PAID
    session.flush()
    return list(queue_order_delivery(session, order))


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
    payment.method = payment.method or "card"
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
        order = _lock_order(session, order_id)
        if status.transaction_id and _payment_for_txn(session, provider, status.transaction_id) is None:
            payment = session.exec(select(Payment).where(
                Payment.order_id == order.id, Payment.page_request_uid == status.page_request_uid,
                Payment.provider_transaction_id.is_(None))).first()
            if payment is not None:
                payment.provider_transaction_id, payment.status, payment.updated_at = (
                    status.transaction_id, PaymentStatus.DECLINED, now)
                audit.record(session, actor_type="system", action="payment.declined", entity_type="order",
                             entity_id=order.id, provider=provider, source=source)
        return Settlement("declined", order.status)


# ── the return page and the reconciliation job ─────────────────────────────────────────────────────


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


def order_status(order_number: str) -> OrderView:
    """The order as it really is; when still pending, the provider is asked first (never the redirect)."""
    order = _order_by_number(order_number)
    if order.status == OrderStatus.PENDING_PAYMENT:
        try:
            recheck_with_provider(order.id, source="return")
        except ProviderError:
            log.warning("status check for %s failed; showing it as pending", order.number)
        order = _order_by_number(order_number)
    with read_session() as session:
        tickets = session.exec(select(func.count()).select_from(Ticket).where(
            Ticket.order_id == order.id, Ticket.status == TicketStatus.VALID)).one()
    return OrderView(
        number=order.number, status=order.status.value, quantity=order.quantity, amount_due=order.amount_due,
        currency=order.currency, language=order.language, tickets=int(tickets),
        paid=order.status in (OrderStatus.PAID, OrderStatus.NEEDS_ATTENTION), attention=bool(order.attention_reason),
    )


def recheck_with_provider(order_id: int, *, source: str) -> Settlement | None:
    """Ask the provider about each open page request of a pending order; an approval marks it paid."""
    with read_session() as session:
        payments = session.exec(select(Payment).where(
            Payment.order_id == order_id, Payment.status.in_(OPEN_PAYMENT_STATES)).order_by(Payment.id.desc())).all()
        number = session.get(Order, order_id).number
    for payment in payments:
        status = get_provider(payment.provider).query_status(
            page_request_uid=payment.page_request_uid, order_number=number)
        if not _status_fits(status, number, payment.amount, payment.currency):
            continue
        if status.state == TxnState.APPROVED:
            return mark_paid(order_id, status, provider=payment.provider, source=source)
        if status.state == TxnState.DECLINED and payment.status != PaymentStatus.DECLINED:
            record_decline(order_id, status, provider=payment.provider, source=source)
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


def _expire_if_abandoned(order_id: int, now: datetime) -> bool:
    with transaction() as session:
        order = _lock_order(session, order_id)
        hold = session.get(Hold, order.hold_id) if order.hold_id else None
        if order.status != OrderStatus.PENDING_PAYMENT or (hold is not None and hold.status == HoldStatus.ACTIVE and hold.expires_at > now):
            return False
        order.status, order.updated_at = OrderStatus.EXPIRED, now
        for payment in session.exec(select(Payment).where(
                Payment.order_id == order.id, Payment.status == PaymentStatus.CREATED)).all():
            payment.status, payment.updated_at = PaymentStatus.ABANDONED, now
        hold_token = hold.token if hold is not None else ""
        audit.record(session, actor_type="system", action="order.expired", entity_type="order", entity_id=order.id)
    if hold_token:
        release_hold(hold_token, reason="abandoned")
    return True


# ── cancelling and refunding (for the back office) ─────────────────────────────────────────────────


def cancel_order(order_id: int, *, staff_user_id: int | None = None, reason: str = "") -> Order:
    """Pending: cancelled and the hold released. Paid: fully refunded through the provider, tickets voided."""
    order = _order_by_id(order_id)
    if order.status == OrderStatus.PENDING_PAYMENT:
        recheck_with_provider(order_id, source="cancel")  # never cancel a payment in flight
        order = _order_by_id(order_id)
        if order.status != OrderStatus.PENDING_PAYMENT:
            return order  # the provider had settled it meanwhile: cancelling a paid order is a new decision
        with transaction() as session:
            order = _lock_order(session, order_id)
            if order.status == OrderStatus.PENDING_PAYMENT:
                order.status, order.updated_at = OrderStatus.CANCELLED, utcnow()
                audit.record(session, actor_type="staff", actor_id=staff_user_id or "", action="order.cancelled",
                             entity_type="order", entity_id=order.id, reason=reason)
            hold_token = _hold_token(session, order)
        if hold_token:
            release_hold(hold_token, reason="cancelled")
        return _order_by_id(order_id)
    if order.status in (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.NEEDS_ATTENTION):
        if _refundable(order_id) > 0:
            refund_order(order_id, staff_user_id=staff_user_id, reason=reason or "cancelled")
        with transaction() as session:
            order = _lock_order(session, order_id)
            _void_tickets(session, order.id, None, utcnow())
            order.status, order.updated_at = OrderStatus.CANCELLED, utcnow()
            audit.record(session, actor_type="staff", actor_id=staff_user_id or "", action="order.cancelled",
                         entity_type="order", entity_id=order.id, reason=reason)
        return _order_by_id(order_id)
    raise NotAllowed("This order cannot be cancelled.", "לא ניתן לבטל הזמנה זו.")


def refund_order(
    order_id: int,
    amount: int | None = None,
    *,
    staff_user_id: int | None,
    reason: str,
    ticket_ids: list[int] | None = None,
) -> Refund:
    """Refund through the provider, partly or fully, and record it against the order and its tickets.

    Full refund (no amount, no tickets): every valid ticket is voided. With `ticket_ids`: those are
    voided and the amount defaults to their price. A plain partial amount voids nothing. A pending
    refund counts against what is refundable, so two clicks can never refund twice.
    """
    refund_id, payment_id, voids = _reserve_refund(order_id, amount, staff_user_id, reason, ticket_ids)
    with read_session() as session:
        payment = session.get(Payment, payment_id)
        refund = session.get(Refund, refund_id)
    try:
        result = get_provider(payment.provider).refund(
            transaction_id=payment.provider_transaction_id or "", amount=refund.amount,
            currency=payment.currency, approval_number=payment.approval_number)
    except ProviderOutcomeUnknown:
        _refund_outcome_unknown(order_id, refund_id)
        raise
    except ProviderError:
        with transaction() as session:
            failed = session.get(Refund, refund_id)
            failed.status = "failed"
        raise
    return _complete_refund(order_id, refund_id, result.reference, voids, staff_user_id)


ATTENTION_REFUND_UNKNOWN = ("A refund of {amount} agorot got no answer from the provider and may have gone through: "
                            "check the provider's dashboard before refunding again.")


def _refund_outcome_unknown(order_id: int, refund_id: int) -> None:
    """Keep the amount reserved (so nobody refunds it twice) and tell staff to check with the provider."""
    with transaction() as session:
        order = _lock_order(session, order_id)
        refund = session.get(Refund, refund_id)
        refund.status = "unknown"
        order.attention_reason = ATTENTION_REFUND_UNKNOWN.format(amount=refund.amount)
        order.updated_at = utcnow()
        audit.record(session, actor_type="system", action="refund.outcome_unknown", entity_type="order",
                     entity_id=order.id, refund_id=refund.id, amount=refund.amount)


def _reserve_refund(
    order_id: int, amount: int | None, staff_user_id: int | None, reason: str, ticket_ids: list[int] | None
) -> tuple[int, int, list[int] | None]:
    with transaction() as session:
        order = _lock_order(session, order_id)
        if order.status not in (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.NEEDS_ATTENTION):
            raise NotAllowed("Only paid orders can be refunded.", "ניתן לזכות רק הזמנות ששולמו.")
        # The latest payment first: with a double charge that is the duplicate the refund is for.
        payment = session.exec(select(Payment).where(
            Payment.order_id == order.id, Payment.status.in_((PaymentStatus.APPROVED, PaymentStatus.PARTIALLY_REFUNDED))
        ).order_by(Payment.id.desc())).first()
        if payment is None:
            raise NotAllowed("This order has no refundable payment.", "אין תשלום לזיכוי בהזמנה זו.")
        voids: list[int] | None = None
        if ticket_ids:
            tickets = session.exec(select(Ticket).where(Ticket.id.in_(ticket_ids), Ticket.order_id == order.id,
                                                        Ticket.status == TicketStatus.VALID)).all()
            if len(tickets) != len(set(ticket_ids)):
                raise ValidationFailed("ticket_ids", "Some tickets are not valid tickets of this order.")
            voids = [ticket.id for ticket in tickets]
            amount = amount if amount is not None else sum(ticket.price for ticket in tickets)
        available = _refundable_payment(session, payment)
        amount = available if amount is None else amount
        if amount <= 0 or amount > available:
            raise ValidationFailed("amount", f"The refund must be between 1 and {available} agorot.",
                                   "סכום הזיכוי חורג מהסכום ששולם.")
        refund = Refund(order_id=order.id, payment_id=payment.id, amount=amount, status="pending",
                        reason=reason, staff_user_id=staff_user_id)
        session.add(refund)
        session.flush()
        return refund.id, payment.id, voids or []


def _complete_refund(
    order_id: int, refund_id: int, reference: str, voids: list[int] | None, staff_user_id: int | None
) -> Refund:
    now = utcnow()
    with transaction() as session:
        order = _lock_order(session, order_id)
        refund = session.get(Refund, refund_id)
        payment = session.get(Payment, refund.payment_id)
        refund.status, refund.provider_reference = "done", reference[:100]
        payment.refunded_amount += refund.amount
        payment.status = (PaymentStatus.REFUNDED if payment.refunded_amount >= payment.amount
                          else PaymentStatus.PARTIALLY_REFUNDED)
        payment.updated_at = now
        _settle_refunded_order(session, order, voids or [], now)
        audit.record(session, actor_type="staff", actor_id=staff_user_id or "", action="order.refunded",
                     entity_type="order", entity_id=order.id, refund_id=refund.id, amount=refund.amount)
        return refund


def _settle_refunded_order(session: Session, order: Order, voids: list[int], now: datetime) -> None:
    """Decide the order and its tickets from what the customer has still paid, over all its payments.

    Nothing left: every ticket is void. Still the whole price (the refund returned a double charge):
    the tickets stand and the second-payment flag is cleared. In between: the named tickets are void.
    """
    session.flush()
    kept = sum(p.amount - p.refunded_amount for p in session.exec(select(Payment).where(
        Payment.order_id == order.id, Payment.status.in_(PAID_STATES))).all())
    if kept <= 0:
        _void_tickets(session, order.id, None, now)
        status = OrderStatus.REFUNDED
    elif kept >= order.amount_due:
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
    with read_session() as session:
        payments = session.exec(select(Payment).where(
            Payment.order_id == order_id,
            Payment.status.in_((PaymentStatus.APPROVED, PaymentStatus.PARTIALLY_REFUNDED)))).all()
        return sum(_refundable_payment(session, payment) for payment in payments)


def _refundable_payment(session: Session, payment: Payment) -> int:
    pending = session.exec(select(func.coalesce(func.sum(Refund.amount), 0)).where(
        Refund.payment_id == payment.id, Refund.status.in_(("pending", "unknown")))).one()
    return payment.amount - payment.refunded_amount - int(pending)


# ── small helpers ──────────────────────────────────────────────────────────────────────────────────


def _order_by_number(number: str) -> Order:
    with read_session() as session:
        order = session.exec(select(Order).where(Order.number == number)).first()
    if order is None:
        raise NotFound("Order not found.", "ההזמנה לא נמצאה.")
    return order


def _order_by_id(order_id: int) -> Order:
    with read_session() as session:
        order = session.get(Order, order_id)
    if order is None:
        raise NotFound("Order not found.", "ההזמנה לא נמצאה.")
    return order


def order_by_number(number: str) -> Order | None:
    """The order with this number, or None (for callers that must not raise)."""
    with read_session() as session:
        return session.exec(select(Order).where(Order.number == number)).first()


def _lock_order(session: Session, order_id: int) -> Order:
    order = session.exec(select(Order).where(Order.id == order_id).with_for_update()).first()
    if order is None:
        raise NotFound("Order not found.", "ההזמנה לא נמצאה.")
    return order


def _payment_for_txn(session: Session, provider: str, transaction_id: str) -> Payment | None:
    return session.exec(select(Payment).where(
        Payment.provider == provider, Payment.provider_transaction_id == transaction_id)).first()


def _has_paid_payment(session: Session, order_id: int) -> bool:
    return session.exec(select(Payment.id).where(
        Payment.order_id == order_id, Payment.status.in_(PAID_STATES))).first() is not None


def _hold_token(session: Session, order: Order) -> str:
    hold = session.get(Hold, order.hold_id) if order.hold_id else None
    return hold.token if hold is not None and hold.status == HoldStatus.ACTIVE else ""
