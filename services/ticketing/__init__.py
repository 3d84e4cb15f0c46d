"""Ticketing: the one place that decides what a visitor may buy, and the holds that reserve it.

Pages, the back office, the chatbot and payments call these; nothing else decides availability.
"""

from services.ticketing.inventory import (
    claim_hold_for_customer,
    convert_hold,
    normalize_customer_key,
    release_expired_holds,
    release_hold,
    return_to_sale,
    take_hold,
)
from services.ticketing.state import ACTION_MESSAGES, Access, ShowState, TierOffer, public_state, show_state

__all__ = [
    "ACTION_MESSAGES", "Access", "ShowState", "TierOffer", "claim_hold_for_customer", "convert_hold", "normalize_customer_key",
    "public_state", "release_expired_holds", "release_hold", "return_to_sale", "show_state", "take_hold",
]
