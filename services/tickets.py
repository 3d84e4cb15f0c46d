"""Ticket issuing: one ticket per entry, each with a unique, unguessable barcode; voiding and reissuing."""

from __future__ import annotations

import secrets

from sqlmodel import Session, select

from services.audit import record
from services.errors import NotAllowed
from services.models import Order, Ticket, TicketStatus, utcnow

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


def void_ticket(session: Session, ticket: Ticket, *, actor_type: str = "staff", actor_id: str = "",
                reason: str = "") -> Ticket:
    """Invalidate a ticket: its barcode stops admitting anyone. Audit-logged, in the caller's transaction."""
    if ticket.status == TicketStatus.VOID:
        return ticket
    ticket.status = TicketStatus.VOID
    ticket.voided_at = utcnow()
    session.add(ticket)
    record(session, actor_type=actor_type, actor_id=actor_id, action="ticket.voided", entity_type="ticket",
           entity_id=ticket.id, order_id=ticket.order_id, barcode=ticket.barcode, reason=reason)
    session.flush()
    return ticket


def reissue_ticket(session: Session, ticket: Ticket, *, actor_type: str = "staff", actor_id: str = "",
                   reason: str = "") -> Ticket:
    """Replace a ticket (e.g. its code was shared): the old barcode is voided, a new one issued.

    The new ticket points back at the one it replaces, so the door and the back office can explain
    why an old code is refused. Send the order again afterwards (services.delivery.resend_order).
    """
    if ticket.status != TicketStatus.VALID:
        raise NotAllowed("Only a valid ticket can be reissued.", "ניתן להנפיק מחדש רק כרטיס בתוקף.")
    void_ticket(session, ticket, actor_type=actor_type, actor_id=actor_id, reason=reason or "reissued")
    replacement = Ticket(order_id=ticket.order_id, show_id=ticket.show_id, tier_id=ticket.tier_id,
                         barcode=new_barcode(), price=ticket.price, seat_label=ticket.seat_label,
                         replaces_ticket_id=ticket.id)
    session.add(replacement)
    session.flush()
    record(session, actor_type=actor_type, actor_id=actor_id, action="ticket.reissued", entity_type="ticket",
           entity_id=replacement.id, order_id=ticket.order_id, replaces_ticket_id=ticket.id)
    return replacement


def admissible_ticket(session: Session, barcode: str) -> Ticket | None:
    """The ticket a scanned code admits, or None (unknown, voided or already used)."""
    code = barcode.strip().upper()
    return session.exec(select(Ticket).where(Ticket.barcode == code, Ticket.status == TicketStatus.VALID)).first()
