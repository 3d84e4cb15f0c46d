"""Human-readable order numbers: B-100042, derived from the row id so they never collide."""

from __future__ import annotations

import secrets

from sqlmodel import Session

from services.models import Order

ORDER_NUMBER_PREFIX = "B-"
_OFFSET = 100000


def assign_order_number(session: Session, order: Order) -> Order:
    """Insert the order and give it its number, in the caller's transaction."""
    order.number = f"tmp-{secrets.token_hex(6)}"
    session.add(order)
    session.flush()
    order.number = f"{ORDER_NUMBER_PREFIX}{_OFFSET + order.id}"
    session.flush()
    return order
