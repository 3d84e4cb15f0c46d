"""Order search: one box that finds orders by number (new or legacy), customer name, email, phone,
show id or name, ticket barcode, payment reference or gift-card code, with filters and paging.

Every kind is one indexed lookup (see alembic 0002): exact identifiers are tried first, each via
its own index, and yield a short list of order ids; only when none matches is the text read as a
partial name or show title (trigram indexes). Pages are fetched with LIMIT/OFFSET (+1 row to know
whether a next page exists), never by counting or loading everything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import or_
from sqlmodel import Session, select

from services.clock import VENUE_TZ, format_money, local
from services.customers import phone_search_key
from services.db import read_session
from services.errors import ValidationFailed
from services.giftcards import normalize_code
from services.models import (
    Customer,
    GiftCard,
    GiftCardTransaction,
    LegacyId,
    Order,
    OrderStatus,
    Payment,
    Show,
    StaffUser,
    Ticket,
)
from services.staff.access import guarded
from services.staff.roles import can

PAGE_SIZE = 25
EXACT_CAP = 2000  # an identifier never matches more orders than this; a show id may, and is paged
_NUMBER = re.compile(r"^[Bb]-?\s?(\d{5,9})$")
_TOKEN = re.compile(r"^[A-Za-z0-9_\-.:]{4,100}$")
_HAS_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Filters:
    show_id: int | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class OrderHit:
    id: int
    number: str
    legacy_number: str
    created: str
    name: str
    email: str
    phone: str
    show: str
    status: str
    quantity: int
    total: str
    matched_by: str
    customer_id: int


@dataclass(frozen=True)
class SearchResult:
    hits: list[OrderHit]
    page: int
    has_next: bool
    kinds: list[str] = field(default_factory=list)


def parse_filters(show_id: str = "", status: str = "", date_from: str = "", date_to: str = "") -> Filters:
    """Filters from the form's text; a bad value is refused with a message, never silently ignored."""
    def day(value: str, name: str) -> date | None:
        try:
            return date.fromisoformat(value.strip()) if value.strip() else None
        except ValueError as error:
            raise ValidationFailed(name, "Dates must look like 2026-12-31.", "תאריך בפורמט 2026-12-31.") from error

    if show_id.strip() and not show_id.strip().isdigit():
        raise ValidationFailed("show_id", "The show filter must be a show id.")
    if status.strip() and status.strip() not in set(OrderStatus):
        raise ValidationFailed("status", f"Status must be one of: {', '.join(OrderStatus)}.")
    return Filters(int(show_id) if show_id.strip() else None, status.strip() or None,
                   day(date_from, "date_from"), day(date_to, "date_to"))


def _ids(session: Session, statement) -> list[int]:
    return [row for row in session.exec(statement.limit(EXACT_CAP)).all() if row is not None]


def exact_matches(session: Session, query: str) -> dict[str, list[int]]:
    """Order ids per identifier kind the query could be; each kind is a single index probe."""
    q = query.strip()
    found: dict[str, list[int]] = {}
    if number := _NUMBER.match(q.replace(" ", "")):
        found["order number"] = _ids(session, select(Order.id).where(Order.number == f"B-{number.group(1)}"))
    if _TOKEN.match(q):
        legacy = select(LegacyId.entity_id).where(LegacyId.legacy_id == q, LegacyId.entity_type == "order")
        found["legacy order number"] = _ids(session, legacy)
        found["ticket barcode"] = _ids(session, select(Ticket.order_id).where(Ticket.barcode == q.upper()))
        found["payment reference"] = _ids(session, select(Payment.order_id).where(
            or_(Payment.provider_transaction_id == q, Payment.page_request_uid == q)))
    if code := normalize_code(q):  # typed with dashes, spaces or in lower case: still the card
        card = session.exec(select(GiftCard).where(GiftCard.code == code)).first()
        if card is not None:
            used = _ids(session, select(GiftCardTransaction.order_id).where(GiftCardTransaction.gift_card_id == card.id))
            found["gift card"] = sorted({*filter(None, used), *([card.purchase_order_id] if card.purchase_order_id else [])})
    if "@" in q:
        email = q.lower()
        found["email"] = _ids(session, select(Order.id).where(Order.email == email)) + _ids(
            session, select(Order.id).join(Customer, Customer.id == Order.customer_id).where(Customer.email == email))
    if (phone := phone_search_key(q)) is not None:
        found["phone"] = _ids(session, select(Order.id).where(Order.phone == phone)) + _ids(
            session, select(Order.id).join(Customer, Customer.id == Order.customer_id).where(Customer.phone == phone))
    if q.isdigit() and len(q) <= 7 and session.get(Show, int(q)) is not None:
        found["show id"] = [-int(q)]  # marker: filtered by show_id below rather than listing ids
    return {kind: ids for kind, ids in found.items() if ids}


LIKE_ESCAPE = "\\"


def _escaped(text: str) -> str:
    """`text` as a literal inside a LIKE pattern (with ESCAPE LIKE_ESCAPE): staff typing % or _ mean the character."""
    return text.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")


def contains(column, text: str):
    """`column` contains `text` literally, ignoring case. The ESCAPE clause is spelled out because SQLite,
    unlike PostgreSQL, has no default escape character (there a \\% would still be a wildcard)."""
    return column.ilike("%" + _escaped(text) + "%", escape=LIKE_ESCAPE)


def show_matches(text: str):
    """A show whose title (in either language) or artist contains `text`: the show list and order search."""
    return or_(contains(Show.title_he, text), contains(Show.title_en, text), contains(Show.artist, text))


def _filtered(statement, filters: Filters):
    if filters.show_id is not None:
        statement = statement.where(Order.show_id == filters.show_id)
    if filters.status:
        statement = statement.where(Order.status == filters.status)
    if filters.date_from:
        start = datetime.combine(filters.date_from, datetime.min.time(), VENUE_TZ).astimezone(UTC)
        statement = statement.where(Order.created_at >= start)
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), datetime.min.time(), VENUE_TZ).astimezone(UTC)
        statement = statement.where(Order.created_at < end)
    return statement


def find_orders(session: Session, query: str, filters: Filters = Filters(), *, page: int = 1,
                page_size: int = PAGE_SIZE) -> tuple[list[Order], bool, dict[int, str], list[str]]:
    """One page of matching orders, newest first: (orders, has_next, matched kind per id, kinds used)."""
    q = (query or "").strip()
    statement = select(Order)
    matched: dict[int, str] = {}
    kinds: list[str] = []
    if q:
        exact = exact_matches(session, q)
        if exact:
            kinds = list(exact)
            ids = {i for kind, found in exact.items() if kind != "show id" for i in found}
            for kind, found in exact.items():
                matched.update({i: kind for i in found if i > 0 and i not in matched})
            conditions = [Order.id.in_(sorted(ids))] if ids else []
            if "show id" in exact:
                conditions.append(Order.show_id == int(q))
            statement = statement.where(or_(*conditions))
        elif _HAS_LETTER.search(q) and len(q) >= 2:
            kinds = ["name", "show name"]
            show_ids = session.exec(select(Show.id).where(show_matches(q))).all()
            conditions = [contains(Order.name, q)]
            if " " not in q:  # it may be the start of an email address
                kinds.append("email (starts with)")
                conditions.append(Order.email.like(_escaped(q.lower()) + "%", escape=LIKE_ESCAPE))
            if show_ids:
                conditions.append(Order.show_id.in_(list(show_ids)))
            statement = statement.where(or_(*conditions))
        else:
            return [], False, {}, []
    statement = _filtered(statement, filters).order_by(Order.created_at.desc(), Order.id.desc())
    rows = session.exec(statement.offset((page - 1) * page_size).limit(page_size + 1)).all()
    return list(rows[:page_size]), len(rows) > page_size, matched, kinds


def _hits(session: Session, orders: list[Order], matched: dict[int, str], staff: StaffUser | None,
          kinds: list[str]) -> list[OrderHit]:
    ids = [o.id for o in orders]
    legacy = dict(session.exec(select(LegacyId.entity_id, LegacyId.legacy_id).where(
        LegacyId.entity_type == "order", LegacyId.entity_id.in_(ids))).all()) if ids else {}
    show_ids = {o.show_id for o in orders if o.show_id}
    shows = {s.id: s for s in session.exec(select(Show).where(Show.id.in_(show_ids)))} if show_ids else {}
    prices = staff is None or can(staff.role, "prices.view")
    default_kind = " / ".join(kinds)
    return [
        OrderHit(
            id=o.id, number=o.number, legacy_number=legacy.get(o.id, ""), created=f"{local(o.created_at):%d.%m.%Y %H:%M}",
            name=o.name, email=o.email, phone=o.phone,
            show=shows[o.show_id].title_en if o.show_id in shows else ("Gift card" if o.kind == "gift_card" else ""),
            status=str(o.status), quantity=o.quantity, total=format_money(o.total) if prices else "",
            matched_by=matched.get(o.id, default_kind), customer_id=o.customer_id or 0,
        )
        for o in orders
    ]


@guarded("orders.search")
def search_orders(staff: StaffUser, query: str = "", filters: Filters = Filters(), *, page: int = 1,
                  page_size: int = PAGE_SIZE) -> SearchResult:
    """The search box: what staff typed plus filters, one page at a time (support sees no amounts)."""
    page = max(1, page)
    with read_session() as session:
        orders, has_next, matched, kinds = find_orders(session, query, filters, page=page, page_size=page_size)
        return SearchResult(_hits(session, orders, matched, staff, kinds), page, has_next, kinds)
