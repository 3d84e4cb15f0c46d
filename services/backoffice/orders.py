"""The order page: everything about one order on one screen, and the support actions on it.

Actions call the services that own them (delivery, orders/payments, tickets); this module only
checks the role, records who asked, and turns the answer into something staff can read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import or_
from sqlmodel import Session, select

from services import audit
from services.clock import format_money, local
from services.customers import normalize_email
from services.db import read_session, transaction
from services.errors import NotFound, ValidationFailed
from services.giftcards import format_code, mask_code
from services.models import (
    AuditEntry,
    Customer,
    Delivery,
    DeliveryAttempt,
    GiftCard,
    GiftCardRedemption,
    LegacyId,
    Order,
    Payment,
    PaymentCallback,
    Refund,
    Show,
    StaffUser,
    Ticket,
    TicketTier,
)
from services.staff.access import guarded
from services.staff.roles import can, powers

METHOD_LABELS = {"card": "Card", "google_pay": "Google Pay", "apple_pay": "Apple Pay", "bit": "Bit",
                 "gift_card": "Gift card"}


def payment_label(method: str, last4: str) -> str:
    """How staff read a payment's method: "Google Pay ••4242", "Card ••1111"."""
    label = METHOD_LABELS.get(method, method or "Card")
    return f"{label} ••{last4}" if last4 else label


def when(moment) -> str:
    """A stored UTC moment as venue time with seconds, for timelines staff compare with what customers say."""
    return "" if moment is None else f"{local(moment):%d.%m.%Y %H:%M:%S}"


@dataclass(frozen=True)
class TicketLine:
    id: int
    barcode: str
    status: str
    tier: str
    price: str
    seat: str
    issued: str
    voided: str
    replaces: str


@dataclass(frozen=True)
class PaymentLine:
    id: int
    provider: str
    status: str
    amount: str
    refunded: str
    transaction_id: str
    page_request_uid: str
    approval: str
    card: str
    created: str


@dataclass(frozen=True)
class CallbackLine:
    id: int
    received: str
    provider: str
    valid: bool
    duplicate: bool
    outcome: str
    transaction_id: str
    detail: str


@dataclass(frozen=True)
class DeliveryLine:
    id: int
    channel: str
    purpose: str
    recipient: str
    status: str
    attempts: int
    last_error: str
    created: str
    sent: str
    history: str


@dataclass(frozen=True)
class RefundLine:
    id: int
    amount: str
    status: str
    reason: str
    created: str


@dataclass(frozen=True)
class AuditLine:
    at: str
    actor: str
    action: str
    detail: str


@dataclass(frozen=True)
class GiftCardPaymentLine:
    """A gift card's share of this order: reserved, captured (paid) or released, and what went back."""

    card_id: int
    code: str
    amount: str
    refunded: str
    status: str


def shown_code(staff: StaffUser, code: str) -> str:
    """The full gift-card code for roles that may spend it, the last four characters for the rest."""
    return format_code(code) if can(staff.role, "giftcards.codes") else mask_code(code)


@dataclass(frozen=True)
class OrderPage:
    id: int
    number: str
    legacy_number: str
    status: str
    kind: str
    attention_reason: str
    created: str
    paid: str
    show: str
    show_date: str
    show_id: int
    quantity: int
    total: str
    gift_card_amount: str
    amount_due: str
    name: str
    email: str
    phone: str
    delivery_method: str
    language: str
    customer_id: int
    customer_email: str
    tier: str = ""  # the tier the customer chose, "Balcony · יציע" ("" for a gift-card order)
    unit_price: str = ""
    tickets: list[TicketLine] = field(default_factory=list)
    payments: list[PaymentLine] = field(default_factory=list)
    callbacks: list[CallbackLine] = field(default_factory=list)
    deliveries: list[DeliveryLine] = field(default_factory=list)
    refunds: list[RefundLine] = field(default_factory=list)
    timeline: list[AuditLine] = field(default_factory=list)
    powers: list[str] = field(default_factory=list)
    gift_cards: list[GiftCardPaymentLine] = field(default_factory=list)


def _find(session: Session, reference: str | int) -> Order:
    """An order by id, number (B-100042) or legacy number."""
    text = str(reference).strip()
    order = None
    if text.isdigit() and len(text) <= 9:
        order = session.get(Order, int(text))
    if order is None:
        order = session.exec(select(Order).where(Order.number == text.upper())).first()
    if order is None:
        legacy = session.exec(select(LegacyId.entity_id).where(LegacyId.legacy_id == text,
                                                               LegacyId.entity_type == "order")).first()
        order = session.get(Order, legacy) if legacy else None
    if order is None:
        raise NotFound(f"No order {text}.", f"אין הזמנה {text}.")
    return order


def _money(staff: StaffUser, agorot: int) -> str:
    return format_money(agorot) if can(staff.role, "prices.view") else "—"


def _callbacks(session: Session, order: Order, payments: list[Payment]) -> list[CallbackLine]:
    txns = [p.provider_transaction_id for p in payments if p.provider_transaction_id]
    condition = PaymentCallback.order_number == order.number
    if txns:
        condition = or_(condition, PaymentCallback.provider_transaction_id.in_(txns))
    rows = session.exec(select(PaymentCallback).where(condition).order_by(PaymentCallback.received_at)).all()
    seen: set[tuple[str, str]] = set()
    lines = []
    for cb in rows:
        key = (cb.provider, cb.provider_transaction_id)
        duplicate = bool(cb.provider_transaction_id) and key in seen and cb.signature_valid
        if cb.signature_valid:
            seen.add(key)
        lines.append(CallbackLine(id=cb.id, received=when(cb.received_at), provider=cb.provider, valid=cb.signature_valid,
                                  duplicate=duplicate, outcome=cb.outcome, transaction_id=cb.provider_transaction_id,
                                  detail=(cb.detail or "")[:300]))
    return lines


def _deliveries(session: Session, order_id: int) -> list[DeliveryLine]:
    deliveries = session.exec(select(Delivery).where(Delivery.order_id == order_id).order_by(Delivery.id)).all()
    ids = [d.id for d in deliveries]
    attempts: dict[int, list[str]] = {}
    if ids:
        for a in session.exec(select(DeliveryAttempt).where(DeliveryAttempt.delivery_id.in_(ids)).order_by(DeliveryAttempt.id)):
            attempts.setdefault(a.delivery_id, []).append(f"{when(a.started_at)} {a.outcome}{': ' + a.error if a.error else ''}")
    return [DeliveryLine(id=d.id, channel=str(d.channel), purpose=d.purpose, recipient=d.recipient, status=str(d.status),
                         attempts=d.attempts, last_error=d.last_error, created=when(d.created_at), sent=when(d.sent_at),
                         history=" · ".join(attempts.get(d.id, [])))
            for d in deliveries]


def _timeline(session: Session, order: Order, ticket_ids: list[int]) -> list[AuditLine]:
    condition = (AuditEntry.entity_type == "order") & AuditEntry.entity_id.in_([str(order.id), order.number])
    if ticket_ids:
        condition = condition | ((AuditEntry.entity_type == "ticket") & AuditEntry.entity_id.in_([str(i) for i in ticket_ids]))
    entries = session.exec(select(AuditEntry).where(condition).order_by(AuditEntry.at, AuditEntry.id)).all()
    staff_ids = {int(e.actor_id) for e in entries if e.actor_type == "staff" and e.actor_id.isdigit()}
    names = {s.id: s.name for s in session.exec(select(StaffUser).where(StaffUser.id.in_(staff_ids)))} if staff_ids else {}
    lines = []
    for e in entries:
        actor = names.get(int(e.actor_id), e.actor_id) if e.actor_type == "staff" and e.actor_id.isdigit() else e.actor_type
        detail = ", ".join(f"{k}={v}" for k, v in json.loads(e.detail or "{}").items() if v not in (None, ""))
        lines.append(AuditLine(at=when(e.at), actor=str(actor), action=e.action, detail=detail[:300]))
    return lines


@guarded("orders.view")
def order_page(staff: StaffUser, reference: str | int) -> OrderPage:
    """One order with its customer, tickets, payments, callbacks, deliveries, refunds and audit trail."""
    with read_session() as session:
        order = _find(session, reference)
        show = session.get(Show, order.show_id) if order.show_id else None
        customer = session.get(Customer, order.customer_id) if order.customer_id else None
        tickets = session.exec(select(Ticket).where(Ticket.order_id == order.id).order_by(Ticket.id)).all()
        tiers = {t.id: t for t in session.exec(select(TicketTier).where(TicketTier.show_id == order.show_id))}
        chosen = tiers.get(order.tier_id)
        payments = session.exec(select(Payment).where(Payment.order_id == order.id).order_by(Payment.id)).all()
        refunds = session.exec(select(Refund).where(Refund.order_id == order.id).order_by(Refund.id)).all()
        legacy = session.exec(select(LegacyId.legacy_id).where(LegacyId.entity_type == "order",
                                                               LegacyId.entity_id == order.id)).first()
        barcodes = {t.id: t.barcode for t in tickets}
        return OrderPage(
            id=order.id, number=order.number, legacy_number=legacy or "", status=str(order.status), kind=str(order.kind),
            attention_reason=order.attention_reason, created=when(order.created_at), paid=when(order.paid_at),
            show=f"{show.title_en} · {show.title_he}" if show else "", show_date=when(show.starts_at) if show else "",
            show_id=show.id if show else 0, quantity=order.quantity, total=_money(staff, order.total),
            gift_card_amount=_money(staff, order.gift_card_amount), amount_due=_money(staff, order.amount_due),
            name=order.name, email=order.email, phone=order.phone, delivery_method=str(order.delivery_method),
            language=order.language, customer_id=customer.id if customer else 0,
            customer_email=customer.email if customer else "",
            tier=f"{chosen.name_en} · {chosen.name_he}" if chosen else "",
            unit_price=_money(staff, order.unit_price) if chosen else "",
            tickets=[TicketLine(id=t.id, barcode=t.barcode, status=str(t.status),
                                tier=tiers[t.tier_id].name_en if t.tier_id in tiers else "",
                                price=_money(staff, t.price), seat=t.seat_label, issued=when(t.issued_at),
                                voided=when(t.voided_at), replaces=barcodes.get(t.replaces_ticket_id, ""))
                     for t in tickets],
            payments=[PaymentLine(id=p.id, provider=p.provider, status=str(p.status), amount=_money(staff, p.amount),
                                  refunded=_money(staff, p.refunded_amount), transaction_id=p.provider_transaction_id or "",
                                  page_request_uid=p.page_request_uid, approval=p.approval_number,
                                  card=payment_label(p.method, p.card_last4), created=when(p.created_at))
                      for p in payments],
            callbacks=_callbacks(session, order, list(payments)),
            deliveries=_deliveries(session, order.id),
            refunds=[RefundLine(id=r.id, amount=_money(staff, r.amount), status=r.status, reason=r.reason,
                                created=when(r.created_at)) for r in refunds],
            timeline=_timeline(session, order, list(barcodes)),
            powers=powers(staff.role),
            gift_cards=_gift_card_payments(session, staff, order.id),
        )


def _gift_card_payments(session: Session, staff: StaffUser, order_id: int) -> list[GiftCardPaymentLine]:
    rows = session.exec(select(GiftCardRedemption, GiftCard).join(GiftCard, GiftCard.id == GiftCardRedemption.gift_card_id)
                        .where(GiftCardRedemption.order_id == order_id).order_by(GiftCardRedemption.id)).all()
    return [GiftCardPaymentLine(card_id=card.id, code=shown_code(staff, card.code), amount=_money(staff, use.amount),
                                refunded=_money(staff, use.refunded), status=str(use.status)) for use, card in rows]


def _order_id(reference: str | int) -> int:
    with read_session() as session:
        return _find(session, reference).id


@guarded("orders.resend")
def resend_tickets(staff: StaffUser, reference: str | int) -> str:
    """Send the tickets again to the order's address (or by SMS when that is how they were sent)."""
    from services.delivery import resend_order

    resend_order(_order_id(reference), actor_type="staff", actor_id=str(staff.id))
    return "The tickets are on their way again."


@guarded("orders.correct_email")
def correct_email_and_resend(staff: StaffUser, reference: str | int, email: str) -> str:
    """Fix a mistyped address (it becomes the order's email) and send the tickets there."""
    from services.delivery import resend_order

    address = normalize_email(email)
    resend_order(_order_id(reference), email=address, actor_type="staff", actor_id=str(staff.id))
    return f"Email corrected; the tickets are on their way to {address}."


@guarded("orders.recheck_payment")
def recheck_payment(staff: StaffUser, reference: str | int) -> str:
    """Ask the provider again about a payment still pending: the cure for a callback that never came."""
    from services.orders import recheck_with_provider

    order_id = _order_id(reference)
    settled = recheck_with_provider(order_id, source=f"staff:{staff.id}")
    with transaction() as session:
        order = session.get(Order, order_id)
        audit.record(session, actor_type="staff", actor_id=staff.id, action="order.payment_rechecked",
                     entity_type="order", entity_id=order_id, result=str(order.status))
    if settled is None:
        return f"The provider has no final answer for this order; it stays {order.status}."
    return f"Re-checked with the provider: the order is now {order.status}."


def _ticket_of(session: Session, order_id: int, ticket_id: int) -> Ticket:
    ticket = session.get(Ticket, ticket_id, with_for_update=True)
    if ticket is None or ticket.order_id != order_id:
        raise NotFound("This ticket does not belong to the order.", "הכרטיס אינו שייך להזמנה.")
    return ticket


@guarded("tickets.void")
def void_ticket(staff: StaffUser, reference: str | int, ticket_id: int, reason: str = "") -> str:
    """Stop a barcode from admitting anyone (lost or shared ticket); no refund by itself."""
    from services.tickets import void_ticket as void

    order_id = _order_id(reference)
    with transaction() as session:
        ticket = _ticket_of(session, order_id, ticket_id)
        void(session, ticket, actor_type="staff", actor_id=str(staff.id), reason=reason or "voided by staff")
        audit.record(session, actor_type="staff", actor_id=staff.id, action="order.ticket_voided",
                     entity_type="order", entity_id=order_id, ticket_id=ticket_id, reason=reason)
    return f"Ticket {ticket.barcode} is void."


@guarded("tickets.void")
def reissue_ticket(staff: StaffUser, reference: str | int, ticket_id: int, reason: str = "") -> str:
    """Void a ticket and issue a replacement with a new barcode; resend afterwards to deliver it."""
    from services.tickets import reissue_ticket as reissue

    order_id = _order_id(reference)
    with transaction() as session:
        replacement = reissue(session, _ticket_of(session, order_id, ticket_id), actor_type="staff",
                              actor_id=str(staff.id), reason=reason)
        audit.record(session, actor_type="staff", actor_id=staff.id, action="order.ticket_reissued",
                     entity_type="order", entity_id=order_id, ticket_id=ticket_id, new_ticket_id=replacement.id)
    return f"Reissued as {replacement.barcode}. Resend the tickets to deliver it."


@guarded("orders.refund")
def refund(staff: StaffUser, reference: str | int, amount: str = "", reason: str = "") -> str:
    """Refund through the provider: all that is left, or a partial amount in shekels."""
    from services.backoffice.forms import agorot
    from services.orders import refund_order

    if not reason.strip():
        raise ValidationFailed("reason", "Say why you refund (the customer may ask).", "נא לציין סיבת החזר.")
    value = agorot(amount, "amount", "Refund amount") if amount.strip() else None
    if value == 0:
        raise ValidationFailed("amount", "A refund must be more than ₪0.")
    done = refund_order(_order_id(reference), value, staff_user_id=staff.id, reason=reason.strip())
    return f"Refunded {format_money(done.amount)}."


@guarded("orders.refund")
def cancel(staff: StaffUser, reference: str | int, reason: str = "") -> str:
    """Cancel the order: a pending one is released, a paid one refunded in full and its tickets voided."""
    from services.orders import cancel_order

    if not reason.strip():
        raise ValidationFailed("reason", "Say why you cancel (the customer may ask).", "נא לציין סיבת ביטול.")
    order = cancel_order(_order_id(reference), staff_user_id=staff.id, reason=reason.strip())
    return f"Order {order.number} is {order.status}."
