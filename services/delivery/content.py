"""What an order's delivery says: the facts loaded once, then turned into PDF cards, email and SMS.

Everything a message needs is read into an `OrderView` in one short read, so rendering and
sending never hold a database transaction open while SMTP or a gateway is slow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from services.clock import format_date, format_money, format_time
from services.delivery import documents
from services.delivery.documents import Card, Document
from services.delivery.texts import instructions, text
from services.errors import NotFound
from services.giftcards import format_code
from services.media import show_image_path
from services.models import GiftCard, Order, OrderKind, Show, Ticket, TicketStatus, TicketTier


@dataclass(frozen=True)
class TicketLine:
    barcode: str
    price: int
    seat: str


@dataclass(frozen=True)
class OrderView:
    """An order as its customer sees it, in their language."""

    order_id: int
    number: str
    kind: str
    status: str
    language: str
    name: str
    email: str
    phone: str
    created: datetime
    show_title: str = ""
    show_date: str = ""
    doors: str = ""
    tier_name: str = ""
    min_age: int = 0
    image: Path | None = None
    tickets: list[TicketLine] = field(default_factory=list)
    gift_cards: list[GiftCard] = field(default_factory=list)


def load_order_view(session: Session, order_id: int) -> OrderView:
    """Read the order, its show, tier and live (not void) tickets."""
    order = session.get(Order, order_id)
    if order is None:
        raise NotFound(f"Order {order_id} does not exist.", f"הזמנה {order_id} לא קיימת.")
    language = "he" if order.language == "he" else "en"
    base = dict(
        order_id=order.id, number=order.number, kind=str(order.kind), status=str(order.status), language=language,
        name=order.name, email=order.email, phone=order.phone, created=order.paid_at or order.created_at,
    )
    if order.kind == OrderKind.GIFT_CARD:
        cards = session.exec(select(GiftCard).where(GiftCard.purchase_order_id == order.id).order_by(GiftCard.id)).all()
        return OrderView(**base, show_title=text(language, "venue"), gift_cards=list(cards))
    show = session.get(Show, order.show_id) if order.show_id else None
    if show is None:
        raise NotFound(f"Order {order.number} has no show.", f"להזמנה {order.number} אין הופעה.")
    tier = session.get(TicketTier, order.tier_id) if order.tier_id else None
    tickets = session.exec(
        select(Ticket).where(Ticket.order_id == order.id, Ticket.status != TicketStatus.VOID).order_by(Ticket.id)
    ).all()
    image = show_image_path(show.image)
    return OrderView(
        **base,
        show_title=show.title_he if language == "he" else show.title_en,
        show_date=format_date(show.starts_at, language),
        doors=format_time(show.doors_at),
        tier_name=(tier.name_he if language == "he" else tier.name_en) if tier else "",
        image=image,
        min_age=show.min_age,
        tickets=[TicketLine(t.barcode, t.price, t.seat_label) for t in tickets],
    )


def ticket_cards(view: OrderView) -> list[Card]:
    """One card per ticket: the page the door scans."""
    lang = view.language
    count = len(view.tickets)
    cards = []
    for index, ticket in enumerate(view.tickets, start=1):
        fields = [
            (text(lang, "date"), view.show_date),
            (text(lang, "doors"), view.doors),
            (text(lang, "tier"), view.tier_name),
            (text(lang, "price"), format_money(ticket.price)),
            (text(lang, "order_number"), view.number),
            (text(lang, "customer"), view.name),
        ]
        if ticket.seat:
            fields.append((text(lang, "seat"), ticket.seat))
        if view.min_age:
            fields.append((text(lang, "age_limit"), f"{view.min_age}+"))
        cards.append(Card(
            title=view.show_title, qr_value=ticket.barcode, fields=fields,
            badge=text(lang, "ticket_of", index=index, count=count), image=view.image,
            notes_title=text(lang, "instructions_title"), notes=instructions(lang, view.min_age), footer=text(lang, "footer"),
        ))
    return cards


def gift_card_cards(view: OrderView) -> list[Card]:
    """One card per gift card bought in the order; the QR carries the card's code.

    The issue and expiry dates are printed: Israeli consumer law lets a voucher expire only when both
    are stated on it (see services.giftcards.rules).
    """
    lang = view.language
    he = lang == "he"
    title = "כרטיס מתנה" if he else "Gift card"
    return [
        Card(
            title=title, qr_value=card.code, badge=view.number, footer=text(lang, "footer"),
            fields=[("קוד" if he else "Code", format_code(card.code)),
                    ("סכום" if he else "Amount", format_money(card.initial_amount)),
                    ("עבור" if he else "For", card.recipient_name or view.name),
                    ("תאריך הנפקה" if he else "Issued", format_date(card.issued_at, lang) if card.issued_at else ""),
                    ("בתוקף עד" if he else "Valid until", format_date(card.expires_at, lang) if card.expires_at else ""),
                    (text(lang, "order_number"), view.number)]
            + ([("הקדשה" if he else "Message", card.message)] if card.message else []),
        )
        for card in view.gift_cards
    ]


def order_document(view: OrderView) -> Document:
    cards = gift_card_cards(view) if view.kind == OrderKind.GIFT_CARD else ticket_cards(view)
    return Document(language=view.language, title=f"Barby {view.number}", created=view.created, cards=cards)


def pdf_filename(view: OrderView) -> str:
    return f"barby-{view.number}.pdf"


def render_order_pdf(view: OrderView) -> bytes:
    """The order's PDF; the same tickets always give the same bytes (the download link relies on it)."""
    return documents.render(order_document(view))
