"""The one way a card's balance changes: a ledger row and the new balance, in the caller's transaction.

Every movement goes through `move`, so the ledger always sums to the balance; the CHECK on the table
refuses a balance below zero even if a rule above were ever wrong.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from services.errors import NotFound
from services.models import GiftCard, GiftCardTransaction


def move(session: Session, card: GiftCard, kind: str, amount: int, *, now: datetime, order_id: int | None = None,
         staff_user_id: int | None = None, note: str = "") -> GiftCardTransaction:
    """Add `amount` (negative to take) to a card locked by the caller, and write it down."""
    card.balance += amount
    entry = GiftCardTransaction(gift_card_id=card.id, order_id=order_id, kind=kind, amount=amount,
                                balance_after=card.balance, staff_user_id=staff_user_id, note=note[:500],
                                created_at=now)
    session.add(card)
    session.add(entry)
    session.flush()
    return entry


def lock_card(session: Session, card_id: int) -> GiftCard:
    """The card row, locked for this transaction (concurrent spends of one card take turns)."""
    card = session.exec(select(GiftCard).where(GiftCard.id == card_id).with_for_update()).first()
    if card is None:
        raise NotFound("Gift card not found.", "כרטיס המתנה לא נמצא.")
    return card
