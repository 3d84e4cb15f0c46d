"""The customer page: details, every order (new and legacy), gift cards, waiting lists and notes."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_
from sqlmodel import select

from services import audit
from services.backoffice.orders import shown_code, when
from services.backoffice.search import _hits
from services.clock import format_money
from services.db import read_session, transaction
from services.errors import NotFound, ValidationFailed
from services.models import (
    Customer,
    CustomerNote,
    GiftCard,
    LegacyId,
    Order,
    Show,
    StaffUser,
    WaitingListEntry,
)
from services.staff.access import guarded
from services.staff.roles import can

MAX_ORDERS = 500


@dataclass(frozen=True)
class GiftCardLine:
    id: int
    code: str
    balance: str
    initial: str
    status: str
    recipient: str
    relation: str


@dataclass(frozen=True)
class WaitingLine:
    show: str
    kind: str
    quantity: int
    created: str
    notified: str


@dataclass(frozen=True)
class NoteLine:
    author: str
    at: str
    body: str


@dataclass(frozen=True)
class CustomerPage:
    id: int
    name: str
    email: str
    phone: str
    id_number: str
    language: str
    marketing: bool
    created: str
    legacy_ids: str
    orders: list = field(default_factory=list)
    gift_cards: list[GiftCardLine] = field(default_factory=list)
    waiting: list[WaitingLine] = field(default_factory=list)
    notes: list[NoteLine] = field(default_factory=list)


@guarded("customers.view")
def customer_page(staff: StaffUser, customer_id: int) -> CustomerPage:
    """Everything we know about one customer; amounts hidden from roles that do not see prices."""
    prices = can(staff.role, "prices.view")
    with read_session() as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound("This customer does not exist.", "הלקוח אינו קיים.")
        orders = session.exec(select(Order).where(Order.customer_id == customer_id)
                              .order_by(Order.created_at.desc()).limit(MAX_ORDERS)).all()
        cards = session.exec(select(GiftCard).where(or_(GiftCard.buyer_customer_id == customer_id,
                                                        GiftCard.recipient_email == customer.email))
                             .order_by(GiftCard.id)).all()
        waiting = session.exec(select(WaitingListEntry).where(or_(WaitingListEntry.customer_id == customer_id,
                                                                  WaitingListEntry.email == customer.email))).all()
        shows = {s.id: s.title_en for s in session.exec(select(Show).where(Show.id.in_({w.show_id for w in waiting})))}
        notes = session.exec(select(CustomerNote).where(CustomerNote.customer_id == customer_id)
                             .order_by(CustomerNote.created_at.desc())).all()
        authors = {s.id: s.name for s in session.exec(select(StaffUser))}
        legacy = session.exec(select(LegacyId.legacy_id).where(LegacyId.entity_type == "customer",
                                                               LegacyId.entity_id == customer_id)).all()
        return CustomerPage(
            id=customer.id, name=customer.name, email=customer.email, phone=customer.phone,
            id_number=customer.id_number, language=customer.language, marketing=customer.marketing_opt_in,
            created=when(customer.created_at), legacy_ids=", ".join(legacy),
            orders=_hits(session, list(orders), {}, staff, []),
            gift_cards=[GiftCardLine(id=c.id, code=shown_code(staff, c.code), balance=format_money(c.balance) if prices else "—",
                                     initial=format_money(c.initial_amount) if prices else "—", status=str(c.status),
                                     recipient=c.recipient_name or c.recipient_email,
                                     relation="bought" if c.buyer_customer_id == customer_id else "received")
                        for c in cards],
            waiting=[WaitingLine(show=shows.get(w.show_id, str(w.show_id)), kind=str(w.kind), quantity=w.quantity,
                                 created=when(w.created_at), notified=when(w.notified_at)) for w in waiting],
            notes=[NoteLine(author=authors.get(n.staff_user_id, "?"), at=when(n.created_at), body=n.body) for n in notes],
        )


@guarded("customers.notes")
def add_note(staff: StaffUser, customer_id: int, body: str) -> None:
    """A note other staff will see on this customer (what was promised, what was checked)."""
    text = (body or "").strip()
    if not text:
        raise ValidationFailed("note", "Write the note first.", "נא לכתוב הערה.")
    if len(text) > 4000:
        raise ValidationFailed("note", "A note can be at most 4000 characters.")
    with transaction() as session:
        if session.get(Customer, customer_id) is None:
            raise NotFound("This customer does not exist.", "הלקוח אינו קיים.")
        session.add(CustomerNote(customer_id=customer_id, staff_user_id=staff.id, body=text))
        audit.record(session, actor_type="staff", actor_id=staff.id, action="customer.note", entity_type="customer",
                     entity_id=customer_id)
