"""When a card may be spent, and how long it is valid.

Validity: Israel's Consumer Protection Law 5741-1981, as amended by Amendment 36 (2014, passed by the
Knesset on 6 January 2014), lets an issuer of gift vouchers limit their validity only if the voucher
clearly states its issue date and expiry date, and the validity may not be shorter than five years from
issue. So a Barby card is valid for exactly five years from the day it is issued (paid for), and its PDF
and emails print both dates. Staff may extend a card, never shorten it below that.
"""

from __future__ import annotations

from datetime import datetime

from services.clock import format_date
from services.errors import BarbyError
from services.models import GiftCard, GiftCardStatus

VALIDITY_YEARS = 5


class GiftCardRefused(BarbyError):
    """A code that cannot pay: each reason has its own clear message."""

    code = "gift_card_refused"


def expiry_for(issued_at: datetime) -> datetime:
    """Five years to the day after issue (29 February issues expire on 28 February)."""
    try:
        return issued_at.replace(year=issued_at.year + VALIDITY_YEARS)
    except ValueError:
        return issued_at.replace(year=issued_at.year + VALIDITY_YEARS, day=28)


def refuse_unusable(card: GiftCard | None, now: datetime) -> GiftCard:
    """The card if it can pay now; otherwise the reason, in Hebrew and English."""
    if card is None or card.status == GiftCardStatus.PENDING:
        raise GiftCardRefused("We could not find a gift card with this code. Please check it and try again.",
                              "לא מצאנו כרטיס מתנה עם הקוד הזה. נא לבדוק ולנסות שוב.")
    if card.status == GiftCardStatus.VOID:
        raise GiftCardRefused("This gift card has been cancelled and can no longer be used.",
                              "כרטיס המתנה בוטל ולא ניתן להשתמש בו.")
    if card.expires_at is not None and card.expires_at <= now:
        raise GiftCardRefused(f"This gift card expired on {format_date(card.expires_at, 'en')}.",
                              f"תוקף כרטיס המתנה פג ב־{format_date(card.expires_at, 'he')}.")
    if card.balance <= 0:
        raise GiftCardRefused("This gift card has no balance left.", "לא נותרה יתרה בכרטיס המתנה.")
    return card
