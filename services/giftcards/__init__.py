"""Gift cards: codes, the ledger, spending (reserve / capture / release / refund) and the owner's view.

Money rules: every balance change is a ledger row written by `ledger.move` inside the caller's
transaction with the card row locked; the ledger always sums to the balance; a balance never goes
below zero. Orders (buying a card, paying with one) live in `services.orders`, which calls this room.
"""

from services.giftcards.cards import (
    CardBalance,
    Recipient,
    check_balance,
    create_pending,
    issue_for_order,
    purchase_refundable,
    restore_purchase_refund,
    withdraw_for_purchase_refund,
)
from services.giftcards.codes import format_code, mask_code, new_code, normalize_code
from services.giftcards.rules import VALIDITY_YEARS, GiftCardRefused, expiry_for

__all__ = [
    "VALIDITY_YEARS", "CardBalance", "GiftCardRefused", "Recipient", "check_balance", "create_pending",
    "expiry_for", "format_code", "issue_for_order", "mask_code", "new_code", "normalize_code",
    "purchase_refundable", "restore_purchase_refund", "withdraw_for_purchase_refund",
]
