"""Paying with gift cards: reserve at order creation, capture when paid, release when the order ends unpaid.

All of it runs in the caller's order transaction, with each card row locked (in id order, so two orders
using the same two cards never deadlock). The reservation takes the money off the balance at once, so
racing checkouts on one card can never spend more than it holds; capture only marks the reservation
final, and a release or a refund puts money back through the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from services.db import read_session
from services.errors import ValidationFailed
from services.giftcards.codes import format_code, normalize_code
from services.giftcards.ledger import lock_card, move
from services.giftcards.rules import GiftCardRefused, refuse_unusable
from services.models import GiftCard, GiftCardRedemption, RedemptionStatus
from services.security import ratelimit

MAX_CARDS_PER_ORDER = 2


def distinct_codes(codes: list[str]) -> list[str]:
    """The typed codes in their stored form, duplicates dropped; at most two cards pay one order."""
    seen: list[str] = []
    for typed in codes:
        if not (typed or "").strip():
            continue
        code = normalize_code(typed)
        if not code:
            raise GiftCardRefused("We could not find a gift card with this code. Please check it and try again.",
                                  "לא מצאנו כרטיס מתנה עם הקוד הזה. נא לבדוק ולנסות שוב.")
        if code not in seen:
            seen.append(code)
    if len(seen) > MAX_CARDS_PER_ORDER:
        raise ValidationFailed("gift_card", "Up to two gift cards can pay one order.",
                               "ניתן לשלם בעד שני כרטיסי מתנה בהזמנה אחת.")
    return seen


@dataclass(frozen=True)
class CardUse:
    """One card's share of an order, as the purchase form shows it before the order is made."""

    code: str
    shown_code: str
    balance: int
    take: int


def plan(codes: list[str], total: int, *, now: datetime, caps: dict[str, int] | None = None) -> list[CardUse]:
    """How the cards would pay `total`, in the order typed; read-only (the form shows it, nothing is held).

    `caps` limits what a card gives (by stored code, agorot): "use ₪50 of it now, keep the rest".
    """
    caps = {normalize_code(code): cap for code, cap in (caps or {}).items()}
    uses: list[CardUse] = []
    with read_session() as session:
        for code in distinct_codes(codes):
            card = refuse_unusable(session.exec(select(GiftCard).where(GiftCard.code == code)).first(), now)
            take = min(card.balance, total - sum(use.take for use in uses), caps.get(code, card.balance))
            uses.append(CardUse(code, format_code(code), card.balance, max(take, 0)))
    return uses


def plan_for_checkout(codes: list[str], total: int, *, client: str, now: datetime,
                      caps: dict[str, int] | None = None) -> list[CardUse]:
    """`plan` for the public purchase form: rate-limited per client first, since it tells a code is real."""
    ratelimit.hit("gift_card_check_ip", client)
    return plan(codes, total, now=now, caps=caps)


def typed_cap(typed: str | None) -> int | None:
    """The optional "amount to use" of the purchase form, whole shekels, as agorot (None: as much as fits)."""
    text = (typed or "").strip().replace("₪", "")
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= 100_000:
        raise ValidationFailed("gift_card", "Enter the amount to use in whole shekels, or leave it empty.",
                               "יש להזין סכום לשימוש בשקלים שלמים, או להשאיר ריק.")
    return int(text) * 100


def reserve(session: Session, *, order_id: int, uses: list[tuple[str, int]], now: datetime) -> int:
    """Reserve exactly the planned amounts (code, agorot) for an order; returns their sum.

    The buyer agreed to a split they were shown: when a card no longer holds its share (another checkout
    spent it meanwhile), the whole order is refused and nothing is taken, rather than charging the
    buyer's card a surprise difference.
    """
    wanted = {normalize_code(code): amount for code, amount in uses if amount > 0}
    if not wanted:
        return 0
    cards = {card.code: card for card in session.exec(
        select(GiftCard).where(GiftCard.code.in_(list(wanted))).order_by(GiftCard.id).with_for_update()).all()}
    for code, amount in wanted.items():
        card = refuse_unusable(cards.get(code), now)
        if card.balance < amount:
            raise GiftCardRefused(
                "The gift card's balance has changed since you applied it. Please apply it again.",
                "יתרת כרטיס המתנה השתנתה מאז שהוזן. נא להזין אותו שוב.",
            )
        move(session, card, "reserve", -amount, now=now, order_id=order_id)
        session.add(GiftCardRedemption(gift_card_id=card.id, order_id=order_id, amount=amount, created_at=now,
                                       updated_at=now))
    session.flush()
    return sum(wanted.values())


def _redemptions(session: Session, order_id: int, status: RedemptionStatus | None = None) -> list[GiftCardRedemption]:
    query = select(GiftCardRedemption).where(GiftCardRedemption.order_id == order_id)
    if status is not None:
        query = query.where(GiftCardRedemption.status == status)
    return list(session.exec(query.order_by(GiftCardRedemption.gift_card_id)).all())


def capture(session: Session, order_id: int, *, now: datetime) -> bool:
    """Make the order's reservations final; False when a released one can no longer be taken again.

    A payment can arrive after its order expired and released the cards (a late approval): the money is
    then taken again if the card still holds it; otherwise the caller flags the order for staff.
    """
    complete = True
    for redemption in _redemptions(session, order_id):
        if redemption.status == RedemptionStatus.CAPTURED:
            continue
        if redemption.status == RedemptionStatus.RELEASED:
            card = lock_card(session, redemption.gift_card_id)
            if card.balance < redemption.amount:
                complete = False
                continue
            move(session, card, "reserve", -redemption.amount, now=now, order_id=order_id, note="late payment")
        redemption.status, redemption.updated_at = RedemptionStatus.CAPTURED, now
        session.add(redemption)
    session.flush()
    return complete


def release(session: Session, order_id: int, *, now: datetime, reason: str) -> int:
    """Give every open reservation of an order back to its card; returns the agorot released."""
    released = 0
    for redemption in _redemptions(session, order_id, RedemptionStatus.RESERVED):
        card = lock_card(session, redemption.gift_card_id)
        move(session, card, "release", redemption.amount, now=now, order_id=order_id, note=reason)
        redemption.status, redemption.updated_at = RedemptionStatus.RELEASED, now
        session.add(redemption)
        released += redemption.amount
    session.flush()
    return released


def refund(session: Session, order_id: int, amount: int | None, *, now: datetime,
           staff_user_id: int | None = None, note: str = "") -> int:
    """Put up to `amount` (None: everything) of an order's captured card payments back on the cards.

    The last card used is refilled first. Returns the agorot put back.
    """
    returned = 0
    for redemption in reversed(_redemptions(session, order_id, RedemptionStatus.CAPTURED)):
        room = redemption.amount - redemption.refunded
        take = room if amount is None else min(room, amount - returned)
        if take <= 0:
            continue
        card = lock_card(session, redemption.gift_card_id)
        move(session, card, "refund", take, now=now, order_id=order_id, staff_user_id=staff_user_id, note=note)
        redemption.refunded += take
        redemption.updated_at = now
        session.add(redemption)
        returned += take
    session.flush()
    return returned


def refundable(session: Session, order_id: int) -> int:
    """What of an order's card payments could still go back to the cards."""
    return sum(r.amount - r.refunded for r in _redemptions(session, order_id, RedemptionStatus.CAPTURED))
