"""A card's life outside checkout: bought (pending), issued when its order is paid, looked up by its owner.

Purchase orders themselves are made by `services.orders` (a gift-card order is an order like any other);
this module only creates and activates the card rows, so the money path stays in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from services.clock import format_date
from services.db import read_session
from services.giftcards.codes import format_code, new_code, normalize_code
from services.giftcards.ledger import move
from services.giftcards.rules import GiftCardRefused, expiry_for
from services.models import GiftCard, GiftCardStatus, GiftCardTransaction
from services.security import ratelimit


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    phone: str
    message: str
    send_at: datetime | None


def create_pending(session: Session, *, order_id: int, amount: int, recipient: Recipient, language: str,
                   now: datetime) -> GiftCard:
    """The card a gift-card order will issue: a code already, but no balance until it is paid."""
    for _attempt in range(5):  # a code collision is ~impossible (79 bits); never let it fail an order
        code = new_code()
        if session.exec(select(GiftCard.id).where(GiftCard.code == code)).first() is None:
            break
    card = GiftCard(code=code, initial_amount=amount, balance=0, status=GiftCardStatus.PENDING,
                    purchase_order_id=order_id, recipient_name=recipient.name, recipient_email=recipient.email,
                    recipient_phone=recipient.phone, message=recipient.message, send_at=recipient.send_at,
                    language=language, created_at=now)
    session.add(card)
    session.flush()
    return card


def issue_for_order(session: Session, order_id: int, *, buyer_customer_id: int | None, now: datetime) -> list[int]:
    """Activate the order's cards exactly once: balance, five-year expiry, an "issue" ledger row."""
    cards = session.exec(select(GiftCard).where(GiftCard.purchase_order_id == order_id)
                         .order_by(GiftCard.id).with_for_update()).all()
    issued = []
    for card in cards:
        if card.status != GiftCardStatus.PENDING:
            continue
        card.status, card.issued_at, card.expires_at = GiftCardStatus.ACTIVE, now, expiry_for(now)
        card.buyer_customer_id = buyer_customer_id
        move(session, card, "issue", card.initial_amount, now=now, order_id=order_id)
        issued.append(card.id)
    return issued


@dataclass(frozen=True)
class LedgerLine:
    when: str
    kind: str
    amount: int
    balance_after: int


@dataclass(frozen=True)
class CardBalance:
    """What the owner of a card sees: never more than the balance, the dates and the movements."""

    code: str = ""
    balance: int = 0
    initial_amount: int = 0
    issued: str = ""
    expires: str = ""
    expired: bool = False
    void: bool = False
    history: list[LedgerLine] = field(default_factory=list)


NOT_FOUND = GiftCardRefused(
    "We could not find a gift card with this code and email address.",
    "לא מצאנו כרטיס מתנה עם הקוד וכתובת הדוא״ל האלה.",
)


def check_balance(code: str, email: str, *, client: str, language: str = "he", now: datetime) -> CardBalance:
    """The balance page: the code plus the recipient's (or buyer's) email; every refusal looks the same.

    Rate-limited per client before any lookup, so guessing codes costs the guesser, not the database.
    """
    ratelimit.hit("gift_card_check_ip", client)
    stored, address = normalize_code(code), (email or "").strip().lower()
    if not stored or "@" not in address:
        raise NOT_FOUND
    with read_session() as session:
        card = session.exec(select(GiftCard).where(GiftCard.code == stored)).first()
        if card is None or card.status == GiftCardStatus.PENDING or address not in _owners(session, card):
            raise NOT_FOUND
        return balance_view(session, card, language, now)


def _owners(session: Session, card: GiftCard) -> set[str]:
    from services.models import Order  # the buyer may check the card they gave, too

    owners = {card.recipient_email.strip().lower()} if card.recipient_email else set()
    if card.purchase_order_id:
        order = session.get(Order, card.purchase_order_id)
        if order is not None and order.email:
            owners.add(order.email.strip().lower())
    return owners


def balance_view(session: Session, card: GiftCard, language: str, now: datetime) -> CardBalance:
    rows = session.exec(select(GiftCardTransaction).where(GiftCardTransaction.gift_card_id == card.id)
                        .order_by(GiftCardTransaction.id)).all()
    return CardBalance(
        code=format_code(card.code), balance=card.balance, initial_amount=card.initial_amount,
        issued=format_date(card.issued_at, language) if card.issued_at else "",
        expires=format_date(card.expires_at, language) if card.expires_at else "",
        expired=card.expires_at is not None and card.expires_at <= now, void=card.status == GiftCardStatus.VOID,
        history=[LedgerLine(format_date(row.created_at, language), row.kind, row.amount, row.balance_after)
                 for row in rows],
    )


def _purchased(session: Session, order_id: int) -> list[GiftCard]:
    return list(session.exec(select(GiftCard).where(GiftCard.purchase_order_id == order_id)
                             .order_by(GiftCard.id).with_for_update()).all())


def purchase_refundable(session: Session, order_id: int) -> int:
    """What a refund of a gift-card purchase may return: only what its cards still hold unspent."""
    return sum(card.balance for card in _purchased(session, order_id) if card.status == GiftCardStatus.ACTIVE)


def withdraw_for_purchase_refund(session: Session, order_id: int, amount: int, *, now: datetime,
                                 staff_user_id: int | None) -> None:
    """Take a refunded purchase's money off its card before the provider pays it back (never spent twice).

    A card left with nothing is voided: cancelling an unused card's order voids it.
    """
    left = amount
    for card in _purchased(session, order_id):
        take = min(card.balance, left) if card.status == GiftCardStatus.ACTIVE else 0
        if take:
            move(session, card, "cancel", -take, now=now, order_id=order_id, staff_user_id=staff_user_id,
                 note="purchase refunded")
            if card.balance == 0:
                card.status = GiftCardStatus.VOID
            left -= take
    if left:
        raise GiftCardRefused("Only the unspent balance of a gift card can be refunded.",
                              "ניתן לזכות רק את היתרה שלא נוצלה בכרטיס המתנה.")


def restore_purchase_refund(session: Session, order_id: int, amount: int, *, now: datetime) -> None:
    """The provider refused the refund: the money taken off the purchase's card goes back on it."""
    cards = _purchased(session, order_id)
    if cards and amount:
        card = cards[0]
        card.status = GiftCardStatus.ACTIVE
        move(session, card, "cancel", amount, now=now, order_id=order_id, note="refund refused by the provider")
