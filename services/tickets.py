"""Ticket issuing: one ticket per entry, each with a unique, unguessable barcode."""

from __future__ import annotations

import secrets

from sqlmodel import Session

from services.models import Order, Ticket

# Crockford-style alphabet: no 0/O or 1/I/L confusion when a barcode is read aloud at the door.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BARCODE_LENGTH = 16  # 31**16 ≈ 7.3e23: guessing a valid one is hopeless


def new_barcode() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(BARCODE_LENGTH))


def issue_tickets(session: Session, order: Order) -> list[Ticket]:
    """Create the order's tickets (one per entry) inside the caller's transaction."""
    tickets = [
        Ticket(order_id=order.id, show_id=order.show_id, tier_id=order.tier_id, barcode=new_barcode(), price=order.unit_price)
        for _ in range(order.quantity)
    ]
    session.add_all(tickets)
    session.flush()
    return tickets
