"""Gift cards in the back office: search, the card page with its ledger, and the fixes staff make.

Every action checks its own permission (services/staff/roles.py), writes the audit log in the same
transaction as the change, and moves money only through the card ledger. Roles without
`giftcards.codes` see a card's state with its code masked: the code is what spends the money.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_
from sqlmodel import Session, func, select

from services import audit
from services.backoffice.forms import agorot, venue_moment
from services.backoffice.orders import shown_code, when
from services.clock import format_money
from services.customers import normalize_email
from services.db import read_session, transaction
from services.delivery import dispatch
from services.delivery.queueing import queue_gift_card_resend
from services.errors import NotAllowed, NotFound, ValidationFailed
from services.giftcards import normalize_code
from services.giftcards.ledger import lock_card, move
from services.models import (
    GiftCard,
    GiftCardRedemption,
    GiftCardStatus,
    GiftCardTransaction,
    Order,
    StaffUser,
    utcnow,
)
from services.staff.access import guarded

PAGE_SIZE = 50


@dataclass(frozen=True)
class CardRow:
    id: int
    code: str
    status: str
    balance: str
    initial: str
    recipient: str
    buyer: str
    order_number: str
    expires: str


@dataclass(frozen=True)
class LedgerRow:
    at: str
    kind: str
    amount: str
    balance_after: str
    order_number: str
    note: str


@dataclass(frozen=True)
class CardPage:
    id: int
    code: str
    status: str
    balance: str
    initial: str
    recipient_name: str
    recipient_email: str
    recipient_phone: str
    message: str
    buyer: str
    order_number: str
    issued: str
    expires: str
    send_at: str
    ledger: list[LedgerRow] = field(default_factory=list)
    paid_orders: list[str] = field(default_factory=list)


def _row(session: Session, staff: StaffUser, card: GiftCard) -> CardRow:
    order = session.get(Order, card.purchase_order_id) if card.purchase_order_id else None
    return CardRow(id=card.id, code=shown_code(staff, card.code), status=str(card.status),
                   balance=format_money(card.balance), initial=format_money(card.initial_amount),
                   recipient=card.recipient_name or card.recipient_email,
                   buyer=f"{order.name} <{order.email}>" if order else "", order_number=order.number if order else "",
                   expires=when(card.expires_at))


@guarded("giftcards.view")
def search_gift_cards(staff: StaffUser, query: str = "", *, page: int = 1) -> list[CardRow]:
    """By code (typed any way), buyer or recipient name/email, or the purchase order's number; newest first."""
    text = (query or "").strip()[:200].replace("\x00", "")
    page = max(1, min(int(page), 1000))
    with read_session() as session:
        statement = select(GiftCard).join(Order, Order.id == GiftCard.purchase_order_id, isouter=True)
        if text:
            code, like = normalize_code(text), f"%{_escaped(text.lower())}%"
            conditions = [func.lower(GiftCard.recipient_email).like(like, escape="\\"),
                          func.lower(GiftCard.recipient_name).like(like, escape="\\"),
                          func.lower(Order.email).like(like, escape="\\"), func.lower(Order.name).like(like, escape="\\"),
                          Order.number == text.upper()]
            if code:
                conditions.append(GiftCard.code == code)
            statement = statement.where(or_(*conditions))
        cards = session.exec(statement.order_by(GiftCard.id.desc()).offset((page - 1) * PAGE_SIZE)
                             .limit(PAGE_SIZE)).all()
        return [_row(session, staff, card) for card in cards]


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _card(session: Session, card_id: int) -> GiftCard:
    card = session.get(GiftCard, card_id)
    if card is None:
        raise NotFound("This gift card does not exist.", "כרטיס המתנה אינו קיים.")
    return card


@guarded("giftcards.view")
def gift_card_page(staff: StaffUser, card_id: int) -> CardPage:
    with read_session() as session:
        card = _card(session, card_id)
        order = session.get(Order, card.purchase_order_id) if card.purchase_order_id else None
        rows = session.exec(select(GiftCardTransaction).where(GiftCardTransaction.gift_card_id == card.id)
                            .order_by(GiftCardTransaction.id)).all()
        numbers = {o.id: o.number for o in session.exec(select(Order).where(
            Order.id.in_({r.order_id for r in rows if r.order_id})))}
        spent_on = session.exec(select(Order.number).join(GiftCardRedemption, GiftCardRedemption.order_id == Order.id)
                                .where(GiftCardRedemption.gift_card_id == card.id)).all()
        return CardPage(
            id=card.id, code=shown_code(staff, card.code), status=str(card.status), balance=format_money(card.balance),
            initial=format_money(card.initial_amount), recipient_name=card.recipient_name,
            recipient_email=card.recipient_email, recipient_phone=card.recipient_phone, message=card.message,
            buyer=f"{order.name} <{order.email}>" if order else "", order_number=order.number if order else "",
            issued=when(card.issued_at), expires=when(card.expires_at), send_at=when(card.send_at),
            ledger=[LedgerRow(when(r.created_at), r.kind, format_money(r.amount), format_money(r.balance_after),
                              numbers.get(r.order_id, ""), r.note) for r in rows],
            paid_orders=list(spent_on),
        )


def _deliverable(card: GiftCard) -> None:
    if card.status == GiftCardStatus.PENDING or not card.purchase_order_id:
        raise NotAllowed("This card is not paid yet: there is nothing to send.", "הכרטיס טרם שולם: אין מה לשלוח.")


@guarded("giftcards.resend")
def resend_gift_card(staff: StaffUser, card_id: int) -> str:
    """The card again to its recipient (a new message of its own, sent exactly once), audit-logged."""
    with transaction() as session:
        card = lock_card(session, card_id)
        _deliverable(card)
        delivery_id = queue_gift_card_resend(session, session.get(Order, card.purchase_order_id), card)
        audit.record(session, actor_type="staff", actor_id=staff.id, action="gift_card.resent", entity_type="gift_card",
                     entity_id=card.id, delivery_id=delivery_id)
    dispatch([delivery_id])
    return f"The gift card is on its way to {card.recipient_email or card.recipient_phone}."


@guarded("giftcards.change_recipient")
def change_recipient_email(staff: StaffUser, card_id: int, email: str) -> str:
    """Correct the recipient's address ("my gift card did not arrive") and send the card there."""
    address = normalize_email(email)
    with transaction() as session:
        card = lock_card(session, card_id)
        _deliverable(card)
        previous, card.recipient_email = card.recipient_email, address
        session.add(card)
        delivery_id = queue_gift_card_resend(session, session.get(Order, card.purchase_order_id), card)
        audit.record(session, actor_type="staff", actor_id=staff.id, action="gift_card.recipient_changed",
                     entity_type="gift_card", entity_id=card.id, previous=previous, email=address,
                     delivery_id=delivery_id)
    dispatch([delivery_id])
    return f"Recipient changed to {address}; the card was sent there."


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text or len(text) > 500 or "\x00" in text:
        raise ValidationFailed("reason", "Say why (up to 500 characters): finance reads this.",
                               "נא לציין סיבה (עד 500 תווים).")
    return text


@guarded("giftcards.adjust")
def adjust_balance(staff: StaffUser, card_id: int, amount: str, reason: str) -> str:
    """Add (or, with a minus sign, take) shekels on a card, with the reason in the ledger."""
    note = _reason(reason)
    typed = (amount or "").strip()
    sign = -1 if typed.startswith("-") else 1
    value = sign * agorot(typed.lstrip("+-"), "amount", "Amount")
    if value == 0:
        raise ValidationFailed("amount", "Give an amount other than ₪0.", "נא להזין סכום שונה מ־₪0.")
    with transaction() as session:
        card = lock_card(session, card_id)
        if card.status != GiftCardStatus.ACTIVE:
            raise NotAllowed("Only an active card can be adjusted.", "ניתן לעדכן רק כרטיס פעיל.")
        if card.balance + value < 0:
            raise ValidationFailed("amount", f"The card holds only {format_money(card.balance)}.",
                                   f"בכרטיס יש רק {format_money(card.balance)}.")
        move(session, card, "adjust", value, now=utcnow(), staff_user_id=staff.id, note=note)
        audit.record(session, actor_type="staff", actor_id=staff.id, action="gift_card.adjusted",
                     entity_type="gift_card", entity_id=card.id, amount=value, reason=note)
        return f"Balance is now {format_money(card.balance)}."


@guarded("giftcards.void")
def void_card(staff: StaffUser, card_id: int, reason: str) -> str:
    """Cancel a card: its remaining balance leaves through the ledger and it can never pay again."""
    note = _reason(reason)
    with transaction() as session:
        card = lock_card(session, card_id)
        if card.status == GiftCardStatus.VOID:
            raise NotAllowed("This card is already cancelled.", "הכרטיס כבר בוטל.")
        if card.balance:
            move(session, card, "void", -card.balance, now=utcnow(), staff_user_id=staff.id, note=note)
        card.status = GiftCardStatus.VOID
        audit.record(session, actor_type="staff", actor_id=staff.id, action="gift_card.voided",
                     entity_type="gift_card", entity_id=card.id, reason=note)
    return "The card is cancelled."


@guarded("giftcards.extend")
def extend_expiry(staff: StaffUser, card_id: int, until: str, reason: str) -> str:
    """Move a card's expiry later (never earlier: the legal minimum is five years from issue)."""
    note = _reason(reason)
    typed = (until or "").strip()
    moment = venue_moment(typed + "T23:59" if len(typed) == 10 else typed, "until", "New expiry")
    with transaction() as session:
        card = lock_card(session, card_id)
        if card.expires_at is not None and moment <= card.expires_at:
            raise ValidationFailed("until", f"The new date must be after {when(card.expires_at)}.",
                                   "התאריך החדש חייב להיות מאוחר מהנוכחי.")
        previous, card.expires_at = card.expires_at, moment
        session.add(card)
        audit.record(session, actor_type="staff", actor_id=staff.id, action="gift_card.extended",
                     entity_type="gift_card", entity_id=card.id, previous=previous, until=moment, reason=note)
    return f"Valid until {when(moment)}."


@dataclass(frozen=True)
class Liability:
    """What the venue owes on gift cards today: live balances, and what expired unspent."""

    outstanding: int
    cards: int
    expired_unspent: int
    as_of: str


@guarded("reports.view")
def liability(staff: StaffUser, *, on: date | None = None) -> Liability:
    now = utcnow()
    with read_session() as session:
        live = session.exec(select(func.coalesce(func.sum(GiftCard.balance), 0), func.count()).where(
            GiftCard.status == GiftCardStatus.ACTIVE, GiftCard.balance > 0,
            or_(GiftCard.expires_at.is_(None), GiftCard.expires_at > now))).one()
        expired = session.exec(select(func.coalesce(func.sum(GiftCard.balance), 0)).where(
            GiftCard.status == GiftCardStatus.ACTIVE, GiftCard.expires_at <= now)).one()
    return Liability(outstanding=int(live[0]), cards=int(live[1]), expired_unspent=int(expired), as_of=when(now))
