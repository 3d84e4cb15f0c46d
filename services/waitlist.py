"""Waiting lists and sale-opening registrations: leave your details, hear when tickets come."""

from __future__ import annotations

from sqlmodel import select

from services.customers import normalize_email, normalize_phone
from services.db import transaction
from services.errors import NotAllowed, ValidationFailed
from services.models import Show, WaitingKind, WaitingListEntry
from services.ticketing import show_state

_KIND_FOR_ACTION = {"waiting_list": WaitingKind.WAITING_LIST, "registration": WaitingKind.REGISTRATION}


def join(*, show_id: int, name: str, email: str, phone: str = "", quantity: int = 1,
         language: str = "he") -> WaitingListEntry:
    """Add the visitor to the list the ticket engine currently offers for the show.

    Joining twice with the same email updates the entry rather than adding a second one.
    """
    if not name.strip():
        raise ValidationFailed("name", "Please enter your name.", "נא להזין שם.")
    email = normalize_email(email)
    phone = normalize_phone(phone) if phone.strip() else ""
    if not 1 <= quantity <= 10:
        raise ValidationFailed("quantity", "Choose between 1 and 10 tickets.", "נא לבחור בין 1 ל־10 כרטיסים.")
    kind = _KIND_FOR_ACTION.get(show_state(show_id).action)
    if kind is None:
        raise NotAllowed("This show has no waiting list right now.", "להופעה זו אין כרגע רשימת המתנה.")
    with transaction() as session:
        if session.get(Show, show_id) is None:
            raise NotAllowed("This show has no waiting list right now.", "להופעה זו אין כרגע רשימת המתנה.")
        entry = session.exec(select(WaitingListEntry).where(
            WaitingListEntry.show_id == show_id, WaitingListEntry.email == email, WaitingListEntry.kind == kind,
        )).first() or WaitingListEntry(show_id=show_id, email=email, kind=kind, name=name)
        entry.name, entry.phone, entry.quantity, entry.language = name.strip(), phone, quantity, language
        session.add(entry)
        session.flush()
        return entry
